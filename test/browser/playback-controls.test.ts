import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SpeakParams } from '../../src-shared/ipc/contract';
import { axeViolations } from './axe';
import { openReader } from './reader-page';
import type { ReaderPage } from './reader-page';
import { tabTo } from './keys';

let reader: ReaderPage;
let page: Page;
/** Every `speech:speak` the page sent, in order. */
const speaks: SpeakParams[] = [];

const TWELVE = Array.from({ length: 12 }, (_, i) => `This is sentence number ${i + 1}.`).join(' ');
const CHAPTER_TWO = Array.from({ length: 10 }, (_, i) => `Chapter two has line ${i + 1}.`).join(' ');
/** Sentences 0–2 in the first chapter, 3–12 in the second. */
const BOOK = ['# First chapter', '', 'One. Two. Three.', '', '# Second chapter', '', CHAPTER_TWO, ''].join('\n');

interface PageSpies {
  gains: GainNode[];
  media: Partial<Record<string, (() => void) | null>>;
}

beforeAll(async () => {
  reader = await openReader();
  page = reader.page;
  reader.intercept('speech:speak', (real, params, client) => {
    speaks.push(params);
    return real(params, client);
  });
  // Spies on the page's audio graph and media session, installed before the app's own code runs.
  await page.addInitScript(() => {
    const spies = { gains: [] as GainNode[], media: {} as Record<string, (() => void) | null> };
    (window as unknown as { spies: typeof spies }).spies = spies;
    const createGain = AudioContext.prototype.createGain;
    AudioContext.prototype.createGain = function (this: AudioContext) {
      const gain = createGain.call(this);
      spies.gains.push(gain);
      return gain;
    };
    const setActionHandler = MediaSession.prototype.setActionHandler;
    MediaSession.prototype.setActionHandler = function (this: MediaSession, action: MediaSessionAction, handler: MediaSessionActionHandler | null) {
      spies.media[action] = handler as (() => void) | null;
      setActionHandler.call(this, action, handler);
    };
  });
});

afterAll(async () => {
  await reader?.close();
});

beforeEach(async () => {
  await page.evaluate(() => localStorage.removeItem('kokoro-reader:volume')).catch(() => undefined);
  await reader.load();
  speaks.length = 0;
});

const playState = () => page.locator('[data-play-state]').getAttribute('data-play-state');
const status = async () => (await page.locator('[role="status"]').textContent()) ?? '';
/** The sentence highlighted now, or -1. */
const current = () => page.evaluate(() => Number(document.querySelector<HTMLElement>('[aria-current="true"][data-sentence]')?.dataset.sentence ?? -1));
const slider = (name: string) => page.getByRole('slider', { name, exact: true });
const gainValue = () => page.evaluate(() => (window as unknown as { spies: PageSpies }).spies.gains.at(-1)?.gain.value);

async function pasteAndPlay(text: string): Promise<void> {
  await page.locator('textarea').fill(text);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(playState).toBe('playing');
}

async function openBook(): Promise<void> {
  await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'book.md', mimeType: 'text/markdown', buffer: Buffer.from(BOOK) });
  await expect.poll(status).toContain('Opened');
}

