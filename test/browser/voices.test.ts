/**
 * The voice picker in Chromium, over the bridge: a Kokoro model (the fixture graphs) and eSpeak
 * NG, a library for the stars and blends, and the audio cache for the previews.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focusedName, tabTo } from './keys';
import { axeViolations } from './axe';
import { VOICE_SELECT, openReader } from './reader-page';
import type { ReaderPage } from './reader-page';
import { writeKokoroFixture } from '../helpers/kokoro-fixtures';
import { ROOT, requireBuild } from '../helpers/paths';

let reader: ReaderPage;
let page: Page;
const root = mkdtempSync(join(tmpdir(), 'kokoro-voices-ui-'));
/** The voice of every `speech:speak` the page made, in order. */
const spoken: (string | undefined)[] = [];
const pageErrors: Error[] = [];


const AMERICAN = 'English (America) (eSpeak NG)';
const BRITISH = 'English (Great Britain) (eSpeak NG)';

beforeAll(async () => {
  requireBuild();
  const modelDir = join(root, 'models');
  const dataDir = join(root, 'data');
  for (const dir of [modelDir, dataDir]) mkdirSync(dir);
  writeKokoroFixture(modelDir, 'descriptive');
  copyFileSync(join(ROOT, '..', 'shared', 'kokoro', 'vocab.json'), join(modelDir, 'vocab.json'));
  reader = await openReader({ dataDir, engineConfig: { modelDir, dataDir } });
  page = reader.page;
  page.on('pageerror', (error) => pageErrors.push(error));
  reader.intercept('speech:speak', (real, params, client) => {
    spoken.push(params.voice);
    return real(params, client);
  });
});

afterAll(async () => {
  await reader?.close();
  rmSync(root, { recursive: true, force: true });
  expect(pageErrors).toEqual([]);
});

const picker = () => page.getByRole('dialog', { name: 'Voices' });
const headings = (level: 3 | 4) => picker().locator(`h${level}`).allTextContents();
const voiceRow = (name: string) => picker().locator('li', { has: page.getByRole('button', { name, exact: true }) });
const previewSource = () => picker().locator('[data-preview-source]').getAttribute('data-preview-source');

/** Opens the picker from the toolbar with the keyboard only. */
async function openPicker(): Promise<void> {
  await tabTo(page, 'Voices…');
  await page.keyboard.press('Enter');
  await expect.poll(() => picker().isVisible()).toBe(true);
}

async function closePicker(): Promise<void> {
  await page.keyboard.press('Escape');
  await expect.poll(() => picker().isVisible()).toBe(false);
}

