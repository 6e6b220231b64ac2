import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';
import { axeInBothThemes } from './axe';

const root = mkdtempSync(join(tmpdir(), 'kokoro-settings-ui-'));
let reader: ReaderPage;
let page: Page;

// Long enough to be reading still while keys are tried on a loaded machine.
const TEXT = Array.from({ length: 12 }, (_, i) => `This is sentence number ${i + 1} of the text that the settings apply to.`).join(' ');

const playState = () => page.evaluate(() => document.querySelector<HTMLElement>('[data-play-state]')?.dataset.playState);
const dialog = () => page.getByRole('dialog', { name: 'Reading settings' });
const readingStyle = () =>
  page.locator('.reading').evaluate((element) => {
    const style = getComputedStyle(element);
    return { fontSize: style.fontSize, lineHeight: style.lineHeight, maxWidth: style.maxWidth, fontFamily: style.fontFamily };
  });
const currentSentenceBackground = () => page.locator('.sentence.current').evaluate((element) => getComputedStyle(element).backgroundColor);

/** Moves a slider as dragging it does: the value changes, and an input event follows. */
async function setSlider(name: RegExp, value: string): Promise<void> {
  await dialog()
    .getByRole('slider', { name })
    .evaluate((input, to) => {
      (input as HTMLInputElement).value = to;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, value);
}

async function openSettings(): Promise<void> {
  await page.getByRole('button', { name: 'More ▾' }).click();
  await page.getByRole('button', { name: 'Reading settings…' }).click();
  await expect.poll(() => dialog().isVisible()).toBe(true);
}

async function closeSettings(): Promise<void> {
  await dialog().getByRole('button', { name: 'Close' }).click();
  await expect.poll(() => dialog().isVisible()).toBe(false);
}

/** Reads the text from its start, and waits until speech is heard. */
async function startReading(): Promise<void> {
  if ((await page.locator('textarea').count()) > 0) await page.locator('textarea').fill(TEXT);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(playState).toBe('playing');
}

async function stopReading(): Promise<void> {
  await page.locator('.reading').focus();
  await page.keyboard.press('Escape');
  await expect.poll(playState).toBe('idle');
}

beforeAll(async () => {
  reader = await openReader({ dataDir: join(root, 'data') });
  page = reader.page;
  // A control that is not there fails its step, with its name, well before the test's time is up.
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await reader?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the reading settings (Chromium, bridge)', () => {
  it('opens from More and by Ctrl+, and has no accessibility violation in either theme', async () => {
    await openSettings();
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().isVisible()).toBe(false);
    await page.keyboard.press('Control+,');
    await expect.poll(() => dialog().isVisible()).toBe(true);
    // Theme names are visible, as radio buttons.
    for (const name of ['Light', 'Dark', 'System']) expect(await dialog().getByRole('radio', { name }).isVisible()).toBe(true);
    await closeSettings();
  });

  it('applies the font, size, line spacing, column width, theme and highlight colour at once, and keeps them across a reload', async () => {
    await openSettings();
    await dialog().getByRole('combobox').selectOption('serif');
    await setSlider(/Font size/, '24');
    await setSlider(/Line spacing/, '2');
    await setSlider(/Column width/, '50');
    expect(await dialog().getByRole('slider', { name: /Font size/ }).evaluate((input) => input.closest('label')?.textContent)).toContain('24 px');
    await dialog().getByRole('radio', { name: 'Dark' }).check();
    await dialog().getByRole('radio', { name: 'Blue' }).check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
    await closeSettings();
    await startReading();
    const expected = { fontSize: '24px', lineHeight: '48px' };
    expect(await readingStyle()).toMatchObject(expected);
    const style = await readingStyle();
    expect(style.fontFamily).toMatch(/Georgia|serif/);
    // 50 characters of the reading font at its size.
    const fiftyCh = await page.locator('.reading').evaluate((element) => {
      const probe = document.createElement('span');
      probe.style.width = '50ch';
      probe.style.display = 'inline-block';
      element.appendChild(probe);
      const width = getComputedStyle(probe).width;
      probe.remove();
      return width;
    });
    expect(parseFloat(style.maxWidth)).toBeCloseTo(parseFloat(fiftyCh), 0);
    // Blue in the dark theme: #17365f behind the spoken sentence.
    expect(await currentSentenceBackground()).toBe('rgb(23, 54, 95)');
    await stopReading();

    await reader.load();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await startReading();
    expect(await readingStyle()).toMatchObject(expected);
    expect(await currentSentenceBackground()).toBe('rgb(23, 54, 95)');
    await stopReading();
    await openSettings();
    expect(await dialog().getByRole('slider', { name: /Font size/ }).inputValue()).toBe('24');
    expect(await dialog().getByRole('radio', { name: 'Blue' }).isChecked()).toBe(true);
    await closeSettings();
  });

  it('keeps every highlight colour readable (WCAG AA) in both themes', async () => {
    await startReading();
    // Paused, so that a sentence stays highlighted while each colour is checked.
    await page.locator('.reading').focus();
    await page.keyboard.press('Space');
    await expect.poll(playState).toBe('paused');
    expect(await page.locator('.sentence.current').count()).toBe(1);
    for (const colour of ['yellow', 'blue', 'green', 'pink']) {
      await page.locator('.reading').focus();
      await page.keyboard.press('Control+,');
      await dialog().getByRole('radio', { name: new RegExp(`^${colour}$`, 'i') }).check();
      await closeSettings();
      expect(await page.evaluate(() => document.documentElement.dataset.highlightColour)).toBe(colour);
      expect(await axeInBothThemes(page), colour).toEqual({ light: [], dark: [] });
    }
    await stopReading();
  });

  it('keeps the toolbar’s theme button working, with the name visible', async () => {
    const button = page.getByRole('button', { name: /^Theme: / });
    await page.getByRole('button', { name: 'More ▾' }).click();
    expect(await button.textContent()).toBe('Theme: dark');
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Theme: system');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    await button.click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.keyboard.press('Escape');
  });

  it('turns the sentence and word highlights off', async () => {
    await openSettings();
    await dialog().getByRole('checkbox', { name: 'The sentence' }).uncheck();
    await dialog().getByRole('checkbox', { name: 'The word' }).uncheck();
    await closeSettings();
    await startReading();
    expect(await currentSentenceBackground()).toBe('rgba(0, 0, 0, 0)');
    // Words go by while a sentence is read: none of them is highlighted.
    await expect.poll(() => page.evaluate(() => document.querySelector('.sentence.current')?.getAttribute('data-sentence')), { timeout: 30_000 }).toBe('1');
    expect(await page.evaluate(() => (CSS as unknown as { highlights: Map<string, unknown> }).highlights.has('spoken-word'))).toBe(false);
    await stopReading();
    await openSettings();
    await dialog().getByRole('checkbox', { name: 'The sentence' }).check();
    await dialog().getByRole('checkbox', { name: 'The word' }).check();
    await closeSettings();
  });

  it('scrolls without smoothness when reduced motion is asked for, here or by the system', async () => {
    await page.evaluate(() => {
      const calls: unknown[] = [];
      (window as unknown as { scrollCalls: unknown[] }).scrollCalls = calls;
      const original = Element.prototype.scrollIntoView;
      Element.prototype.scrollIntoView = function (this: Element, options?: boolean | ScrollIntoViewOptions) {
        calls.push(typeof options === 'object' ? options.behavior : options);
        original.call(this, options);
      };
    });
    const lastScroll = () => page.evaluate(() => (window as unknown as { scrollCalls: unknown[] }).scrollCalls.at(-1));
    const scrollCount = () => page.evaluate(() => (window as unknown as { scrollCalls: unknown[] }).scrollCalls.length);
    /** Moves to the next sentence while reading: the view scrolls to it. */
    const nextSentence = async (): Promise<void> => {
      const before = await scrollCount();
      await page.locator('.reading').focus();
      await page.keyboard.press('ArrowRight');
      await expect.poll(scrollCount).toBeGreaterThan(before);
    };
    await startReading();
    await nextSentence();
    expect(await lastScroll()).toBe('smooth');
    await stopReading();

    await openSettings();
    await dialog().getByRole('checkbox', { name: /Reduce motion/ }).check();
    await closeSettings();
    await startReading();
    await nextSentence();
    expect(await lastScroll()).toBe('auto');
    await stopReading();
    await openSettings();
    await dialog().getByRole('checkbox', { name: /Reduce motion/ }).uncheck();
    await closeSettings();

    await page.emulateMedia({ reducedMotion: 'reduce' });
    await startReading();
    await nextSentence();
    expect(await lastScroll()).toBe('auto');
    await stopReading();
    await page.emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('turns the single-letter shortcuts off (WCAG 2.1.4), keeping Space', async () => {
    await startReading();
    await page.locator('.reading').focus();
    await page.keyboard.press('k');
    await expect.poll(playState).toBe('paused');
    await page.keyboard.press('k');
    await expect.poll(playState).toBe('playing');
    await stopReading();

    // The list of keys says so.
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const keys = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => keys.isVisible()).toBe(true);
    expect(await keys.textContent()).toContain('can be turned off in Reading settings (Ctrl+,)');
    await page.keyboard.press('Escape');
    await expect.poll(() => keys.isVisible()).toBe(false);

    await openSettings();
    await dialog().getByRole('checkbox', { name: /Single-key shortcuts/ }).uncheck();
    await closeSettings();
    await startReading();
    const currentSentence = () => page.evaluate(() => document.querySelector('.sentence.current')?.getAttribute('data-sentence'));
    const before = await currentSentence();
    await page.locator('.reading').focus();
    await page.keyboard.press('k');
    await page.keyboard.press('n');
    // Space still pauses: once it has, k has done nothing before it (keys are handled in order).
    await page.keyboard.press('Space');
    await expect.poll(playState).toBe('paused');
    // n did not skip to the next sentence.
    expect(await currentSentence()).toBe(before);
    await stopReading();
  });

  it('hides the toolbar and chapters in focus mode while reading; the status is still announced, and a button or Esc (once stopped) leads back', async () => {
    await page.locator('.reading').focus();
    await page.keyboard.press('Control+,');
    await expect.poll(() => dialog().isVisible()).toBe(true);
    await dialog().getByRole('checkbox', { name: /Focus mode/ }).check();
    await closeSettings();
    // The text is on screen (read before): the toolbar goes at once.
    await expect.poll(() => page.locator('header.toolbar').isVisible()).toBe(false);
    expect(await page.locator('footer [role="status"]').count()).toBe(1);
    expect(await page.locator('.status-bar').evaluate((element) => element.classList.contains('sr-only'))).toBe(true);
    // Reading goes on by keys alone.
    await page.locator('.reading').focus();
    await page.keyboard.press('Space');
    await expect.poll(playState).toBe('playing');
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
    // Esc stops first (focus mode stays), then, with nothing to stop, leaves focus mode.
    await stopReading();
    expect(await page.locator('header.toolbar').isVisible()).toBe(false);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('header.toolbar').isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('reading'))).toBe(true);
    // And the button.
    await page.keyboard.press('Control+,');
    await expect.poll(() => dialog().isVisible()).toBe(true);
    await dialog().getByRole('checkbox', { name: /Focus mode/ }).check();
    await closeSettings();
    await expect.poll(() => page.locator('header.toolbar').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Leave focus mode' }).click();
    await expect.poll(() => page.locator('header.toolbar').isVisible()).toBe(true);
    expect(await page.locator('.status-bar').evaluate((element) => element.classList.contains('sr-only'))).toBe(false);
  });
});
