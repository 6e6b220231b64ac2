import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
let page: Page;

const MARKDOWN = ['# First chapter', '', 'Opening words here.', '', '# Second chapter', '', 'Read this line.', '', '```', 'skipped_code();', '```', '', 'And then this one.', ''].join('\n');

beforeAll(async () => {
  reader = await openReader();
  page = reader.page;
});

afterAll(async () => {
  await reader?.close();
});

const status = () => page.locator('[role="status"]').textContent();

describe('opening documents in the reader (Chromium, bridge)', () => {
  it('opens a picked file, lists its chapters, and shows headings and code as such', async () => {
    await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from(MARKDOWN) });
    await expect.poll(status).toContain('Opened');
    const chapters = page.getByRole('navigation', { name: 'Chapters' }).getByRole('button');
    expect(await chapters.allTextContents()).toEqual(['First chapter', 'Second chapter']);
    expect(await page.locator('.reading h2').first().textContent()).toBe('First chapter');
    await chapters.nth(1).click();
    expect(await page.locator('.reading pre').textContent()).toContain('skipped_code();');
  });

  it('reads a chapter without its code block, highlighting only what is spoken', async () => {
    const codeSentence = await page.locator('.reading pre [data-sentence]').getAttribute('data-sentence');
    await page.getByRole('button', { name: 'Play' }).click();
    const seen = new Set<string>();
    const deadline = Date.now() + 20_000;
    let state = '';
    while (Date.now() < deadline) {
      const now = await page.evaluate(() => ({
        sentence: document.querySelector('[aria-current="true"][data-sentence]')?.getAttribute('data-sentence') ?? null,
        state: document.querySelector<HTMLElement>('[data-play-state]')?.dataset.playState ?? '',
      }));
      if (now.sentence !== null && now.state === 'playing') seen.add(now.sentence);
      state = now.state;
      if (seen.size > 0 && state === 'idle') break;
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(state).toBe('idle');
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(seen.has(codeSentence ?? '')).toBe(false);
  });

  it('sends the bytes of a file picked with Open… (browser mode has no file dialog and no paths)', async () => {
    const sent: unknown[] = [];
    const restore = reader.intercept('document:open', (real, params, client) => {
      sent.push(params);
      return real(params, client);
    });
    try {
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Open…' }).click();
      await (await chooser).setFiles({ name: 'uploaded.txt', mimeType: 'text/plain', buffer: Buffer.from('Uploaded as bytes. Nothing else.') });
      await expect.poll(() => page.locator('.reading').textContent()).toContain('Uploaded as bytes.');
      expect(sent).toHaveLength(1);
      expect(Object.keys(sent[0] as object).sort()).toEqual(['bytes', 'name']);
      expect(sent[0]).toMatchObject({ name: 'uploaded.txt' });
    } finally {
      restore();
    }
  });

  it('opens a file dropped on the window', async () => {
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['Dropped text. Two sentences.'], 'dropped.txt', { type: 'text/plain' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await expect.poll(status).toContain('Opened');
    await expect.poll(() => page.locator('.reading').textContent()).toContain('Dropped text.');
  });

  it('waits for a document that takes longer to open, as on a loaded machine', async () => {
    // Held for 1.5 s: longer than expect.poll's own default of 1 s (the config raises it).
    const restore = reader.intercept('document:open', async (real, params, client) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return real(params, client);
    });
    try {
      await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'slow.txt', mimeType: 'text/plain', buffer: Buffer.from('Slow to open. But it opens.') });
      await expect.poll(status).toContain('Opened');
    } finally {
      restore();
    }
  });

  it('says clearly when a file cannot be opened', async () => {
    await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'picture.epub', mimeType: 'application/epub+zip', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]) });
    await expect.poll(status).toMatch(/cannot be opened|not a|damaged|corrupt/i);
  });
});