describe('progress and seeking (Chromium, bridge)', () => {
  it('shows the chapter’s and the book’s elapsed and remaining time, in the sliders’ spoken values too', async () => {
    await openBook();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(playState).toBe('playing');
    expect(await slider('Chapter').getAttribute('aria-valuetext')).toMatch(/^Chapter 1, \d+:\d\d of \d+:\d\d$/);
    expect(await slider('Book').getAttribute('aria-valuetext')).toMatch(/^Book, \d+:\d\d of \d+:\d\d$/);
    expect(await page.locator('.seek .times').first().textContent()).toMatch(/^\d+:\d\d \/ ~?\d+:\d\d, ~?\d+:\d\d left$/);
    // The headings are read too: chapter 1 is sentences 0–3, chapter 2 is 4–14.
    expect(await slider('Chapter').getAttribute('max')).toBe('3');
    expect(await slider('Book').getAttribute('max')).toBe('14');
    // Once the voice has reached chapter 2, the chapter slider covers its sentences only.
    await page.keyboard.press('Escape');
    await expect.poll(playState).toBe('idle');
    await page.getByRole('navigation', { name: 'Chapters' }).getByRole('button', { name: 'Second chapter' }).click();
    await expect.poll(() => slider('Chapter').getAttribute('min')).toBe('4');
    expect(await slider('Chapter').getAttribute('aria-valuetext')).toMatch(/^Chapter 2, 0:00 of \d+:\d\d$/);
  });

  it('reads from the sentence under the pointer when a drag ends, asking for audio once', async () => {
    await openBook();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(playState).toBe('playing');
    const book = slider('Book');
    const box = await book.boundingBox();
    if (!box) throw new Error('the Book slider is not shown');
    const y = box.y + box.height / 2;
    const max = Number(await book.getAttribute('max'));
    const xOf = (sentence: number): number => box.x + 8 + ((box.width - 16) * sentence) / max;
    const before = speaks.length;
    await page.mouse.move(xOf(0), y);
    await page.mouse.down();
    for (const sentence of [2, 4, 6, 8, 9]) await page.mouse.move(xOf(sentence), y, { steps: 2 });
    // While dragging the slider shows where it would read, and nothing is asked for yet.
    expect(Number(await book.inputValue())).toBeGreaterThanOrEqual(8);
    expect(speaks.length).toBe(before);
    await page.mouse.up();
    const target = Number(await book.inputValue());
    expect(Math.abs(target - 9)).toBeLessThanOrEqual(1);
    await expect.poll(() => speaks.length).toBe(before + 1);
    expect(speaks.at(-1)?.fromSentence).toBe(target);
    await expect.poll(current).toBe(target);
    await expect.poll(playState).toBe('playing');
    expect(await slider('Chapter').getAttribute('aria-valuetext')).toMatch(/^Chapter 2, /);
    await page.keyboard.press('Escape');
  });

  it('seeks with the arrow keys on the slider, by keyboard alone', async () => {
    await page.locator('textarea').focus();
    await page.keyboard.insertText(TWELVE);
    await page.keyboard.press('Control+Enter');
    await expect.poll(playState).toBe('playing');
    await tabTo(page, /^Position/);
    const from = Number(await slider('Position').inputValue());
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    // Two sentences on from where the slider was; reading may itself have moved on meanwhile
    // on a slow machine, so the seek lands at least two past `from`, where the slider says.
    // The bridge hears the two seeks in turn; wait for the second.
    await expect.poll(() => speaks.at(-1)?.fromSentence ?? -1).toBeGreaterThanOrEqual(from + 2);
    const landed = speaks.at(-1)?.fromSentence ?? -1;
    expect(landed).toBeLessThanOrEqual(from + 3);
    await expect.poll(current).toBeGreaterThanOrEqual(landed);
    await page.keyboard.press('End');
    await expect.poll(() => speaks.at(-1)?.fromSentence).toBe(11);
    await expect.poll(current).toBe(11);
    // I says where reading is, on demand (from the text, where the letter is not the slider's).
    await page.locator('.reading').focus();
    await page.keyboard.press('i');
    await expect.poll(status).toMatch(/Sentence 12 of 12, \d+:\d\d of \d+:\d\d\./);
    await page.keyboard.press('Escape');
    await expect.poll(playState).toBe('idle');
  });
});

