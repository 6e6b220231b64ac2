import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpenedDocument, SpeakParams } from '../../src-shared/ipc/contract';
import { documentSentenceTable, pastedSentenceTable } from '../../src-shared/document/sentence-table';
import type { ImportedDocument } from '../../src-shared/document/model';
import { speechRate } from '../../src-shared/library/progress';
import { audioClock, fakeChunk, installFakeAudioContext } from '../lib/testing/fake-web-audio';
import { installMemoryStorage, uninstallMemoryStorage } from '../lib/testing/memory-storage';
import type { PlaybackStore } from './playback.svelte';
import type { ReadingStore } from './reading.svelte';
import type { StatusStore } from './status.svelte';
import type { VoicesStore } from './voices.svelte';
import { FakeApi } from './testing/fake-api';
import type { FakeAudioLink } from './testing/fake-audio-link';
import { readingAloud } from './testing/reading-aloud';

let api: FakeApi;
let audio: FakeAudioLink;
let status: StatusStore;
let voices: VoicesStore;
let reading: ReadingStore;
let playback: PlaybackStore;
let uninstall: () => void;
let at: (seconds: number) => void;

const TEXT = 'One here. Two here. Three here. Four here.';

const speaks = (): SpeakParams[] => api.paramsOf('speech:speak');

beforeEach(async () => {
  uninstall = installFakeAudioContext();
  api = new FakeApi()
    .answer('app:info', () => ({ version: '0', defaultVoice: 'espeak:gmw/en-US', engines: ['espeak'] }))
    .answer('voices:list', () => [
      { id: 'espeak:gmw/en-US', engine: 'espeak', name: 'American', language: 'en-us' },
      { id: 'espeak:gmw/en', engine: 'espeak', name: 'British', language: 'en-gb' },
    ]);
  const stores = readingAloud(api);
  ({ audio, status, voices, reading, playback } = stores);
  at = (seconds) => stores.at(seconds);
  await voices.init();
});

afterEach(() => uninstall());

