import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SpeakParams } from '../../src-shared/ipc/contract';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';

let reader: ReaderPage;
let page: Page;
/** Every `speech:speak` the page sent, in order, and every session it stopped. */
const speaks: SpeakParams[] = [];
const stops: (string | undefined)[] = [];

const TWELVE = Array.from({ length: 12 }, (_, i) => `This is sentence number ${i + 1}.`).join(' ');
const BOOK = ['# First chapter', '', 'One. Two. Three.', '', '# Second chapter', '', 'Four here. Five here. Six here. Seven here.', ''].join('\n');

beforeAll(async () => {
  reader = await openReader();
  page = reader.page;
  reader.intercept('speech:speak', (real, params, client) => {
    speaks.push(params);
    return real(params, client);
  });
  reader.intercept('speech:stop', (real, params, client) => {
    stops.push(params.session);
    return real(params, client);
  });
});

afterAll(async () => {
  await reader?.close();
});

beforeEach(async () => {
  await reader.load();
  speaks.length = 0;
  stops.length = 0;
});

interface Sample {
  sentence: number | undefined;
  state: string | undefined;
  status: string;
}

const sample = (): Promise<Sample> =>
  page.evaluate(() => {
    const current = document.querySelector<HTMLElement>('[aria-current="true"][data-sentence]');
    return {
      sentence: current ? Number(current.dataset.sentence) : undefined,
      state: document.querySelector<HTMLElement>('[data-play-state]')?.dataset.playState,
      status: document.querySelector('[role="status"]')?.textContent ?? '',
    };
  });

/** Samples the page until `until` holds for the latest sample; returns every sample taken. */
async function watch(until: (last: Sample) => boolean, timeoutMs = 30_000): Promise<Sample[]> {
  const seen: Sample[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const last = await sample();
    seen.push(last);
    if (until(last)) return seen;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`gave up waiting; last: ${JSON.stringify(seen.slice(-3))}`);
}

/** Sentences in the order they were highlighted while playing, without repeats in a row. */
const heardOrder = (seen: Sample[]): number[] =>
  seen
    .filter((s) => s.state === 'playing')
    .map((s) => s.sentence)
    .filter((s): s is number => s !== undefined)
    .filter((s, i, all) => s !== all[i - 1]);

const status = () => page.locator('[role="status"]').textContent();

async function pasteAndPlay(text: string): Promise<void> {
  await page.locator('textarea').fill(text);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
}

async function openBook(): Promise<void> {
  await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'book.md', mimeType: 'text/markdown', buffer: Buffer.from(BOOK) });
  await expect.poll(status).toContain('Opened');
}

describe('changing settings while reading (Chromium, bridge)', () => {
  it('applies a new speed from the next sentence, without Stop and Play, and asks again for the audio made ahead', async () => {
    await pasteAndPlay(TWELVE);
    await watch((s) => s.state === 'playing' && (s.sentence ?? -1) >= 1);
    const sessionsBefore = speaks.length;
    // Read the sentence being heard and move the slider in one step, as a user's drag ends.
    const heard = await page.evaluate(() => {
      const current = Number(document.querySelector<HTMLElement>('[aria-current="true"][data-sentence]')?.dataset.sentence);
      const range = document.querySelector<HTMLInputElement>('input[type="range"]');
      if (!range) throw new Error('no speed slider');
      range.value = '2';
      range.dispatchEvent(new Event('input', { bubbles: true }));
      range.dispatchEvent(new Event('change', { bubbles: true }));
      return current;
    });
    const after = await watch((s) => s.state === 'idle');
    expect(speaks.length).toBe(sessionsBefore + 1);
    expect(speaks.at(-1)).toMatchObject({ speed: 2, fromSentence: heard + 1 });
    // The session with audio made at the old speed was stopped.
    expect(stops.length).toBeGreaterThanOrEqual(1);
    // Reading went on from the sentence being heard, each sentence once, to the end.
    expect(heardOrder(after)).toEqual(Array.from({ length: 12 - heard }, (_, i) => heard + i));
    expect(after.some((s) => s.state === 'starting')).toBe(false);
    expect(after.at(-1)?.status).toContain('Finished');
  });

  it('applies a new voice from the next sentence, also while paused', async () => {
    await pasteAndPlay(TWELVE);
    await watch((s) => s.state === 'playing' && (s.sentence ?? -1) >= 1);
    await page.keyboard.press('Space');
    const paused = await watch((s) => s.state === 'paused');
    const heard = paused.at(-1)?.sentence ?? -1;
    await page.locator('select').selectOption('espeak:gmw/en');
    await expect.poll(() => speaks.at(-1)?.voice).toBe('espeak:gmw/en');
    expect(speaks.at(-1)?.fromSentence).toBe(heard + 1);
    expect((await sample()).state).toBe('paused');
    await page.keyboard.press('Space');
    const after = await watch((s) => s.state === 'idle');
    expect(heardOrder(after)).toEqual(Array.from({ length: 12 - heard }, (_, i) => heard + i));
  });
});

