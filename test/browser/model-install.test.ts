import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src-main/services/models';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';
import { tabTo } from './keys';
import { axeInBothThemes } from './axe';
import { writeKokoroFixture } from '../helpers/kokoro-fixtures';
import { ROOT, requireBuild } from '../helpers/paths';
import { FixtureServer } from '../models/fixture-server';

const REV = '0123456789abcdef0123456789abcdef01234567';
const root = mkdtempSync(join(tmpdir(), 'kokoro-install-ui-'));
const source = join(root, 'source');
const modelDir = join(root, 'models');
const dataDir = join(root, 'data');
/** A folder holding only the vocabulary, to import from. */
const vocabOnly = join(root, 'vocab-only');
const server = new FixtureServer();
let reader: ReaderPage;
let page: Page;
/** The model's files, largest first: the download starts with the one whose progress is watched. */
let files: string[] = [];

const pathOf = (name: string) => `/${REV}/${name}`;
/** A size as the window shows it ("8 kB", "5.4 MB"). */
const shown = (bytes: number) => (bytes < 1e6 ? `${Math.round(bytes / 1e3)} kB` : `${(bytes / 1e6).toFixed(1)} MB`);
const sizeOf = (dir: string, name: string) => statSync(join(dir, name)).size;
const modelSize = () => files.reduce((sum, name) => sum + sizeOf(source, name), 0);
const install = () => page.getByTestId('model-install');
const activity = () => install().getAttribute('data-activity');
const partialSize = (name: string) => (existsSync(join(modelDir, `${name}.partial`)) ? statSync(join(modelDir, `${name}.partial`)).size : null);
const voiceIds = () => page.locator('select[aria-label="Voice"] option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));

beforeAll(async () => {
  requireBuild();
  for (const dir of [source, modelDir, dataDir, vocabOnly]) mkdirSync(dir);
  writeKokoroFixture(source, 'descriptive');
  copyFileSync(join(ROOT, '..', 'shared', 'kokoro', 'vocab.json'), join(source, 'vocab.json'));
  copyFileSync(join(source, 'vocab.json'), join(vocabOnly, 'vocab.json'));
  files = readdirSync(source).sort((a, b) => statSync(join(source, b)).size - statSync(join(source, a)).size);
  await server.start();
  for (const name of files) server.serve(pathOf(name), readFileSync(join(source, name)));
  const modelManifest = parseManifest({
    schemaVersion: 1,
    id: 'fixture',
    description: 'the fixture graphs',
    files: files.map((name) => ({
      name,
      role: name,
      format: name.endsWith('.tflite') ? 'tflite' : name.endsWith('.json') ? 'json' : 'float32',
      revision: REV,
      url: server.url(pathOf(name)),
      size: statSync(join(source, name)).size,
      sha256: null,
    })),
  });
  reader = await openReader({ dataDir, engineConfig: { modelDir, dataDir }, modelManifest });
  page = reader.page;
  // Set once: still there at the end means the page was never reloaded.
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
});

afterAll(async () => {
  await reader?.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('installing the Kokoro model from the window (local model server, fixture graphs)', () => {
  it('offers the download with its size from the manifest, in place of a command to run', async () => {
    await expect.poll(() => install().isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: `Natural voices: download ${shown(modelSize())}` }).isVisible()).toBe(true);
    expect(await page.locator('main').textContent()).not.toContain('models download');
    expect(await voiceIds()).not.toContain('kokoro:af_heart');
    // The install panel; the page as a whole is the layout's and accessibility's tests'.
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
  });

  it('imports from a folder by its full path, says what is still missing, and the doctor says what the folder lacks', async () => {
    const field = page.getByLabel('Folder with the model files');
    await field.fill('vocab-only');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'full path' }).count()).toBe(1);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill(vocabOnly);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => install().getByRole('status').textContent()).toContain('Imported 1 file.');
    expect(await install().getByRole('status').textContent()).toContain('Still missing: kokoro_');
    expect(await field.getAttribute('aria-invalid')).toBe('false');
    expect(existsSync(join(modelDir, 'vocab.json'))).toBe(true);
    await page.getByRole('button', { name: 'Check the model folder' }).click();
    await expect.poll(() => page.getByTestId('model-doctor').textContent()).toContain('problems');
    expect(await page.getByTestId('model-doctor').locator('li').first().textContent()).toMatch(/kokoro_.*missing/);
  });

  it('cancels a download: what arrived is removed, and the offer comes back', async () => {
    const [first = ''] = files;
    server.fault(pathOf(first), { kind: 'stall', after: 64 });
    await page.getByRole('button', { name: /^Natural voices: download/ }).click();
    await expect.poll(activity).toBe('downloading');
    await expect.poll(() => partialSize(first)).toBe(64);
    await page.getByRole('button', { name: 'Cancel download' }).click();
    await expect.poll(() => install().getByRole('status').textContent()).toBe('Download cancelled.');
    expect(await activity()).toBe('idle');
    expect(partialSize(first)).toBeNull();
    await expect.poll(() => page.getByRole('button', { name: /^Natural voices: download/ }).isVisible()).toBe(true);
  });

  it('shows progress with size, speed and time left; pauses; resumes where it stopped; then the engine reloads and the Kokoro voices appear without a restart', async () => {
    const [first = ''] = files;
    const after = Math.min(Math.floor(sizeOf(source, first) / 2), 8000);
    // A slow line: a little at a time, then nothing, so the download is still running when paused.
    server.fault(pathOf(first), { kind: 'trickle', after, chunk: Math.max(1, Math.floor(after / 40)), everyMs: 50 });
    // By keyboard alone: Tab to the offer, Enter; later Tab to Pause and Resume.
    await tabTo(page, /^Natural voices: download/);
    await page.keyboard.press('Enter');
    const figures = page.getByTestId('model-progress');
    await expect.poll(() => figures.textContent()).toMatch(/^[\d.]+ kB of [\d.]+ MB · [\d.]+ kB\/s · (\d+ min )?\d+ s left$/);
    expect(await page.getByRole('progressbar', { name: 'Download progress' }).getAttribute('aria-valuetext')).toMatch(/kB of/);
    await expect.poll(() => partialSize(first)).toBe(after);
    await tabTo(page, 'Pause');
    await page.keyboard.press('Enter');
    await expect.poll(() => install().getAttribute('data-paused')).toBe('true');
    expect(await install().textContent()).toContain('The download is paused.');
    // While paused: what is on disk (the imported vocabulary and the partial file) of the whole model.
    expect(await figures.textContent()).toBe(`${shown(after + sizeOf(vocabOnly, 'vocab.json'))} of ${shown(modelSize())}`);
    expect(partialSize(first)).toBe(after);
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });

    await tabTo(page, 'Resume');
    await page.keyboard.press('Enter');
    await expect.poll(voiceIds, { timeout: 60_000 }).toContain('kokoro:af_heart');
    // Resumed, not started over: the last request for the file asked for the rest only.
    expect(server.requestsFor(pathOf(first)).at(-1)?.range).toBe(`bytes=${after}-`);
    // The new default voice is taken (none had been chosen), and the page was never reloaded.
    await expect.poll(() => page.locator('select[aria-label="Voice"]').inputValue()).toBe('kokoro:af_heart');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.locator('footer [role="status"]').textContent()).toContain('The natural voices are installed and ready.');
    expect(await install().count()).toBe(0);
  }, 120_000);

  it('checks the installed model from More → Natural voices…: verify, and the doctor in plain words', async () => {
    await page.getByRole('button', { name: 'More ▾' }).click();
    await page.getByRole('button', { name: 'Natural voices…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Natural voices' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Verify the files' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Every model file checked out.');
    await dialog.getByRole('button', { name: 'Check the model folder' }).click();
    await expect.poll(() => dialog.getByTestId('model-doctor').textContent()).toContain('Every model file is there');
    expect(await axeInBothThemes(page)).toEqual({ light: [], dark: [] });
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('sets the precision in More → Natural voices…: main keeps it, so the window shows it again after a reload', async () => {
    const openDialog = async () => {
      await page.getByRole('button', { name: 'More ▾' }).click();
      await page.getByRole('button', { name: 'Natural voices…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Natural voices' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      return dialog;
    };
    let dialog = await openDialog();
    const exact = () => dialog.getByRole('radio', { name: /^Exact/ });
    const fast = () => dialog.getByRole('radio', { name: /^Fast/ });
    await expect.poll(() => exact().isChecked()).toBe(true);
    await fast().check();
    await expect.poll(() => fast().isChecked()).toBe(true);
    await page.reload();
    dialog = await openDialog();
    await expect.poll(() => fast().isChecked()).toBe(true);
    expect(await exact().isChecked()).toBe(false);
    // Back to the default, for the tests after this one.
    await exact().check();
    await expect.poll(() => exact().isChecked()).toBe(true);
    await page.keyboard.press('Escape');
  });
});
