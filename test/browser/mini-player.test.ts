import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { HelperState } from '../../src-shared/screen-helper/types';
import { DEFAULT_VIEW_SETTINGS } from '../../src-shared/view-settings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
/** The helper's mini player: a second page of the same bundle, at #mini. */
let mini: Page;
const dir = mkdtempSync(join(tmpdir(), 'kokoro-helper-ui-'));
/** dev-web's stand-in for the system clipboard. */
const clipboardFile = join(dir, 'clipboard.txt');
const hidden: number[] = [];
const pageErrors: Error[] = [];

// Long enough to be reading still while the keys are tried on a loaded machine.
const TEXT = Array.from({ length: 14 }, (_, i) => `This is sentence number ${i + 1} of the copied text, read by the helper.`).join(' ');

beforeAll(async () => {
  reader = await openReader({ clipboardFile });
  reader.intercept('helper:hide', async (real, params, client) => {
    hidden.push(Date.now());
    return real(params, client);
  });
  const browser = reader.page.context().browser();
  if (!browser) throw new Error('the reader page has no browser');
  mini = await browser.newPage();
  mini.on('pageerror', (error) => pageErrors.push(error));
  await mini.setViewportSize({ width: 420, height: 220 });
  const attached = waitForRequest('helper:attach');
  await mini.goto(`${reader.web.bridge.url}#mini`);
  await attached;
});