describe('the keys and the status while reading', () => {
  it('pauses with Space after Ctrl+Enter from a chosen chapter, instead of pressing the focused chapter button', async () => {
    await openBook();
    await page.getByRole('navigation', { name: 'Chapters' }).getByRole('button', { name: 'Second chapter' }).click();
    await page.keyboard.press('Control+Enter');
    await watch((s) => s.state === 'playing' && (s.sentence ?? -1) >= 1);
    await page.keyboard.press('Space');
    const paused = await watch((s) => s.state === 'paused');
    // Still the second chapter, at the sentence it had reached.
    expect(await page.locator('.reading').textContent()).toContain('Four here.');
    expect(paused.at(-1)?.sentence).toBeGreaterThanOrEqual(1);
    await page.keyboard.press('Space');
    await watch((s) => s.state === 'playing');
    await page.keyboard.press('Escape');
    await watch((s) => s.state === 'idle');
  });

  it('pauses with Space after the Next button was clicked, without skipping another sentence', async () => {
    await pasteAndPlay(TWELVE);
    await watch((s) => s.state === 'playing' && s.sentence === 0);
    await page.getByRole('button', { name: 'Next sentence' }).click();
    await watch((s) => s.state === 'playing' && s.sentence === 1);
    await page.keyboard.press('Space');
    const paused = await watch((s) => s.state === 'paused');
    expect(paused.at(-1)?.sentence).toBe(1);
    expect(speaks.map((s) => s.fromSentence)).toEqual([0, 1]);
    await page.keyboard.press('Escape');
  });

  it('does not say "Paused." once reading has resumed', async () => {
    await pasteAndPlay(TWELVE);
    await watch((s) => s.state === 'playing');
    await page.keyboard.press('Space');
    expect((await watch((s) => s.state === 'paused')).at(-1)?.status).toContain('Paused.');
    await page.keyboard.press('Space');
    const playing = await watch((s) => s.state === 'playing');
    expect(playing.at(-1)?.status).not.toContain('Paused');
    await page.keyboard.press('Escape');
  });

  it('reads from the beginning when Play is pressed after the end', async () => {
    await pasteAndPlay('First one. Second one. Third one.');
    await watch((s) => s.state === 'idle' && s.status.includes('Finished'));
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const again = await watch((s) => s.state === 'idle' && s.status.includes('Finished'));
    expect(heardOrder(again)).toEqual([0, 1, 2]);
    expect(speaks.at(-1)?.fromSentence).toBe(0);
  });
});

describe('editing the text of an open book', () => {
  it('asks first; "Keep reading" keeps the book, "Edit the text" edits it and clears the old message', async () => {
    // An error in the footer from an earlier attempt.
    await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'broken.epub', mimeType: 'application/epub+zip', buffer: Buffer.from('not a zip') });
    await expect.poll(status).toMatch(/cannot be opened|damaged/i);
    await openBook();
    await page.getByRole('button', { name: 'Edit text' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('heading').textContent()).toMatch(/^Edit the text of “.+”\?$/);
    await dialog.getByRole('button', { name: 'Keep reading' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.getByRole('navigation', { name: 'Chapters' }).isVisible()).toBe(true);

    await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'broken.epub', mimeType: 'application/epub+zip', buffer: Buffer.from('not a zip') });
    await expect.poll(status).toMatch(/cannot be opened|damaged/i);
    await page.getByRole('button', { name: 'Edit text' }).click();
    await dialog.getByRole('button', { name: 'Edit the text' }).click();
    await expect.poll(() => page.locator('textarea').inputValue()).toContain('One. Two. Three.');
    expect(await page.getByRole('navigation', { name: 'Chapters' }).count()).toBe(0);
    expect((await status())?.trim()).toBe('');
  });

  it('edits pasted text at once, without asking', async () => {
    await pasteAndPlay('Just a line.');
    await watch((s) => s.state === 'idle');
    await page.getByRole('button', { name: 'Edit text' }).click();
    await expect.poll(() => page.locator('textarea').isVisible()).toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);
  });
});

describe('a long pasted text', () => {
  it('is not split into sentences while it is typed, only once when reading starts', async () => {
    const long = Array.from({ length: 5000 }, (_, i) => `Sentence ${i} has a few words.`).join(' ');
    const segmentations = () => page.evaluate(() => performance.getEntriesByName('kokoro-reader:segment-sentences').length);
    await page.locator('textarea').fill(long);
    const before = await segmentations();
    await page.locator('textarea').press('End');
    await page.locator('textarea').pressSequentially(' More words', { delay: 0 });
    expect(await segmentations()).toBe(before);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await watch((s) => s.state === 'playing');
    expect(await segmentations()).toBe(before + 1);
    await page.keyboard.press('Escape');
  });
});

describe('a browser page without the bridge token', () => {
  it('says that the address is missing its token, instead of "Engine: starting" for ever', async () => {
    const url = new URL(reader.web.bridge.url);
    url.search = '';
    const browser = page.context().browser();
    if (!browser) throw new Error('no browser');
    const other = await browser.newPage();
    try {
      await other.goto(url.href);
      const text = () => other.locator('[role="status"]').textContent();
      await expect.poll(text).toContain('missing its token');
      expect(await text()).toContain('npm run dev:web');
      expect(await text()).not.toContain('Engine:');
    } finally {
      await other.close();
    }
  });
});
