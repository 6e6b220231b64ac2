/** The pronunciations editor in Chromium, over the bridge and a real library (eSpeak NG voices). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe';
import { VOICE_SELECT, openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
let page: Page;
const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-ui-'));
/** What the page asked the app to speak: each sample text, and the voice of each speak. */
const samples: string[] = [];
const voices: (string | undefined)[] = [];
const pageErrors: Error[] = [];
/** The words of every lexicon the engine was sent. */
const sentToEngine: string[][] = [];


beforeAll(async () => {
  reader = await openReader({ dataDir, engineConfig: { dataDir } });
  page = reader.page;
  page.on('pageerror', (error) => pageErrors.push(error));
  reader.intercept('text:set', (real, params, client) => {
    if (params.sample) samples.push(params.text);
    return real(params, client);
  });
  const engine = reader.web.services.engine;
  const request = engine.request.bind(engine);
  engine.request = ((method: string, params: { entries?: { pattern: string }[] }, ...rest: unknown[]) => {
    if (method === 'lexicon') sentToEngine.push((params.entries ?? []).map((e) => e.pattern));
    return (request as (...args: unknown[]) => unknown)(method, params, ...rest);
  }) as typeof engine.request;
  reader.intercept('speech:speak', (real, params, client) => {
    voices.push(params.voice);
    return real(params, client);
  });
});

