import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
let page: Page;
const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-export-ui-'));
const exportDir = mkdtempSync(join(tmpdir(), 'kokoro-export-out-'));

const BOOK = ['# Morning', '', 'The sun came up over the hill.', '', '# Noon', '', 'It was hot by noon.', '', '# Night', '', 'The stars came out at last.', ''].join('\n');

beforeAll(async () => {
  reader = await openReader({ dataDir, exportDir });
  page = reader.page;
  // As the app does for a file the user chose in its dialog: main grants it, and it goes into the
  // library with its file (a page's file input sends bytes, which cannot be read again to export).
  const file = join(dataDir, 'Day.md');
  writeFileSync(file, BOOK);
  const app = { id: 'app', emit: () => undefined };
  await reader.web.services.documents.open({ handle: reader.web.services.grants.grant(app, file).handle }, app);
  await reader.load();
});

afterAll(async () => {
  await reader?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(exportDir, { recursive: true, force: true });
});

const status = () => page.locator('[role="status"]').textContent();
const dialog = () => page.getByRole('dialog', { name: 'Export audio' });
const checkedChapters = () => dialog().getByRole('group', { name: /Chapters of/ }).getByRole('checkbox').evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).checked));
const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

describe('the Export dialog (Chromium, bridge, SQLite)', () => {
  it('says pasted text is exported once the library keeps it, rather than failing', async () => {
    await page.locator('textarea').fill('Some pasted words.');
    await page.keyboard.press('Control+e');
    await expect.poll(() => dialog().isVisible()).toBe(true);
    expect(await dialog().textContent()).toContain('Pasted text can be exported once the library keeps it');
    expect(await dialog().getByRole('button', { name: 'Export…' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().isVisible()).toBe(false);
  });

  it('opens by keyboard with every chapter chosen, hides subtitles for EPUB, and gives the focus back on Esc', async () => {
    await page.getByRole('region', { name: 'Recent documents' }).getByRole('button', { name: 'Morning', exact: false }).first().click();
    await expect.poll(status).toContain('Opened');
    await page.getByRole('button', { name: 'More ▾' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Export audio…' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog().isVisible()).toBe(true);
    expect(await checkedChapters()).toEqual([true, true, true]);

    // None, then one chapter by keyboard: the Export button follows the choice.
    await dialog().getByRole('button', { name: 'None' }).focus();
    await page.keyboard.press('Enter');
    expect(await checkedChapters()).toEqual([false, false, false]);
    expect(await dialog().getByRole('button', { name: 'Export…' }).isDisabled()).toBe(true);
    await dialog().getByRole('checkbox', { name: 'Noon' }).focus();
    await page.keyboard.press('Space');
    expect(await checkedChapters()).toEqual([false, true, false]);
    expect(await dialog().getByRole('button', { name: 'Export…' }).isEnabled()).toBe(true);

    expect(await dialog().getByLabel('Subtitles').isVisible()).toBe(true);
    await dialog().getByLabel('Format').selectOption('epub');
    expect(await dialog().getByLabel('Subtitles').count()).toBe(0);
    expect(await dialog().getByRole('checkbox', { name: /Word timings/ }).count()).toBe(0);
    expect(await dialog().textContent()).toContain('takes no subtitles');
    await dialog().getByLabel('Format').selectOption('mp3');
    expect(await dialog().getByRole('radio', { name: 'One file per chapter' }).isVisible()).toBe(true);

    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().isVisible()).toBe(false);
    expect(await focusedName()).toBe('More ▾');
  });

  it('preselects the chapter chosen in the chapter list', async () => {
    await page.getByRole('navigation', { name: 'Chapters' }).getByRole('button', { name: 'Export chapter 3…' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(true);
    expect(await checkedChapters()).toEqual([false, false, true]);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focusedName).toBe('Export chapter 3…');
  });

  it('asks main for the target, stays open and quiet when the save dialog is cancelled, and shows a refusal in the dialog', async () => {
    const asked: unknown[] = [];
    let answer: 'cancel' | 'refuse' = 'cancel';
    const restore = reader.intercept('export:target', (_real, params) => {
      asked.push(params);
      if (answer === 'refuse') throw AppError.of('NO_SAVE_DIALOG');
      return Promise.resolve(null);
    });
    try {
      await page.keyboard.press('Control+e');
      await expect.poll(() => dialog().isVisible()).toBe(true);
      // The format chosen last time is kept; the chapters are all chosen again.
      expect(await dialog().getByLabel('Format').inputValue()).toBe('mp3');
      expect(await checkedChapters()).toEqual([true, true, true]);
      await dialog().getByLabel('Format').selectOption('wav');
      await dialog().getByLabel('Subtitles').selectOption('vtt');
      await dialog().getByRole('button', { name: 'Export…' }).click();
      await expect.poll(() => asked.length).toBe(1);
      await expect.poll(() => dialog().getByRole('button', { name: 'Export…' }).isEnabled()).toBe(true);
      expect(await dialog().isVisible()).toBe(true);
      expect(await dialog().getByRole('alert').count()).toBe(0);

      answer = 'refuse';
      await dialog().getByRole('button', { name: 'Export…' }).click();
      await expect.poll(() => dialog().getByRole('alert').textContent()).toContain('There is no save dialog in browser mode. Start the browser mode with --export-dir');
      expect(asked[0]).toMatchObject({ format: 'wav' });
    } finally {
      restore();
    }
  });

  it('queues the export into the chosen file and shows it in the window', async () => {
    const started: unknown[] = [];
    const restore = reader.intercept('export:start', (real, params, client) => {
      started.push(params);
      return real(params, client);
    });
    try {
      await dialog().getByRole('button', { name: 'Export…' }).click();
      await expect.poll(() => dialog().isVisible()).toBe(false);
      expect(started).toEqual([expect.objectContaining({ format: 'wav', chapters: [0, 1, 2], subtitles: 'vtt', voice: 'espeak:gmw/en-US', speed: 1 })]);
      expect(started[0]).not.toHaveProperty('mp3Layout');
      // The export runs in main and ends; the window says so, with the files written.
      const job = page.getByRole('region', { name: 'Exports' }).locator('[data-export-state]');
      await expect.poll(() => job.count()).toBe(1);
      await expect.poll(() => job.getAttribute('data-export-state'), { timeout: 120_000 }).toBe('done');
      expect(await job.textContent()).toMatch(/Day\.wav/);
      expect(readdirSync(exportDir).sort()).toEqual(['Day.vtt', 'Day.wav']);
      expect(readFileSync(join(exportDir, 'Day.vtt'), 'utf8')).toContain('The stars came out at last.');
    } finally {
      restore();
    }
  });

  it('fits a phone-sized window: the dialog and the export notices stay inside it', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const exportsRegion = page.getByRole('region', { name: 'Exports' });
    await expect.poll(() => exportsRegion.locator('[data-export-state]').count()).toBe(1);
    await page.keyboard.press('Control+e');
    await expect.poll(() => dialog().isVisible()).toBe(true);
    const box = await dialog().boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    await page.keyboard.press('Escape');
    const panel = await exportsRegion.boundingBox();
    expect(panel && panel.x + panel.width <= 390).toBe(true);
    expect(await overflow()).toBe(0);
  });

  it('exports a pasted text the library keeps, under its title', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await reader.load();
    await page.locator('textarea').fill('Kept note to export. It has two sentences.');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Keep in library' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Keep in library' }).click();
    await expect.poll(status).toContain('Kept in the library');
    // Stopped (or already finished: the note is short).
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Library', exact: true }).click();
    await page.locator('section.library button.title', { hasText: 'Kept note to export' }).click();
    await expect.poll(status).toContain('Opened');
    await page.keyboard.press('Control+e');
    await expect.poll(() => dialog().isVisible()).toBe(true);
    await dialog().getByLabel('Format').selectOption('wav');
    await dialog().getByRole('button', { name: 'Export…' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(false);
    const job = page.getByRole('region', { name: 'Exports' }).locator('[data-export-state]', { hasText: 'Kept note to export' });
    await expect.poll(() => job.getAttribute('data-export-state'), { timeout: 120_000 }).toBe('done');
    const wav = readdirSync(exportDir).filter((name) => name.startsWith('Kept note to export'));
    expect(wav).toHaveLength(1);
    expect(wav[0]).toMatch(/\.wav$/);
    // A WAV with audio in it: more than its 44-byte header.
    expect(readFileSync(join(exportDir, wav[0]!)).length).toBeGreaterThan(24_000);
  });
});
