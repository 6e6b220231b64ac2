import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOICE_SELECT, openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
let page: Page;
const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-library-ui-'));

const BOOK = Array.from({ length: 8 }, (_, i) => `Sentence number ${i + 1} of the little book.`).join(' ');

beforeAll(async () => {
  reader = await openReader({ dataDir });
  page = reader.page;
});

afterAll(async () => {
  await reader?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const load = (): Promise<void> => reader.load();

const openBook = () => page.locator('[data-testid="file-input"]').setInputFiles({ name: 'little.txt', mimeType: 'text/plain', buffer: Buffer.from(BOOK) });
const status = () => page.locator('[role="status"]').textContent();
/** The speed slider (the player bar has sliders too). */
const speedSlider = () => page.locator('label.speed input[type="range"]');
const currentSentence = () => page.evaluate(() => document.querySelector('[aria-current="true"][data-sentence]')?.getAttribute('data-sentence') ?? null);

describe('the library in the reader (Chromium, bridge, SQLite)', () => {
  it('remembers where reading stopped and offers to continue there when the book is opened again', async () => {
    await load();
    await openBook();
    await expect.poll(status).toContain('Opened');
    await page.locator('[data-sentence="2"]').click();
    await expect.poll(currentSentence).toBe('3');
    await page.getByRole('button', { name: 'Stop' }).click();
    const stoppedAt = await currentSentence();

    await load();
    await openBook();
    await expect.poll(status).toContain('continue where you stopped');
    expect(await currentSentence()).toBe(stoppedAt);
  });

  it('remembers the chosen speed and voice', async () => {
    await speedSlider().fill('1.5');
    await speedSlider().dispatchEvent('change');
    await page.locator(VOICE_SELECT).selectOption('espeak:gmw/en');
    await load();
    expect(await speedSlider().inputValue()).toBe('1.5');
    expect(await page.locator(VOICE_SELECT).inputValue()).toBe('espeak:gmw/en');
  });

  it('stars voices, listing them first', async () => {
    await page.getByRole('button', { name: 'Star this voice' }).click();
    await load();
    expect(await page.locator('optgroup[label="Starred"] option').allTextContents()).toEqual(['★ English (Great Britain) (eSpeak NG)']);
    expect(await page.getByRole('button', { name: 'Unstar this voice' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('gives a book its own voice and speed when asked, leaving the defaults alone', async () => {
    await openBook();
    await expect.poll(status).toContain('Opened');
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByLabel('This book only').check();
    await page.locator(VOICE_SELECT).selectOption('espeak:gmw/en-US');
    await speedSlider().fill('0.8');
    await speedSlider().dispatchEvent('change');
    // Saved in the library before the page goes away.
    const documentId = (await reader.web.services.library?.recent())?.[0]?.documentId ?? -1;
    await expect.poll(() => reader.web.services.library?.prefs(documentId)).toMatchObject({ voice: 'espeak:gmw/en-US', speed: 0.8, forDocument: true });
    await load();
    // The defaults are as they were.
    expect(await speedSlider().inputValue()).toBe('1.5');
    expect(await page.locator(VOICE_SELECT).inputValue()).toBe('espeak:gmw/en');
    await openBook();
    await expect.poll(status).toContain('Opened');
    await page.getByRole('button', { name: 'More ▾' }).click();
    expect(await page.getByLabel('This book only').isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await speedSlider().inputValue()).toBe('0.8');
    expect(await page.locator(VOICE_SELECT).inputValue()).toBe('espeak:gmw/en-US');
  });

  it('lists documents opened from a file under Recent, opens them from there, and removes them', async () => {
    const file = join(dataDir, 'Field Notes.md');
    writeFileSync(file, '# Field notes\n\nThe first note.\n');
    // As the app does for a file the user chose in its dialog: main grants it, then opens it by handle.
    const app = { id: 'app', emit: () => undefined };
    await reader.web.services.documents.open({ handle: reader.web.services.grants.grant(app, file).handle }, app);
    await load();
    const recent = page.getByRole('region', { name: 'Recent documents' });
    await recent.getByRole('button', { name: 'Field notes', exact: true }).click();
    await expect.poll(status).toContain('Opened “Field notes”');
    await page.getByRole('button', { name: 'Edit text' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Edit the text' }).click();
    await page.getByRole('button', { name: 'Remove Field notes from the library' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Recent documents' }).count()).toBe(0);
  });

  it('keeps documents in the library, newest first', async () => {
    const recent = await reader.web.services.library?.recent();
    expect(recent?.map((entry) => entry.title)).toEqual(['little']);
    expect(recent?.[0]?.position?.sentenceIndex).toBeGreaterThanOrEqual(3);
  });
});
