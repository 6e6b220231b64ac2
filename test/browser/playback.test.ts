import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SpeakParams } from '../../src-shared/ipc/contract';
import { VOICE_SELECT, openReader } from './reader-page';
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
  await record();
  speaks.length = 0;
  stops.length = 0;
});

interface Sample {
  sentence: number | undefined;
  state: string | undefined;
  status: string;
}

/** The page as it is now: the highlighted sentence, the play state, the status line. */
const sample = (): Promise<Sample> =>
  page.evaluate(() => {
    const current = document.querySelector<HTMLElement>('[aria-current="true"][data-sentence]');
    return {
      sentence: current ? Number(current.dataset.sentence) : undefined,
      state: document.querySelector<HTMLElement>('[data-play-state]')?.dataset.playState,
      status: document.querySelector('[role="status"]')?.textContent ?? '',
    };
  });

/**
 * From now on, records in the page every change of the highlight and of the play state (a
 * MutationObserver, so no change is missed however loaded the machine is).
 */
async function record(): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { seen: unknown[]; recorder?: MutationObserver };
    w.recorder?.disconnect();
    w.seen = [];
    const snap = (): void => {
      const current = document.querySelector<HTMLElement>('[aria-current="true"][data-sentence]');
      w.seen.push({
        sentence: current ? Number(current.dataset.sentence) : undefined,
        state: document.querySelector<HTMLElement>('[data-play-state]')?.dataset.playState,
        status: document.querySelector('[role="status"]')?.textContent ?? '',
      });
    };
    snap();
    w.recorder = new MutationObserver(snap);
    w.recorder.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-current', 'data-play-state'] });
  });
}