afterAll(async () => {
  await reader?.close();
  rmSync(dataDir, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

const dialog = () => page.getByRole('dialog', { name: 'Pronunciations' });
const listed = () => dialog().locator('.entries li:not(.empty)').allTextContents();
const words = () => dialog().locator('.entries .word').allTextContents();
const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id ?? document.activeElement?.textContent);

/** More ▾ → Pronunciations…, with the keyboard only. */
async function openEditor(): Promise<void> {
  await page.getByRole('button', { name: 'More ▾' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Pronunciations…' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => dialog().isVisible()).toBe(true);
}

describe('the pronunciations editor (Chromium, bridge, library)', () => {
  it('adds a word with its phonemes and hears it at once in the chosen voice, by keyboard only', async () => {
    await page.locator(VOICE_SELECT).selectOption('espeak:gmw/en');
    await openEditor();
    // The word field is the first in the dialog: it has the focus.
    expect(await focusedName()).toBe('lexicon-word');
    await page.keyboard.type('Kokoro');
    // Word → Phonemes / Other words (one radio group, one stop) → the phonemes.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('lexicon-value');
    await page.keyboard.type('kˈOkəɹO');
    await page.keyboard.press('Enter');
    await expect.poll(listed).toEqual(['Kokoro /kˈOkəɹO/ Both Hear Edit Delete']);
    await expect.poll(() => page.locator('footer').textContent()).toContain('Saved how to say “Kokoro”.');

    // Hear it: the word, in the voice chosen in the toolbar.
    samples.length = 0;
    voices.length = 0;
    await dialog().getByRole('button', { name: 'Hear it' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => samples).toEqual(['Kokoro']);
    // The sample is set before it is spoken: the speak request may come a moment later.
    await expect.poll(() => voices).toEqual(['espeak:gmw/en']);
    await dialog().getByRole('button', { name: 'Hear Kokoro' }).press('Enter');
    await expect.poll(() => samples).toEqual(['Kokoro', 'Kokoro']);
    // The engine had the new entry before the word was spoken.
    expect(sentToEngine.at(-1)).toEqual(['Kokoro']);
  });

  it('says what is wrong with invalid phonemes in an alert beside the field, and saves nothing', async () => {
    await dialog().getByRole('button', { name: 'New word' }).click();
    await dialog().getByRole('textbox', { name: 'Word', exact: true }).fill('tomato');
    await dialog().getByRole('textbox', { name: 'Phonemes' }).fill('tə#mA$O');
    await dialog().getByRole('button', { name: 'Add', exact: true }).click();
    const alert = dialog().getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('these are not Kokoro phoneme symbols: # $');
    const field = dialog().getByRole('textbox', { name: 'Phonemes' });
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(await alert.getAttribute('id'));
    // The focus is on the field to correct.
    expect(await focusedName()).toBe('lexicon-value');
    expect(await words()).toEqual(['Kokoro']);
    // Corrected, it saves, and the alert goes.
    await field.fill('təmˈAtO');
    await dialog().getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(words).toEqual(['Kokoro', 'tomato']);
    expect(await dialog().getByRole('alert').count()).toBe(0);
    expect(await field.getAttribute('aria-invalid')).toBe('false');
  });

  it('searches, edits and deletes', async () => {
    await dialog().getByRole('button', { name: 'New word' }).click();
    await dialog().getByRole('textbox', { name: 'Word', exact: true }).fill('Dr.');
    await dialog().getByRole('radio', { name: 'Other words' }).check();
    await dialog().getByRole('textbox', { name: 'Say it as' }).fill('Doctor');
    await dialog().getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(words).toEqual(['Kokoro', 'tomato', 'Dr.']);

    await dialog().getByRole('searchbox', { name: 'Search' }).fill('tom');
    await expect.poll(words).toEqual(['tomato']);
    await dialog().getByRole('searchbox', { name: 'Search' }).fill('doctor');
    await expect.poll(words).toEqual(['Dr.']);
    await dialog().getByRole('searchbox', { name: 'Search' }).fill('zzz');
    await expect.poll(() => dialog().locator('.entries li').allTextContents()).toEqual(['No pronunciation matches “zzz”.']);
    await dialog().getByRole('searchbox', { name: 'Search' }).fill('');
    await expect.poll(words).toEqual(['Kokoro', 'tomato', 'Dr.']);

    await dialog().getByRole('button', { name: 'Edit tomato' }).click();
    expect(await dialog().getByRole('textbox', { name: 'Word', exact: true }).inputValue()).toBe('tomato');
    expect(await dialog().getByRole('textbox', { name: 'Phonemes' }).inputValue()).toBe('təmˈAtO');
    await dialog().getByRole('textbox', { name: 'Phonemes' }).fill('təmˈɑtO');
    await dialog().getByRole('radio', { name: 'British' }).check();
    await dialog().getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(listed).toContain('tomato /təmˈɑtO/ British Hear Edit Delete');

    await dialog().getByRole('button', { name: 'Delete Dr.' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(words).toEqual(['Kokoro', 'tomato']);
    // The row went: the search field has the focus.
    expect(await focusedName()).toBe('lexicon-search');
  });

  it('exports as JSON and TSV, and imports a TSV file', async () => {
    const [json] = await Promise.all([page.waitForEvent('download'), dialog().getByRole('button', { name: 'Export JSON' }).click()]);
    expect(json.suggestedFilename()).toBe('pronunciations.json');
    const exported = JSON.parse(readFileSync(await json.path(), 'utf8')) as { format: string; entries: { pattern: string; value: string; lang: string }[] };
    expect(exported.format).toBe('kokoro-reader-lexicon');
    expect(exported.entries.map((e) => [e.pattern, e.value, e.lang])).toEqual([
      ['Kokoro', 'kˈOkəɹO', 'all'],
      ['tomato', 'təmˈɑtO', 'en-gb'],
    ]);
    await expect.poll(() => dialog().locator('.note').textContent()).toBe('Exported 2 pronunciations as pronunciations.json.');

    const [tsv] = await Promise.all([page.waitForEvent('download'), dialog().getByRole('button', { name: 'Export TSV' }).click()]);
    expect(tsv.suggestedFilename()).toBe('pronunciations.tsv');
    expect(readFileSync(await tsv.path(), 'utf8')).toMatch(/^\d+\tall\tword\tphonemes\tKokoro\tkˈOkəɹO\n\d+\ten-gb\tword\tphonemes\ttomato\ttəmˈɑtO\n$/);

    await dialog()
      .locator('[data-testid="lexicon-file"]')
      .setInputFiles({ name: 'mine.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from('\tall\tword\treplacement\tetc\tet cetera\n\tall\tword\tphonemes\tKokoro\tkˈOkəɹO\n') });
    await expect.poll(() => dialog().locator('.note').textContent()).toBe('Imported mine.tsv: 1 added, 0 changed, 1 already the same.');
    await expect.poll(words).toEqual(['Kokoro', 'tomato', 'etc']);

    await dialog().locator('[data-testid="lexicon-file"]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"}') });
    await expect.poll(() => dialog().locator('.note').textContent()).toContain('"format" must be "kokoro-reader-lexicon"');
    expect(await words()).toEqual(['Kokoro', 'tomato', 'etc']);
  });

  it('hands the engine every change, and keeps the pronunciations after a reload', async () => {
    expect(sentToEngine.at(-1)).toEqual(['Kokoro', 'tomato', 'etc']);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().isVisible()).toBe(false);
    await reader.load();
    await openEditor();
    await expect.poll(words).toEqual(['Kokoro', 'tomato', 'etc']);
  });

  it('has no accessibility violation (axe-core) with the editor open, an error shown, in either theme', async () => {
    await dialog().getByRole('textbox', { name: 'Word', exact: true }).fill('');
    await dialog().getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => dialog().getByRole('alert').textContent()).toContain('the word is empty');
    expect(await dialog().getByRole('textbox', { name: 'Word', exact: true }).getAttribute('aria-invalid')).toBe('true');
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      expect(await axeViolations(page), theme).toEqual([]);
    }
    await page.evaluate(() => delete document.documentElement.dataset.theme);
  });
});