describe('the voice picker (Chromium, bridge, Kokoro fixture and eSpeak NG)', () => {
  it('groups the voices by engine and language, with only the languages each engine reads, and filters them', async () => {
    await openPicker();
    // The filter has the focus: typing narrows the list at once.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    expect(await headings(3)).toEqual(['Kokoro (natural voices)', 'eSpeak NG']);
    const kokoroLanguages = await picker().locator('section', { has: page.getByRole('heading', { name: 'Kokoro (natural voices)' }) }).locator('h4').allTextContents();
    // Kokoro's G2P is English: its Japanese, French … voices are not offered.
    expect(kokoroLanguages).toEqual(['American English', 'British English']);
    expect(await picker().getByRole('button', { name: /^Alpha \(Japanese/ }).count()).toBe(0);
    const espeakLanguages = await picker().locator('section', { has: page.getByRole('heading', { name: 'eSpeak NG' }) }).locator('h4').allTextContents();
    expect(espeakLanguages.length).toBeGreaterThan(20);
    expect(espeakLanguages).toContain('French (France)');

    await page.keyboard.type('british female');
    await expect.poll(() => headings(4)).toEqual(['British English']);
    const names = await picker().locator('button.choose').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => /British English, female/.test(name))).toBe(true);
    expect(await picker().locator('.count').textContent()).toBe(`${names.length} voice${names.length === 1 ? '' : 's'} match “british female”`);
    // Esc in the filter empties it first (as a search field does); the next Esc closes the picker.
    await page.keyboard.press('Escape');
    await expect.poll(() => headings(3)).toEqual(['Kokoro (natural voices)', 'eSpeak NG']);
    expect(await picker().isVisible()).toBe(true);
    await closePicker();
  });

  it('chooses a voice with the keyboard only: filter, Down, Enter', async () => {
    await openPicker();
    await page.keyboard.type('great britain');
    await expect.poll(() => picker().locator('button.choose').allTextContents()).toEqual([BRITISH]);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(BRITISH);
    await page.keyboard.press('Enter');
    await expect.poll(() => picker().isVisible()).toBe(false);
    await expect.poll(() => page.locator(VOICE_SELECT).inputValue()).toBe('espeak:gmw/en');
    // Up and Down move along the rows, whichever button of a row has the focus.
    await openPicker();
    await page.keyboard.press('ArrowDown');
    const first = await page.evaluate(() => document.activeElement?.textContent);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement?.textContent);
    expect(second).not.toBe(first);
    await page.keyboard.press('Home');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(first);
    await closePicker();
  });

  it('stars a voice: it is listed first, once, and still after a reload', async () => {
    await openPicker();
    await voiceRow(AMERICAN).getByRole('button', { name: `Star ${AMERICAN}` }).click();
    await expect.poll(() => headings(3)).toEqual(['Starred', 'Kokoro (natural voices)', 'eSpeak NG']);
    // The focus went with the row to its new place.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Unstar ${AMERICAN}`);
    expect(await picker().locator('section').first().locator('button.choose').allTextContents()).toEqual([AMERICAN]);
    expect(await picker().getByRole('button', { name: AMERICAN, exact: true }).count()).toBe(1);
    await closePicker();

    await reader.load();
    await openPicker();
    expect(await headings(3)).toEqual(['Starred', 'Kokoro (natural voices)', 'eSpeak NG']);
    expect(await voiceRow(AMERICAN).getByRole('button', { name: `Unstar ${AMERICAN}` }).getAttribute('aria-pressed')).toBe('true');
    // The toolbar's list shows the same stars.
    expect(await page.locator('optgroup[label="Starred"] option').allTextContents()).toEqual([`★ ${AMERICAN}`]);
    await voiceRow(AMERICAN).getByRole('button', { name: `Unstar ${AMERICAN}` }).click();
    await expect.poll(() => headings(3)).toEqual(['Kokoro (natural voices)', 'eSpeak NG']);
    await closePicker();
  });

  it('previews a voice: the engine speaks the sample in that voice, and a second preview comes from the audio cache', async () => {
    const chosen = await page.locator(VOICE_SELECT).inputValue();
    await openPicker();
    spoken.length = 0;
    const preview = () => voiceRow(AMERICAN).getByRole('button', { name: new RegExp(`^(Preview|Stop the preview of) ${AMERICAN.replace(/[()]/g, '\\$&')}$`) });
    await preview().click();
    await expect.poll(() => spoken).toEqual(['espeak:gmw/en-US']);
    await expect.poll(previewSource).toBe('engine');
    expect(await picker().locator('[role="status"]').textContent()).toBe(`Previewing ${AMERICAN}…`);
    // Heard to its end: the button offers the preview again.
    await expect.poll(() => preview().textContent()).toBe('Preview');

    await preview().click();
    await expect.poll(() => spoken).toEqual(['espeak:gmw/en-US', 'espeak:gmw/en-US']);
    await expect.poll(previewSource).toBe('cache');
    await expect.poll(() => preview().textContent()).toBe('Preview');
    // A preview is not a choice.
    expect(await page.locator(VOICE_SELECT).inputValue()).toBe(chosen);
    await closePicker();
  });

  it('makes a blend and deletes it in the picker', async () => {
    // By keyboard alone: Tab to New blend…, type the name and the mix, Enter saves.
    await openPicker();
    await tabTo(page, 'New blend…', true);
    await page.keyboard.press('Enter');
    await tabTo(page, 'Name');
    await page.keyboard.type('Duet');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Mix');
    await page.keyboard.type('af_heart*0.5+bf_emma*0.5');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(VOICE_SELECT).inputValue()).toBe('kokoro:af_heart*0.5+bf_emma*0.5');
    await expect.poll(() => picker().locator('section', { has: page.getByRole('heading', { name: 'Kokoro (natural voices)' }) }).locator('h4').allTextContents()).toEqual([
      'American English',
      'British English',
      'Blends',
    ]);
    const blend = voiceRow('Duet (blend)');
    expect(await blend.locator('button.choose').getAttribute('aria-current')).toBe('true');

    // Found by the filter, then Down to it and Tab to its Delete.
    await tabTo(page, /^Filter/);
    await page.keyboard.type('Duet');
    await page.keyboard.press('ArrowDown');
    expect(await focusedName(page)).toBe('Duet (blend)');
    await tabTo(page, 'Delete Duet (blend)');
    await page.keyboard.press('Enter');
    await expect.poll(() => picker().getByRole('button', { name: 'Duet (blend)', exact: true }).count()).toBe(0);
    await expect.poll(() => page.locator('footer').textContent()).toContain('Deleted the blend “Duet”.');
    // The deleted blend was the voice: the default reads instead, and the blend is gone after a reload too.
    expect(await page.locator(VOICE_SELECT).inputValue()).toBe('kokoro:af_heart');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    // Esc in a search field with text clears it first: the filter is emptied before Esc closes.
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await closePicker();
    await reader.load();
    expect(await page.locator('select option').allTextContents()).not.toContain('Duet (blend)');
  });

  it('has no accessibility violation (axe-core) with the picker open, in either theme', async () => {
    await openPicker();
    await voiceRow(BRITISH).getByRole('button', { name: `Star ${BRITISH}` }).click();
    await expect.poll(() => headings(3)).toContain('Starred');
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      expect(await axeViolations(page), theme).toEqual([]);
    }
    await page.evaluate(() => delete document.documentElement.dataset.theme);
    await closePicker();
  });
});
