import { pastedSentenceTable } from '../../../src-shared/document/sentence-table';
import { audioClock } from '../../lib/testing/fake-web-audio';
import { LibraryStore } from '../library.svelte';
import { PlaybackStore } from '../playback.svelte';
import { ReadingStore } from '../reading.svelte';
import { StatusStore } from '../status.svelte';
import { VoicesStore } from '../voices.svelte';
import type { FakeApi } from './fake-api';
import { FakeAudioLink } from './fake-audio-link';

/**
 * The stores that read aloud, over a fake app that splits pasted text as main does and answers
 * every `speak` with a new session (s1, s2, …). The store's animation frames wait in `frames`
 * until the spec runs them with `at` (install the fake audio context first).
 */
export function readingAloud(api: FakeApi, { textId = (_text: string): string => 'pasted', sentenceCount = 4 } = {}) {
  let sessions = 0;
  api
    .answer('text:set', ({ text }) => {
      const table = pastedSentenceTable(text);
      return { textId: textId(text), sentences: table.sentences, chapterStarts: table.chapterStarts, paragraphs: table.paragraphs ?? [] };
    })
    .answer('speech:speak', () => ({ session: `s${++sessions}`, voice: 'espeak:gmw/en-US', sentenceCount }))
    .answer('speech:stop', () => ({ stopped: true }));
  const frames: (() => void)[] = [];
  const audio = new FakeAudioLink();
  const status = new StatusStore(api);
  const voices = new VoicesStore(api, status);
  const library = new LibraryStore(api);
  const reading = new ReadingStore(api, status, library, voices);
  const playback = new PlaybackStore({ api, audio, status, voices, reading, library, requestFrame: (tick) => frames.push(tick), cancelFrame: () => undefined });
  return {
    audio,
    status,
    voices,
    library,
    reading,
    playback,
    /** Runs the animation frames waiting now (the store reads the audio clock in them). */
    frame(): void {
      for (const tick of frames.splice(0)) tick();
    },
    /** Moves the audio clock to `seconds` after the first chunk's start, then runs a frame. */
    at(seconds: number): void {
      const clock = audioClock();
      clock.advanceTo((clock.sources[0]?.startAt ?? 0) + seconds);
      this.frame();
    },
  };
}