afterAll(async () => {
  await reader?.close();
  rmSync(dir, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

/** Resolves when a page makes this request (the real handler still answers it). */
function waitForRequest(channel: 'helper:attach'): Promise<void> {
  return new Promise((resolve) => {
    const restore = reader.intercept(channel, async (real, params, client) => {
      const result = await real(params, client);
      restore();
      resolve();
      return result;
    });
  });
}

/** A request to main from the reader window's page, over a bridge socket of its own, as any client would make it. */
async function invokeFromReader(channel: string, params: unknown): Promise<unknown> {
  return reader.page.evaluate(
    async ([name, args]) => {
      const socket = new WebSocket(`ws://${location.host}/bridge${location.search}`);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      // Pushes to every window (the engine's status) may come first: the answer is the result frame.
      const reply = new Promise<unknown>((resolve) => {
        socket.onmessage = (message) => {
          const frame = JSON.parse(String(message.data)) as { kind?: string };
          if (frame.kind === 'result') resolve(frame);
        };
      });
      socket.send(JSON.stringify({ id: 1, channel: name, params: args }));
      const frame = await reply;
      socket.close();
      return frame;
    },
    [channel, params] as const,
  );
}

/** "Read the clipboard", as its shortcut does. */
async function readClipboard(text: string): Promise<void> {
  writeFileSync(clipboardFile, text);
  expect(await invokeFromReader('helper:read-now', { source: 'clipboard' })).toMatchObject({ kind: 'result', id: 1, result: { ok: true } });
}

const playState = () => mini.locator('[data-play-state]').getAttribute('data-play-state');
const speedShown = () => mini.getByRole('status', { name: 'Speed' }).textContent();
const news = () => mini.locator('.news').textContent();

describe('the screen helper’s mini player (Chromium, bridge)', () => {
  it('reads the clipboard at once, moving the sentence and word highlight while it reads', async () => {
    await readClipboard(TEXT);
    await expect.poll(playState).toBe('playing');
    // The media keys are the helper's while it reads.
    expect(await mini.evaluate(() => [navigator.mediaSession.metadata?.title, navigator.mediaSession.playbackState])).toEqual(['Kokoro Reader — helper', 'playing']);
    await mini.waitForFunction(() => document.querySelector('.sentence.current')?.getAttribute('data-sentence') === '0');
    // Words are highlighted from the engine's timings: several distinct ones go by within a sentence or two.
    await mini.waitForFunction(() => {
      const highlight = (CSS as unknown as { highlights: Map<string, Iterable<Range>> }).highlights.get('spoken-word');
      const word = highlight ? [...highlight][0]?.toString() : undefined;
      const seen = ((window as unknown as { seenWords?: Set<string> }).seenWords ??= new Set());
      if (word) seen.add(word);
      return seen.size >= 3;
    });
    await mini.waitForFunction(() => Number(document.querySelector('.sentence.current')?.getAttribute('data-sentence')) >= 1);
    expect(await mini.locator('.sentence.current').count()).toBe(1);
  });

  it('pauses and resumes with Space, and changes the speed shown with + and -', async () => {
    await mini.locator('.reading').focus();
    await mini.keyboard.press('Space');
    await expect.poll(playState).toBe('paused');
    expect(await mini.getByRole('button', { name: 'Resume' }).isVisible()).toBe(true);
    await mini.keyboard.press('Space');
    await expect.poll(playState).toBe('playing');

    expect(await speedShown()).toBe('1.00×');
    await mini.keyboard.press('+');
    await expect.poll(speedShown).toBe('1.10×');
    await mini.keyboard.press('+');
    await expect.poll(speedShown).toBe('1.20×');
    await mini.keyboard.press('-');
    await expect.poll(speedShown).toBe('1.10×');
    // Reading goes on at the new speed, without Stop and Play.
    await expect.poll(playState).toBe('playing');
  });

  it('has no accessibility violation (axe-core) in either theme, while reading', async () => {
    await mini.keyboard.press('Space');
    await expect.poll(playState).toBe('paused');
    for (const theme of ['light', 'dark']) {
      await mini.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      expect(await axeViolations(mini), theme).toEqual([]);
    }
    await mini.evaluate(() => delete document.documentElement.dataset.theme);
  });

  it('reaches every button with Tab, with a visible focus ring', async () => {
    const names: string[] = [];
    await mini.locator('.reading').focus();
    for (let i = 0; i < 5; i++) {
      await mini.keyboard.press('Tab');
      names.push(
        await mini.evaluate(() => {
          const focused = document.activeElement as HTMLElement;
          return getComputedStyle(focused).outlineStyle === 'none' ? 'no focus ring' : (focused.textContent ?? '');
        }),
      );
    }
    expect(names).toEqual(['Resume', 'Stop', 'Slower', 'Faster', 'Open in the reader']);
  });

  it('opens its text in the reader window at the sentence being heard, and stops', async () => {
    const heard = Number(await mini.locator('.sentence.current').getAttribute('data-sentence'));
    await mini.getByRole('button', { name: 'Open in the reader' }).click();
    await expect.poll(playState).toBe('idle');
    const shown = reader.page.locator('.reading .sentence.current');
    await expect.poll(() => shown.getAttribute('data-sentence')).toBe(String(heard));
    expect(await reader.page.locator('.reading').textContent()).toContain('sentence number 14 of the copied text');
    await mini.getByRole('button', { name: 'Play' }).click();
    await expect.poll(playState).toBe('playing');
  });

  it('stops and asks main to hide the window on Esc', async () => {
    await mini.keyboard.press('Escape');
    await expect.poll(playState).toBe('idle');
    await expect.poll(() => hidden.length).toBe(1);
    expect(await mini.evaluate(() => navigator.mediaSession.metadata)).toBeNull();
  });

  it('says so, with the fix, when the clipboard is empty, and reads nothing', async () => {
    await readClipboard('');
    await expect.poll(news).toMatch(/clipboard/i);
    expect(await playState()).toBe('idle');
    expect(await mini.locator('.news p.error').count()).toBe(1);
  });

  it('shows its text in the reading settings chosen in the reader window, and follows their changes', async () => {
    const readingSize = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--reading-size').trim());
    const marks = () => mini.evaluate(() => [document.documentElement.dataset.highlightWord, document.documentElement.dataset.theme]);
    expect(await readingSize(mini)).toBe(`${DEFAULT_VIEW_SETTINGS.fontSize}px`);
    expect(await invokeFromReader('view:configure', { fontSize: 26, highlightWord: false, theme: 'dark' })).toMatchObject({ result: { ok: true } });
    await expect.poll(() => readingSize(mini)).toBe('26px');
    expect(await marks()).toEqual(['off', 'dark']);
    // Every window hears of it, the reader window too.
    await expect.poll(() => readingSize(reader.page)).toBe('26px');
    await invokeFromReader('view:configure', DEFAULT_VIEW_SETTINGS);
    await expect.poll(() => readingSize(mini)).toBe(`${DEFAULT_VIEW_SETTINGS.fontSize}px`);
    expect(await marks()).toEqual(['on', undefined]);
  });
});

describe('the screen helper’s settings in the reader window (Chromium, bridge)', () => {
  const dialog = () => reader.page.getByRole('dialog', { name: 'Screen helper' });
  const footer = () => reader.page.locator('footer').textContent();

  it('opens from More by keyboard, says what exists only in the desktop app, and has no axe violation', async () => {
    const page = reader.page;
    await page.getByRole('button', { name: 'More ▾' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Screen helper…' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog().isVisible()).toBe(true);
    expect(await dialog().textContent()).toContain('exist only in the desktop app');
    // Browser mode: no global shortcuts, but the rest can be changed.
    expect(await dialog().getByRole('textbox', { name: 'Read the clipboard' }).isDisabled()).toBe(true);
    expect(await dialog().getByRole('checkbox', { name: /clipboard watch/ }).isEnabled()).toBe(true);
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      expect(await axeViolations(page), theme).toEqual([]);
    }
    await page.evaluate(() => delete document.documentElement.dataset.theme);
  });

  it('turns the clipboard watch on and off, with the indicator in the status bar while it is on', async () => {
    expect(await footer()).not.toContain('Clipboard watch on');
    const watch = dialog().getByRole('checkbox', { name: /clipboard watch/ });
    await watch.check();
    await expect.poll(footer).toContain('Clipboard watch on');
    await watch.uncheck();
    await expect.poll(footer).not.toContain('Clipboard watch on');
  });

  it('clears the helper’s audio and says how much went', async () => {
    await dialog().getByRole('button', { name: 'Clear the helper’s audio' }).click();
    await expect.poll(() => dialog().locator('.cache-note').textContent()).toMatch(/helper/);
    await reader.page.keyboard.press('Escape');
    await expect.poll(() => dialog().isVisible()).toBe(false);
  });

  it('as in the desktop app: names a taken shortcut, names a typo in its field without sending it, and records one from the keys', async () => {
    const page = reader.page;
    const sent: unknown[] = [];
    // The desktop app's answers: shortcuts exist, and another program holds one.
    const desktop = <T extends HelperState>(state: T): T => ({
      ...state,
      available: true,
      shortcuts: { ...state.shortcuts, 'read-clipboard': { accelerator: 'Ctrl+Alt+C', state: 'taken', message: 'Ctrl+Alt+C is used by another program.' } },
    });
    const restore = [
      reader.intercept('helper:state', async (real, params, client) => desktop(await real(params, client))),
      reader.intercept('helper:configure', async (real, params, client) => {
        sent.push(params);
        return desktop(await real(params, client));
      }),
    ];
    try {
      await reader.load();
      await page.getByRole('button', { name: 'More ▾' }).click();
      await page.getByRole('button', { name: 'Screen helper…' }).click();
      await expect.poll(() => dialog().isVisible()).toBe(true);
      const clipboardKey = dialog().getByRole('textbox', { name: 'Read the clipboard' });
      expect(await clipboardKey.getAttribute('aria-invalid')).toBe('true');
      expect(await dialog().locator('#helper-key-read-clipboard-state').textContent()).toBe('Ctrl+Alt+C is used by another program.');

      const selectionKey = dialog().getByRole('textbox', { name: 'Read the selection' });
      await selectionKey.fill('Ctl+Q');
      await selectionKey.press('Tab');
      await expect.poll(() => dialog().locator('#helper-key-read-selection-state').textContent()).toBe('“Ctl” is not a key name: use Ctrl, Alt, Shift, Super or CommandOrControl.');
      expect(await selectionKey.getAttribute('aria-invalid')).toBe('true');
      expect(sent).toEqual([]);

      await dialog().getByRole('button', { name: 'Record the shortcut for “Stop”' }).click();
      await page.keyboard.press('Control+Alt+KeyK');
      await expect.poll(() => sent).toEqual([{ shortcuts: { stop: 'Ctrl+Alt+K' } }]);
      await expect.poll(() => dialog().getByRole('textbox', { name: 'Stop' }).inputValue()).toBe('Ctrl+Alt+K');
      // Esc while recording leaves the dialog open; Esc after it closes the dialog.
      await dialog().getByRole('button', { name: 'Record the shortcut for “Faster”' }).click();
      await page.keyboard.press('Escape');
      expect(await dialog().isVisible()).toBe(true);
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog().isVisible()).toBe(false);
      expect(sent).toHaveLength(1);
    } finally {
      restore.forEach((undo) => undo());
    }
  });
});