describe('the status while reading', () => {
  it('says playing, paused and the chapter, never the sentence number on its own', async () => {
    await openBook();
    await page.evaluate(() => {
      const w = window as unknown as { statuses: string[] };
      w.statuses = [];
      const region = document.querySelector('[role="status"]');
      if (!region) throw new Error('no status region');
      new MutationObserver(() => w.statuses.push(region.textContent ?? '')).observe(region, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(status).toContain('Playing chapter 1 of 2: First chapter.');
    await expect.poll(status, { timeout: 60_000 }).toContain('Playing chapter 2 of 2: Second chapter.');
    await page.keyboard.press('Space');
    await expect.poll(status).toContain('Paused.');
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses.filter((s) => /Sentence \d+ of/.test(s))).toEqual([]);
    await page.keyboard.press('Escape');
  });
});

describe('volume', () => {
  it('applies to the audio graph’s gain at once and is the same after a reload', async () => {
    await pasteAndPlay(TWELVE);
    await expect.poll(gainValue).toBe(1);
    await tabTo(page, /^Volume/);
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(gainValue).toBeCloseTo(0.8);
    expect(await slider('Volume').getAttribute('aria-valuetext')).toBe('80%');
    // Still reading: the change did not restart anything.
    expect(speaks).toHaveLength(1);
    await page.keyboard.press('Escape');
    await expect.poll(playState).toBe('idle');

    await reader.load();
    expect(await slider('Volume').inputValue()).toBe('80');
    await pasteAndPlay(TWELVE);
    await expect.poll(gainValue).toBeCloseTo(0.8);
    await page.keyboard.press('Escape');
  });
});

describe('speed while reading', () => {
  it('asks for the next sentence at the new speed when + is pressed, without restarting the one being heard', async () => {
    await pasteAndPlay(TWELVE);
    await expect.poll(current).toBeGreaterThanOrEqual(1);
    await page.locator('.reading').focus();
    const heard = await current();
    await page.keyboard.press('+');
    await expect.poll(() => speaks.length).toBe(2);
    // Asked for from the sentence after the one being heard (it may have moved on by one since).
    expect(speaks[1]?.speed).toBeCloseTo(1.1);
    expect([heard + 1, heard + 2]).toContain(speaks[1]?.fromSentence);
    expect(await playState()).toBe('playing');
    await page.keyboard.press('Escape');
  });
});

describe('sleep timer', () => {
  it('stops at the end of the chapter, and shows that it will', async () => {
    await openBook();
    await page.getByRole('button', { name: 'Sleep timer', exact: true }).click();
    await page.getByRole('group', { name: 'Stop reading' }).getByRole('button', { name: 'At the end of the chapter' }).click();
    await expect.poll(() => page.getByText('Stops at the chapter’s end').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(playState).toBe('playing');
    await expect.poll(status, { timeout: 60_000 }).toContain('Sleep timer: reading stopped at the end of the chapter.');
    expect(await playState()).toBe('idle');
    // It stopped where chapter 2 begins, and Play goes on from there.
    expect(await slider('Chapter').getAttribute('aria-valuetext')).toMatch(/^Chapter 2, 0:00 of/);
    expect(speaks.map((s) => s.fromSentence)).toEqual([0]);
    expect(await page.getByText('Stops at the chapter’s end').count()).toBe(0);
  });

  it('shows the minutes left and can be cancelled, by keyboard', async () => {
    await pasteAndPlay(TWELVE);
    await tabTo(page, /^Sleep timer/);
    await page.keyboard.press('Enter');
    // The first choice has the focus; the third is 30 minutes.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('In 30 minutes');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.sleep-state').textContent()).toMatch(/Stops (in|after) (30:00|29:\d\d)/);
    // The focus is back on the Sleep timer button.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sleep timer');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel sleep timer');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.sleep-state').count()).toBe(0);
    expect(await status()).toContain('Sleep timer off.');
    await page.keyboard.press('Escape');
  });
});

describe('media keys and the system’s media overlay', () => {
  it('shows the title and chapter, and play, pause and next track drive the reading', async () => {
    await openBook();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(playState).toBe('playing');
    const metadata = () => page.evaluate(() => ({ title: navigator.mediaSession.metadata?.title, artist: navigator.mediaSession.metadata?.artist, album: navigator.mediaSession.metadata?.album, state: navigator.mediaSession.playbackState }));
    expect(await metadata()).toEqual({ title: expect.stringMatching(/\S/), artist: 'First chapter', album: 'First chapter', state: 'playing' });
    const press = (action: string) => page.evaluate((a) => (window as unknown as { spies: PageSpies }).spies.media[a]?.(), action);
    await press('pause');
    await expect.poll(playState).toBe('paused');
    expect((await metadata()).state).toBe('paused');
    await press('play');
    await expect.poll(playState).toBe('playing');
    const before = speaks.length;
    const heard = await current();
    await press('nexttrack');
    await expect.poll(() => speaks.length).toBe(before + 1);
    expect(speaks.at(-1)?.fromSentence).toBeGreaterThan(heard);
    await press('stop');
    await expect.poll(playState).toBe('idle');
    // Idle, the keys are handed back to other players.
    await expect.poll(() => page.evaluate(() => (window as unknown as { spies: PageSpies }).spies.media.play ?? null)).toBeNull();
    expect((await metadata()).title).toBeUndefined();
  });
});

describe('accessibility while reading', () => {
  it('has no axe-core violation with the player controls shown, in both themes', async () => {
    await openBook();
    await page.getByRole('button', { name: 'Sleep timer', exact: true }).click();
    await page.getByRole('button', { name: 'In 15 minutes' }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(playState).toBe('playing');
    await page.keyboard.press('Space');
    await expect.poll(playState).toBe('paused');
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      expect(await axeViolations(page), theme).toEqual([]);
    }
    await page.getByRole('button', { name: 'Sleep timer', exact: true }).click();
    expect(await axeViolations(page), 'sleep choices open').toEqual([]);
    await page.evaluate(() => delete document.documentElement.dataset.theme);
    await page.keyboard.press('Escape');
  });
});
