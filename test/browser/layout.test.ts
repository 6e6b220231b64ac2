import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
let page: Page;

const BOOK = [
  '# The first chapter has a long title',
  '',
  'It was a bright cold day in April, and the clocks were striking thirteen. '.repeat(8),
  '',
  '# Second chapter',
  '',
  'Outside, even through the shut window-pane, the world looked cold. '.repeat(8),
  '',
].join('\n');

beforeAll(async () => {
  reader = await openReader();
  page = reader.page;
});

afterAll(async () => {
  await reader?.close();
});

beforeEach(async () => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await reader.load();
});

const status = () => page.locator('[role="status"]').textContent();
const box = async (selector: string) => {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not laid out`);
  return found;
};

async function openBook(): Promise<void> {
  await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'book.md', mimeType: 'text/markdown', buffer: Buffer.from(BOOK) });
  await expect.poll(status).toContain('Opened');
}

describe('the page\'s outline (Chromium, bridge)', () => {
  it('has one <h1> naming what is open, a window title that names it too, and a skip link to the text as the first Tab stop', async () => {
    const headings = () => page.locator('h1').allTextContents();
    expect(await headings()).toEqual(['Kokoro Reader']);
    expect(await page.title()).toBe('Kokoro Reader');
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => ({ text: document.activeElement?.textContent ?? '', tag: document.activeElement?.tagName ?? '' }));
    expect(await focused()).toEqual({ text: 'Skip to the text', tag: 'A' });
    // Visible while focused, so a sighted keyboard user sees where Enter goes.
    expect((await box('.skip-link')).y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await focused()).tag).toBe('TEXTAREA');

    await openBook();
    // The document's title, as the chapter list heads it.
    const title = (await page.getByRole('navigation', { name: 'Chapters' }).locator('h2').textContent()) ?? '';
    expect(title).not.toBe('');
    expect(await headings()).toEqual([title]);
    await expect.poll(() => page.title()).toBe(`${title} — Kokoro Reader`);
    await page.locator('body').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('reading'))).toBe(true);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Chapters' }).count()).toBe(1);
  });
});

describe('the window at small sizes (Chromium, bridge)', () => {
  it('gives the text the width of a phone-sized window, with the chapters in a drawer', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openBook();
    const chapters = page.getByRole('navigation', { name: 'Chapters' });
    expect(await chapters.isVisible()).toBe(false);
    // The text column: nearly the window's width, not the 62-102 px left beside a fixed list.
    expect((await box('.reading')).width).toBeGreaterThanOrEqual(340);

    const toggle = page.getByRole('button', { name: 'Chapters' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await expect.poll(() => chapters.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    // Focus goes to the current chapter; choosing one closes the drawer and gives the text the focus.
    const focused = () => page.evaluate(() => document.activeElement?.className ?? '');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('The first chapter has a long title');
    await chapters.getByRole('button', { name: 'Second chapter' }).click();
    await expect.poll(() => chapters.isVisible()).toBe(false);
    expect(await page.locator('.reading').textContent()).toContain('Outside, even through');
    await expect.poll(focused).toContain('reading');

    // While reading, Esc closes the drawer (focus back on its button) and does not stop.
    const playState = () => page.locator('[data-play-state]').getAttribute('data-play-state');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(playState).toBe('playing');
    await toggle.click();
    await expect.poll(() => chapters.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => chapters.isVisible()).toBe(false);
    expect(await playState()).toBe('playing');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Chapters');
    await page.keyboard.press('Escape');
    await expect.poll(playState).toBe('idle');
  });

  it('keeps the chapter list beside the text where both fit', async () => {
    await openBook();
    expect(await page.getByRole('navigation', { name: 'Chapters' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Chapters' }).count()).toBe(0);
  });

  it('leaves most of a 640x400 window (or 200% zoom) to the text', async () => {
    await page.setViewportSize({ width: 640, height: 400 });
    await openBook();
    const main = await box('main');
    // Toolbar and footer took 238 of 400 px before; the text keeps at least 60%.
    expect(main.height).toBeGreaterThanOrEqual(240);
    // The shortcuts are one click away, not a line that is always shown.
    expect(await page.locator('footer').textContent()).not.toContain('Ctrl+O');
    // The toolbar keeps one row: voice and speed wait under More.
    expect((await box('header.toolbar')).height).toBeLessThan(60);
    expect(await page.getByLabel('Voice', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'More ▾' }).click();
    expect(await page.getByLabel('Voice', { exact: true }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('Ctrl+O');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('keeps the toolbar in one row at 1280 px, before and while reading a book', async () => {
    await openBook();
    const before = await box('header.toolbar');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => page.locator('[data-play-state]').getAttribute('data-play-state')).toBe('playing');
    const during = await box('header.toolbar');
    expect(during.height).toBe(before.height);
    // One row: every control's top edge is on the first line.
    const tops = await page.locator('header.toolbar').locator('button:visible, select, input[type="range"]').evaluateAll((elements) => elements.map((e) => e.getBoundingClientRect().top));
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(12);
    await page.keyboard.press('Escape');
  });
});
