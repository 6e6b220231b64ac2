import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VOICE_SELECT, openReader } from './reader-page';
import type { ReaderPage } from './reader-page';
import { writeKokoroFixture } from '../helpers/kokoro-fixtures';
import { ROOT, requireBuild } from '../helpers/paths';

let reader: ReaderPage;
let page: Page;
const root = mkdtempSync(join(tmpdir(), 'kokoro-ui-'));

beforeAll(async () => {
  requireBuild();
  const modelDir = join(root, 'models');
  const dataDir = join(root, 'data');
  for (const dir of [modelDir, dataDir]) mkdirSync(dir);
  writeKokoroFixture(modelDir, 'descriptive');
  copyFileSync(join(ROOT, '..', 'shared', 'kokoro', 'vocab.json'), join(modelDir, 'vocab.json'));
  reader = await openReader({ dataDir, engineConfig: { modelDir, dataDir } });
  page = reader.page;
});

afterAll(async () => {
  await reader?.close();
  rmSync(root, { recursive: true, force: true });
});

const playState = () => page.evaluate(() => document.querySelector<HTMLElement>('[data-play-state]')?.dataset.playState);

describe('the reader with a Kokoro model installed (fixture graphs)', () => {
  it('uses Kokoro by default, without the install hint', async () => {
    expect(await page.locator(VOICE_SELECT).inputValue()).toBe('kokoro:af_heart');
    expect(await page.locator('footer').textContent()).not.toContain('models download');
  });

  it('reads with Kokoro: the highlight follows the model timings to the end', async () => {
    await page.locator('textarea').fill('Hello world.');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(playState, { timeout: 20_000 }).toBe('playing');
    expect(await page.locator('[aria-current="true"]').textContent()).toBe('Hello world.');
    await expect.poll(playState, { timeout: 20_000 }).toBe('idle');
    expect(await page.locator('[role="status"]').textContent()).toContain('Finished');
  });

  it('saves a named blend, lists it with the voices and reads with it', async () => {
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByRole('button', { name: 'New voice blend…' }).click();
    await page.locator('form.blend input').nth(0).fill('Warm narrator');
    await page.locator('form.blend input').nth(1).fill('af_heart*0.6+bf_emma*0.4');
    await page.getByRole('button', { name: 'Save blend' }).click();
    await expect.poll(() => page.locator(VOICE_SELECT).inputValue()).toBe('kokoro:af_heart*0.6+bf_emma*0.4');
    expect(await page.locator('select option:checked').textContent()).toBe('Warm narrator (blend)');
    await page.locator('[data-sentence="0"]').click();
    await expect.poll(playState, { timeout: 20_000 }).toBe('playing');
    await expect.poll(playState, { timeout: 20_000 }).toBe('idle');
  });

  it('refuses a blend of voices that are not installed, saying which', async () => {
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByRole('button', { name: 'New voice blend…' }).click();
    await page.locator('form.blend input').nth(0).fill('Nobody');
    // The keyboard lands in the form.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('Warm narrator');
    await page.locator('form.blend input').nth(1).fill('af_heart*0.5+zz_nobody*0.5');
    await page.getByRole('button', { name: 'Save blend' }).click();
    await expect.poll(() => page.locator('[role="status"]').textContent()).toContain('zz_nobody');
    // Esc closes the form.
    await page.locator('form.blend input').nth(0).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('form.blend').count()).toBe(0);
  });
});

describe('the reader with an incomplete Kokoro model folder', () => {
  let broken: ReaderPage;
  const brokenRoot = mkdtempSync(join(tmpdir(), 'kokoro-ui-incomplete-'));

  afterAll(async () => {
    await broken?.close();
    rmSync(brokenRoot, { recursive: true, force: true });
  });

  it('says which file is missing and how to fix it when the saved voice is a Kokoro voice', async () => {
    const modelDir = join(brokenRoot, 'models');
    const dataDir = join(brokenRoot, 'data');
    for (const dir of [modelDir, dataDir]) mkdirSync(dir);
    // The graphs and host data, without the vocabulary.
    writeKokoroFixture(modelDir, 'descriptive');
    broken = await openReader({ dataDir, engineConfig: { modelDir, dataDir } });
    await broken.web.services.handlers['prefs:set']({ voice: 'kokoro:af_heart' }, { id: 'test', emit: () => undefined });
    await broken.load();
    const footer = broken.page.locator('footer');
    await expect.poll(() => footer.textContent()).toContain('Your voice “af_heart” is not available');
    const text = await footer.textContent();
    expect(text).toContain(`${modelDir} is missing vocab.json (or config.json)`);
    expect(text).toContain('kokoro-reader models download');
    expect(text).toContain('kokoro-reader models doctor');
    expect(await broken.page.locator(VOICE_SELECT).inputValue()).toBe('espeak:gmw/en-US');
  });
});