/** Waits until the page's state satisfies `until`; returns every state recorded since record(). */
async function watch(until: (now: Sample) => boolean, timeoutMs = 30_000): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  let now = await sample();
  while (!until(now)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting; the page is at ${JSON.stringify(now)}`);
    await new Promise((r) => setTimeout(r, 30));
    now = await sample();
  }
  return page.evaluate(() => (window as unknown as { seen: Sample[] }).seen);
}

/** Sentences in the order they were highlighted while playing, without repeats in a row. */
const heardOrder = (seen: Sample[]): number[] =>
  seen
    .filter((s) => s.state === 'playing')
    .map((s) => s.sentence)
    .filter((s): s is number => s !== undefined)
    .filter((s, i, all) => s !== all[i - 1]);

/** Reading went on from `from`, each sentence once and in order, to the last of `total`. */
function expectEachOnceFrom(order: number[], from: number, total: number): void {
  expect(order.slice(order.indexOf(from))).toEqual(Array.from({ length: total - from }, (_, i) => from + i));
  expect(new Set(order).size).toBe(order.length);
}

/** Moves the speed slider as the end of a drag does; returns the sentence highlighted at that moment. */
function changeSpeed(speed: number): Promise<number> {
  return page.evaluate((value) => {
    const current = Number(document.querySelector<HTMLElement>('[aria-current="true"][data-sentence]')?.dataset.sentence);
    const range = document.querySelector<HTMLInputElement>('input[type="range"]');
    if (!range) throw new Error('no speed slider');
    range.value = String(value);
    range.dispatchEvent(new Event('input', { bubbles: true }));
    range.dispatchEvent(new Event('change', { bubbles: true }));
    return current;
  }, speed);
}

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
    await record();
    const heard = await changeSpeed(2);
    const after = await watch((s) => s.state === 'idle');
    expect(speaks.length).toBe(sessionsBefore + 1);
    expect(speaks.at(-1)).toMatchObject({ speed: 2, fromSentence: heard + 1 });
    // The session with audio made at the old speed was stopped.
    expect(stops.length).toBeGreaterThanOrEqual(1);
    expectEachOnceFrom(heardOrder(after), heard, 12);
    expect(after.some((s) => s.state === 'starting')).toBe(false);
    expect(after.at(-1)?.status).toContain('Finished');
  });

  it('applies a new voice from the next sentence, also while paused', async () => {
    await pasteAndPlay(TWELVE);
    await watch((s) => s.state === 'playing' && (s.sentence ?? -1) >= 1);
    await page.keyboard.press('Space');
    const paused = await watch((s) => s.state === 'paused');
    const heard = paused.at(-1)?.sentence ?? -1;
    await page.locator(VOICE_SELECT).selectOption('espeak:gmw/en');
    await expect.poll(() => speaks.at(-1)?.voice).toBe('espeak:gmw/en');
    expect(speaks.at(-1)?.fromSentence).toBe(heard + 1);
    expect((await sample()).state).toBe('paused');
    await record();
    await page.keyboard.press('Space');
    const after = await watch((s) => s.state === 'idle');
    expectEachOnceFrom(heardOrder(after), heard, 12);
  });

  it('goes on into the next chapter when only a skipped block follows the sentence being heard', async () => {
    const book = ['# One', '', 'First here. Second here.', '', '```', 'skipped_code();', '```', '', '# Two', '', 'Third here.', ''].join('\n');
    await page.locator('[data-testid="file-input"]').setInputFiles({ name: 'code.md', mimeType: 'text/markdown', buffer: Buffer.from(book) });
    await expect.poll(status).toContain('Opened');
    const second = Number(await page.locator('[data-sentence]', { hasText: 'Second here.' }).getAttribute('data-sentence'));
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await watch((s) => s.state === 'playing' && s.sentence === second);
    await record();
    await page.locator(VOICE_SELECT).selectOption('espeak:gmw/en');
    await watch((s) => s.state === 'idle' && s.status.includes('Finished'));
    expect(await page.locator('.reading').textContent()).toContain('Third here.');
    const seen = await watch(() => true);
    expect(seen.filter((s) => /nothing that can be spoken/.test(s.status))).toEqual([]);
  });

  it('reads no sentence twice when the settings change again before the new audio has come', async () => {
    // The answer to the first request with new settings is held back (the app has taken it and
    // started the session), as when a voice is slow to load.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const restore = reader.intercept('speech:speak', async (real, params, client) => {
      const answer = await real(params, client);
      if ((params.fromSentence ?? 0) > 0 && params.speed === 1.5) await held;
      return answer;
    });
    try {
      await pasteAndPlay(TWELVE);
      await watch((s) => s.state === 'playing' && (s.sentence ?? -1) >= 1);
      await record();
      const heard = await changeSpeed(1.5);
      // The rest of the sentence being heard plays out; then the window waits for the voice.
      await watch((s) => s.state === 'playing' && s.status.includes('Preparing speech'));
      expect(await changeSpeed(1.75)).toBe(heard);
      // The held answer now comes, too late: the window has moved on and ends that session.
      release();
      const after = await watch((s) => s.state === 'idle');
      expect(speaks.map((s) => [s.fromSentence, s.speed])).toEqual([
        [0, 1],
        [heard + 1, 1.5],
        [heard + 1, 1.75],
      ]);
      expectEachOnceFrom(heardOrder(after), heard, 12);
      expect(after.some((s) => s.state === 'starting')).toBe(false);
    } finally {
      release();
      restore();
    }
  });
});

describe('reading a book', () => {
  it('reads on into the next chapter in one session, and shows the chapter being read', async () => {
    await openBook();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect.poll(() => page.locator('.reading').textContent()).toContain('Four here.');
    await watch((s) => s.state === 'idle' && s.status.includes('Finished'));
    expect(speaks.map((s) => s.fromSentence)).toEqual([0]);
    expect(await page.getByRole('navigation', { name: 'Chapters' }).locator('[aria-current="true"]').textContent()).toBe('Second chapter');
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

  it('leaves Space to a focused button when nothing is being read, and to the voice list always', async () => {
    await page.locator('textarea').fill(TWELVE);
    await page.getByRole('button', { name: 'More ▾' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('group', { name: 'More settings' }).isVisible()).toBe(true);
    expect((await sample()).state).toBe('idle');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('group', { name: 'More settings' }).count()).toBe(0);
    // Esc gave the focus back to the button.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('More ▾');

    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await watch((s) => s.state === 'playing');
    await page.locator(VOICE_SELECT).focus();
    await page.keyboard.press('Space');
    expect((await sample()).state).toBe('playing');
    await page.keyboard.press('Escape');
    await page.locator('.reading').focus();
    await page.keyboard.press('Escape');
    await watch((s) => s.state === 'idle');
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
    await record();
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
    // Named by its own heading (the page has other dialogs, hidden).
    const dialog = page.getByRole('dialog', { name: /^Edit the text of “.+”\?$/ });
    await expect.poll(() => dialog.isVisible()).toBe(true);
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
  it('is not sent to the app or split while it is typed, only once when reading starts', async () => {
    const sets: number[] = [];
    const restore = reader.intercept('text:set', (real, params, client) => {
      sets.push(params.text.length);
      return real(params, client);
    });
    try {
      const long = Array.from({ length: 5000 }, (_, i) => `Sentence ${i} has a few words.`).join(' ');
      await page.locator('textarea').fill(long);
      await page.locator('textarea').press('End');
      await page.locator('textarea').pressSequentially(' More words', { delay: 0 });
      expect(sets).toEqual([]);
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await watch((s) => s.state === 'playing');
      // Main split it into sentences; the window shows main's table.
      expect(sets).toEqual([long.length + ' More words'.length]);
      expect(await page.locator('[data-sentence]').count()).toBe(5001);
      // Played again unchanged, it is not sent again.
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await watch((s) => s.state === 'playing');
      expect(sets).toHaveLength(1);
      await page.keyboard.press('Escape');
    } finally {
      restore();
    }
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
