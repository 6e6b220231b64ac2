import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEpub } from '../import/fixtures';
import { axeInBothThemes } from './axe';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';
import { tabTo } from './keys';

let reader: ReaderPage;
let page: Page;
let epub: Buffer;
const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-find-marks-'));

beforeAll(async () => {
  epub = Buffer.from(
    await makeEpub({
      title: 'Sea Book',
      files: [
        { name: 'one.xhtml', body: '<h1>Harbour</h1><p>The whale rose. A gull cried out loud. The whale dived.</p>' },
        { name: 'two.xhtml', body: '<h1>Open sea</h1><p>No birds here. Then a WHALE sang. Calm water.</p>' },
      ],
    }),
  );
  reader = await openReader({ dataDir });
  page = reader.page;
});

afterAll(async () => {
  await reader?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const status = () => page.locator('[role="status"]').textContent();
const openBook = async (): Promise<void> => {
  await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'sea.epub', mimeType: 'application/epub+zip', buffer: epub });
  await expect.poll(status).toContain('Opened “Sea Book”');
};
const currentSentence = () => page.evaluate(() => document.querySelector('[aria-current="true"][data-sentence]')?.getAttribute('data-sentence') ?? null);
const findBar = () => page.getByRole('search', { name: 'Find in the text' });
const summary = () => page.locator('#find-summary').textContent();
const focused = () => page.evaluate(() => ({ tag: document.activeElement?.tagName, type: (document.activeElement as HTMLInputElement | null)?.type, text: document.activeElement?.textContent?.trim() }));
/** What the find highlights cover: the current match and the others in the chapter on screen. */
const highlighted = () =>
  page.evaluate(() => {
    const highlights = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
    const texts = (name: string): string[] => [...(highlights.get(name) ?? [])].map((range) => range.toString());
    return { current: texts('find-current'), others: texts('find-match') };
  });
const shownText = () => page.locator('.reading').textContent();
const bookmarksOf = () => {
  const id = reader.web.services.library?.list().find((e) => e.title === 'Sea Book')?.documentId ?? -1;
  return reader.web.services.library?.library.bookmarks.list(id).map((b) => b.label) ?? [];
};

describe('find in the text and bookmarks (Chromium, bridge, SQLite)', () => {
  it('opens with Ctrl+F, marks every match, and moves between them with Enter and Shift+Enter across chapters', async () => {
    await openBook();
    await page.locator('.reading').focus();
    await page.keyboard.press('Control+f');
    await expect.poll(focused).toMatchObject({ tag: 'INPUT', type: 'search' });
    await page.keyboard.type('whale');
    await expect.poll(summary).toBe('1 of 3');
    await expect.poll(highlighted).toEqual({ current: ['whale'], others: ['whale'] });
    await page.keyboard.press('Enter');
    await expect.poll(summary).toBe('2 of 3');
    await expect.poll(highlighted).toEqual({ current: ['whale'], others: ['whale'] });
    await page.keyboard.press('Enter');
    await expect.poll(summary).toBe('3 of 3');
    // The match in the second chapter: the chapter is shown, its match marked.
    await expect.poll(shownText).toContain('Then a WHALE sang.');
    await expect.poll(highlighted).toEqual({ current: ['WHALE'], others: [] });
    await page.keyboard.press('Shift+Enter');
    await expect.poll(summary).toBe('2 of 3');
    await expect.poll(shownText).toContain('The whale dived.');
    // Stopped, Play starts at the match: "The whale dived." is the chapter's fourth sentence (after its heading).
    expect(await page.locator('[aria-current="true"][data-sentence]').textContent()).toBe('The whale dived.');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(summary).toBe('1 of 3');
    await page.keyboard.type(' kraken');
    await expect.poll(summary).toBe('No matches');
    await expect.poll(highlighted).toEqual({ current: [], others: [] });
  });

  it('has no axe-core violation with find and the bookmarks open, in either theme', async () => {
    await page.getByRole('button', { name: 'Bookmarks' }).click();
    await page.getByLabel('Find', { exact: true }).fill('whale');
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
    await page.getByRole('button', { name: 'Bookmarks' }).click();
  });

  it('closes with Esc, giving the focus back to the text', async () => {
    await page.getByLabel('Find', { exact: true }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => findBar().count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('reading'))).toBe(true);
    // Reading was not started by that Esc, nor stopped: nothing played.
    expect(await page.getByRole('button', { name: 'Play' }).isVisible()).toBe(true);
  });

  it('adds a bookmark at the current sentence and jumps back to it, from the keyboard alone', async () => {
    await page.locator('[data-sentence="2"]').click();
    await expect.poll(currentSentence).not.toBeNull();
    await page.getByRole('button', { name: 'Stop' }).click();
    const marked = await currentSentence();
    const label = await page.locator(`[data-sentence="${marked}"]`).textContent();

    // The tools bar is above the text: back from it.
    await page.locator('.reading').focus();
    await tabTo(page, 'Bookmarks', true);
    await page.keyboard.press('Enter');
    await tabTo(page, 'Add bookmark here');
    await page.keyboard.press('Enter');
    await expect.poll(bookmarksOf).toEqual([label]);
    const panel = page.getByRole('region', { name: 'Bookmarks' });
    await expect.poll(() => panel.getByRole('listitem').count()).toBe(1);

    // Elsewhere in the book, then back to the bookmark.
    await page.locator('.reading').focus();
    await page.keyboard.press('Control+f');
    await page.keyboard.type('birds');
    await expect.poll(shownText).toContain('No birds here.');
    await page.keyboard.press('Escape');
    await tabTo(page, label ?? '', true);
    await page.keyboard.press('Enter');
    await expect.poll(shownText).toContain('A gull cried out loud.');
    await expect.poll(currentSentence).toBe(marked);
    await expect.poll(status).toContain('At the bookmark');
  });

  it('keeps bookmarks across a reload, per book, and deletes them for good', async () => {
    await reader.load();
    await openBook();
    await page.getByRole('button', { name: 'Bookmarks' }).click();
    const panel = page.getByRole('region', { name: 'Bookmarks' });
    await expect.poll(() => panel.getByRole('listitem').count()).toBe(1);
    const label = bookmarksOf()[0] ?? '';
    await panel.getByRole('button', { name: `Delete bookmark: ${label}` }).click();
    await expect.poll(() => panel.getByRole('listitem').count()).toBe(0);
    expect(bookmarksOf()).toEqual([]);
    await reader.load();
    await openBook();
    await page.getByRole('button', { name: 'Bookmarks' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Bookmarks' }).textContent()).toContain('No bookmarks in this book yet.');
  });
});