describe('PlaybackStore', () => {
  it('registers the pasted text once, reads it by id, follows the audio clock and finishes ready to start over', async () => {
    reading.draft = TEXT;
    await playback.play();
    expect(api.paramsOf('text:set')).toEqual([{ text: TEXT }]);
    expect(speaks()).toEqual([{ textId: 'pasted', fromSentence: 0, voice: 'espeak:gmw/en-US', speed: 1 }]);
    expect(playback.playState).toBe('starting');
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 2) });
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(1, 2, 2) });
    audio.send({ kind: 'end', session: 's1', chunks: 2 });
    expect(playback.playState).toBe('playing');
    at(0.5);
    expect(playback.current).toBe(0);
    at(2.5);
    expect(playback.current).toBe(2);
    // The engine hears which chunk plays: its credit to synthesise further ahead.
    expect(audio.reports).toEqual([
      { kind: 'playing', session: 's1', sequence: 0 },
      { kind: 'playing', session: 's1', sequence: 1 },
    ]);
    at(4.1);
    expect(playback.playState).toBe('idle');
    expect(status.message).toBe('Finished.');
    expect(playback.current).toBe(-1);
    await playback.play();
    expect(speaks().at(-1)?.fromSentence).toBe(0);
    expect(api.paramsOf('text:set')).toHaveLength(1);
  });

  it('keeps chunks and the end that overtake the answer to speak', async () => {
    reading.draft = TEXT;
    let answer: () => void = () => undefined;
    api.answer('speech:speak', () => new Promise((resolve) => (answer = () => resolve({ session: 's9', voice: 'v', sentenceCount: 4 }))));
    const playing = playback.play();
    await vi.waitFor(() => expect(speaks()).toHaveLength(1));
    audio.send({ kind: 'chunk', session: 's9', chunk: fakeChunk(0, 0, 4) });
    audio.send({ kind: 'end', session: 's9', chunks: 1 });
    answer();
    await playing;
    expect(playback.playState).toBe('playing');
    at(4.1);
    expect(status.message).toBe('Finished.');
  });

  it('applies new settings from the next sentence: the rest of the heard sentence plays, later audio is asked for again', async () => {
    reading.draft = TEXT;
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 4) });
    at(1.5);
    expect(playback.current).toBe(1);
    const start = audioClock().sources[0]?.startAt ?? 0;
    voices.speed = 1.5;
    await playback.settingsChanged();
    expect(speaks().at(-1)).toMatchObject({ fromSentence: 2, speed: 1.5 });
    expect(api.paramsOf('speech:stop')).toContainEqual({ session: 's1' });
    // The one chunk of four sentences stops at the end of the second.
    expect(audioClock().sources[0]?.stopAt).toBeCloseTo(start + 2);
    expect(playback.playState).toBe('playing');
    // Audio of the old session that still arrives is not played.
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(1, 4, 1) });
    expect(audioClock().sources).toHaveLength(1);

    // A second change before the new audio has come: still from the next sentence, never the heard one again.
    at(2.2);
    expect(status.message).toBe('Preparing speech…');
    voices.speed = 2;
    await playback.settingsChanged();
    expect(speaks().map((s) => [s.fromSentence, s.speed])).toEqual([
      [0, 1],
      [2, 1.5],
      [2, 2],
    ]);
    audio.send({ kind: 'chunk', session: 's3', chunk: fakeChunk(0, 2, 2) });
    audio.send({ kind: 'end', session: 's3', chunks: 1 });
    expect(status.message).toBe('');
    at(2.7);
    expect(playback.current).toBe(2);
    expect(audio.reports.at(-1)).toEqual({ kind: 'playing', session: 's3', sequence: 0 });
  });

  it('ends the stream, without an error, when only skipped blocks follow the heard sentence', async () => {
    reading.draft = TEXT;
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 2) });
    at(0.5);
    api.answer('speech:speak', () => ({ ok: false, error: { code: 'NOTHING_SPEAKABLE', message: 'The text contains nothing that can be spoken.' } }));
    await playback.settingsChanged();
    expect(status.error).toBeUndefined();
    at(1.2);
    expect(playback.playState).toBe('idle');
    expect(status.message).toBe('Finished.');
  });

  it('shows the chapter the voice is in, and keeps positions per chapter for the library', async () => {
    const book: ImportedDocument = {
      title: 'Book',
      format: 'markdown',
      chapters: [
        { title: 'A', order: 0, text: 'First. Second.', blocks: [{ kind: 'paragraph', start: 0, end: 14 }] },
        { title: 'B', order: 1, text: 'Third. Fourth.', blocks: [{ kind: 'paragraph', start: 0, end: 14 }] },
      ],
    };
    const table = documentSentenceTable(book);
    const opened: OpenedDocument = { ...book, text: { textId: 'book', sentences: table.sentences, chapterStarts: table.chapterStarts }, libraryId: 3 };
    api.answer('document:open', () => opened).answer('prefs:get', () => ({ voice: '', speed: 1, starred: [], forDocument: false }));
    await reading.open({ handle: 'h1' }, 'book.md');
    expect(reading.view?.sentences.map((s) => [s.index, s.start, s.end])).toEqual([
      [0, 0, 6],
      [1, 7, 14],
    ]);
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 4) });
    at(2.5);
    // One session reads on into the next chapter, and the window shows it.
    expect(playback.current).toBe(2);
    expect(reading.chapter).toBe(1);
    expect(reading.view?.text).toBe('Third. Fourth.');
    await playback.togglePause();
    expect(api.paramsOf('library:position').at(-1)).toEqual({ documentId: 3, chapterIndex: 1, sentenceIndex: 0, charOffset: 0, flush: true });
  });

  it('reads from the last of two quick seeks, even when the first one\'s stop is answered last', async () => {
    reading.draft = TEXT;
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 2) });
    let answerStop: () => void = () => undefined;
    api.answer('speech:stop', () => new Promise((resolve) => (answerStop = () => resolve({ stopped: true }))));
    // The first seek waits on the app to stop s1; the second has no session left to stop.
    const first = playback.play(1);
    const second = playback.play(2);
    await second;
    answerStop();
    await first;
    expect(speaks().map((s) => s.fromSentence)).toEqual([0, 2]);
    expect(playback.current).toBe(2);
  });

  it('starts nothing when Stop comes while the text is still being registered', async () => {
    reading.draft = TEXT;
    const registered = api.paramsOf('text:set').length;
    let answer: () => void = () => undefined;
    api.answer('text:set', ({ text }) => new Promise((resolve) => (answer = () => resolve({ textId: 'pasted', ...pastedSentenceTable(text), paragraphs: [] }))));
    const playing = playback.play();
    await vi.waitFor(() => expect(api.paramsOf('text:set')).toHaveLength(registered + 1));
    await playback.stop();
    answer();
    await playing;
    expect(speaks()).toEqual([]);
    expect(playback.playState).toBe('idle');
  });

  it('drops a late answer after a failure, so nothing plays while the window says it stopped', async () => {
    reading.draft = TEXT;
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 1) });
    audio.send({ kind: 'error', session: 's1', error: { code: 'ENGINE_CRASHED', message: 'The speech engine stopped unexpectedly and is restarting.' } });
    expect(playback.playState).toBe('idle');
    expect(status.error?.code).toBe('ENGINE_CRASHED');
    expect(audioClock().sources[0]?.stopAt).toBe(0);
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(1, 1, 1) });
    expect(audioClock().sources).toHaveLength(1);
  });
});

const BOOK: ImportedDocument = {
  title: 'Book',
  format: 'markdown',
  chapters: [
    { title: 'A', order: 0, text: 'First. Second.', blocks: [{ kind: 'paragraph', start: 0, end: 14 }] },
    { title: 'B', order: 1, text: 'Third. Fourth.', blocks: [{ kind: 'paragraph', start: 0, end: 14 }] },
  ],
};

async function openBook(): Promise<void> {
  const table = documentSentenceTable(BOOK);
  const opened: OpenedDocument = { ...BOOK, text: { textId: 'book', sentences: table.sentences, chapterStarts: table.chapterStarts }, libraryId: 3 };
  api.answer('document:open', () => opened).answer('prefs:get', () => ({ voice: '', speed: 1, starred: [], forDocument: false }));
  await reading.open({ handle: 'h1' }, 'book.md');
}

describe('PlaybackStore times and speech rate', () => {
  const KEY_AT_1 = 'espeak:gmw/en-US@1.00';

  it('times known audio exactly, estimates the rest, and measures the rate on sentences heard in full', async () => {
    reading.draft = TEXT; // Sentences of 9, 9, 11 and 10 characters.
    await playback.play();
    // Nothing heard yet: 39 characters at the default rate.
    expect(playback.timesAt(0)?.book).toMatchObject({ elapsed: 0, exact: false });
    expect(playback.timesAt(0)?.book.total).toBeCloseTo(39 / speechRate('espeak:gmw/en-US'));
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 2) });
    // Sentences 0 and 1 are known (1 s each); 2 and 3 are still estimated.
    expect(playback.timesAt(1)?.book.elapsed).toBe(1);
    expect(playback.timesAt(1)?.book.total).toBeCloseTo(2 + 21 / speechRate('espeak:gmw/en-US'));
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(1, 2, 2, 3) });
    audio.send({ kind: 'end', session: 's1', chunks: 2 });
    at(0.5);
    at(1.5);
    at(2.5);
    at(5.5);
    expect(playback.current).toBe(3);
    const times = playback.timesAt(playback.position);
    expect(times?.book).toEqual({ elapsed: 5, total: 8, exact: true });
    expect(times?.chapter).toMatchObject({ index: 0, first: 0, last: 3, elapsed: 5, total: 8 });
    // Sentences 0, 1 and 2 were heard in full; 3 is still being heard.
    expect(playback.rates[KEY_AT_1]).toEqual({ chars: 29, seconds: 5 });
    // At another speed the audio made is not this speed's: estimated from the measured rate, scaled.
    voices.speed = 2;
    expect(playback.timesAt(3)?.book.total).toBeCloseTo(39 / ((29 / 5) * 2));
    expect(playback.timesAt(3)?.book.exact).toBe(false);
  });

  it('keeps a library book\'s sentence durations: opened again, the sentences heard before are timed exactly', async () => {
    installMemoryStorage();
    try {
      await openBook();
      await playback.play();
      audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 2, 1.5) });
      at(0.5);
      await playback.stop();
      // The next start: new stores, the same page storage.
      const later = readingAloud(api);
      await later.voices.init();
      await later.reading.open({ handle: 'h1' }, 'book.md');
      // Sentences 0 and 1 heard (1.5 s each), 2 and 3 estimated.
      const times = later.playback.timesAt(0);
      expect(times?.chapter).toMatchObject({ total: 3, exact: true });
      expect(times?.book.exact).toBe(false);
      expect(times?.book.total).toBeCloseTo(3 + 13 / speechRate('espeak:gmw/en-US')); // "Third." and "Fourth."
      // At another speed the audio is other audio: estimated.
      later.voices.speed = 1.5;
      expect(later.playback.timesAt(0)?.chapter.exact).toBe(false);
      // Another text, pasted: none of the book's durations are taken for its sentences.
      later.voices.speed = 1;
      await later.playback.play();
      later.audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 1, 1.5) });
      await later.playback.stop();
      later.reading.edit();
      later.reading.draft = TEXT;
      await later.playback.play();
      expect(later.playback.timesAt(0)?.book).toMatchObject({ exact: false });
      expect(later.playback.timesAt(0)?.book.total).toBeCloseTo(39 / speechRate('espeak:gmw/en-US'));
    } finally {
      uninstallMemoryStorage();
    }
  });

  it('keeps a book\'s durations when another text is opened and stopped before any of its audio came', async () => {
    installMemoryStorage();
    try {
      await openBook();
      await playback.play();
      audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 2, 1.5) });
      await playback.stop();
      reading.edit();
      reading.draft = TEXT;
      await playback.play();
      await playback.stop();
      const later = readingAloud(api);
      await later.voices.init();
      await later.reading.open({ handle: 'h1' }, 'book.md');
      expect(later.playback.timesAt(0)?.chapter).toMatchObject({ total: 3, exact: true });
    } finally {
      uninstallMemoryStorage();
    }
  });

  it('says playing, paused and each new chapter, not every sentence; the position is said when asked', async () => {
    await openBook();
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 4) });
    expect(status.message).toBe('Playing chapter 1 of 2: A.');
    at(1.5);
    expect(playback.current).toBe(1);
    expect(status.message).toBe('Playing chapter 1 of 2: A.');
    at(2.5);
    expect(status.message).toBe('Playing chapter 2 of 2: B.');
    playback.announcePosition();
    expect(status.message).toBe('Sentence 3 of 4 in chapter 2, 0:00 of 0:02; book 0:02 of 0:04.');
    await playback.togglePause();
    expect(status.message).toBe('Paused.');
    await playback.togglePause();
    expect(status.message).toBe('Playing chapter 2 of 2: B.');
  });
});

describe('PlaybackStore volume', () => {
  it('plays through a gain at the chosen volume, changed at once while playing', async () => {
    playback.setVolume(0.3);
    reading.draft = TEXT;
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 2) });
    expect(audioClock().gains[0]?.gain.value).toBeCloseTo(0.3);
    playback.setVolume(0.6);
    expect(playback.volume).toBeCloseTo(0.6);
    expect(audioClock().gains[0]?.gain.value).toBeCloseTo(0.6);
    playback.setVolume(7);
    expect(playback.volume).toBe(1);
  });
});

describe('PlaybackStore sleep timer', () => {
  afterEach(() => vi.useRealTimers());

  it('stops at the end of the chapter being read, ready to go on with the next', async () => {
    await openBook();
    playback.setSleep('chapter');
    expect(status.message).toContain('end of the chapter');
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 4) });
    at(1.5);
    expect(playback.playState).toBe('playing');
    at(2.2);
    await vi.waitFor(() => expect(status.message).toBe('Sleep timer: reading stopped at the end of the chapter.'));
    expect(playback.playState).toBe('idle');
    expect(api.paramsOf('speech:stop')).toContainEqual({ session: 's1' });
    expect(audioClock().sources[0]?.stopAt).toBeLessThan(Infinity);
    expect(playback.sleep).toBeUndefined();
    // Play goes on from the next chapter's first sentence.
    expect(playback.current).toBe(2);
    expect(reading.chapter).toBe(1);
  });

  it('stops after the minutes chosen, showing the time left; cancelled, it does not', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    reading.draft = TEXT;
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 4, 1000) });
    playback.setSleep(30);
    playback.setSleep(undefined);
    expect(status.message).toBe('Sleep timer off.');
    playback.setSleep(15);
    expect(playback.sleepLeft).toBe(15 * 60);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(playback.sleepLeft).toBe(14 * 60);
    expect(playback.playState).toBe('playing');
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    await vi.waitFor(() => expect(status.message).toBe('Sleep timer: reading stopped after 15 minutes.'));
    expect(playback.playState).toBe('idle');
    expect(playback.sleepLeft).toBeUndefined();
    // The cancelled 30-minute timer never fires.
    await playback.play();
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    expect(playback.playState).not.toBe('idle');
  });

  it('counts minutes of reading: a pause holds the timer, resuming goes on from what was left', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    reading.draft = TEXT;
    // Set before Play: nothing counts until the voice reads.
    playback.setSleep(15);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(playback.sleepLeft).toBe(15 * 60);
    await playback.play();
    audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 4, 1000) });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(playback.sleepLeft).toBe(5 * 60);
    await playback.togglePause();
    expect(playback.playState).toBe('paused');
    // An hour's pause: still five minutes of reading left, and reading is not stopped.
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(playback.sleepLeft).toBe(5 * 60);
    expect(playback.playState).toBe('paused');
    await playback.togglePause();
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(playback.playState).toBe('playing');
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitFor(() => expect(status.message).toBe('Sleep timer: reading stopped after 15 minutes.'));
    expect(playback.playState).toBe('idle');
  });
});
