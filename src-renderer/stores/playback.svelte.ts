import type { ErrorData } from '../../src-shared/errors/catalogue';
import type { AudioLink, AudioMessage } from '../../src-shared/ipc/audio-port';
import type { ReaderApi } from '../../src-shared/ipc/contract';
import type { HelperControl } from '../../src-shared/screen-helper/types';
import type { AudioChunk } from '../../src-shared/speech/types';
import { ChunkPlayer } from '../lib/chunk-player';
import type { PlayerEvents } from '../lib/chunk-player';
import { saveDurations, savedDurations, saveRates, savedRates, savedVolume, saveVolume } from '../lib/playback-prefs';
import { buildTimeline, charsPerSecond, formatClock, rangeTimes, rateKey, recordPlayed } from '../lib/reading-time';
import type { RangeTimes, SpeechRates, Timeline } from '../lib/reading-time';
import type { LibraryStore } from './library.svelte';
import type { ReadingStore } from './reading.svelte';
import type { StatusStore } from './status.svelte';
import type { VoicesStore } from './voices.svelte';

export type PlayState = 'idle' | 'starting' | 'playing' | 'paused';

/**
 * The sleep timer: stop at the end of the chapter being read, or after minutes of reading. The
 * minutes count only while the voice reads (`countingSince`: the clock when it last started), so
 * a pause does not use up the listener's time.
 */
export type SleepTimer = { kind: 'chapter' } | { kind: 'minutes'; minutes: number; leftMs: number; countingSince: number | undefined };
/** The sleep timer's choices of minutes. */
export const SLEEP_MINUTES = [15, 30, 45, 60] as const;

/** Where reading is, in time: the chapter's and the whole text's elapsed and total seconds. */
export interface ReadingTimes {
  chapter: RangeTimes & { index: number; first: number; last: number };
  book: RangeTimes;
}


/** The status while audio is awaited: at the start, or when playback has caught up with the voice. */
const PREPARING = 'Preparing speech…';

/** What the store needs besides the other stores: the app, the engine's audio, and how to play it. */
export interface PlaybackDeps {
  api: ReaderApi | undefined;
  audio: AudioLink | undefined;
  status: StatusStore;
  voices: VoicesStore;
  reading: ReadingStore;
  library: LibraryStore;
  /** Web Audio playback (tests pass a player over a fake audio context). */
  createPlayer?: (events: PlayerEvents) => ChunkPlayer;
  /** The wall clock and its timers (specs pass fakes); the sleep timer runs on them. */
  now?: () => number;
  /** Runs `tick` on the next frame; returns a handle for `cancelFrame`. */
  requestFrame?: (tick: () => void) => number;
  cancelFrame?: (handle: number) => void;
}

/**
 * Reading aloud: sessions with the app, the audio queue, and where in the text the voice is.
 * Sentences are indexes into the whole text main holds; the shown chapter follows the voice.
 */
export class PlaybackStore {
  private state = $state<PlayState>('idle');
  get playState(): PlayState {
    return this.state;
  }
  set playState(next: PlayState) {
    this.state = next;
    this.followSleepTimer();
  }
  /** The sentence being spoken (or last spoken), -1 for none. */
  current = $state(-1);
  /** The spoken word's range in the whole text, when the engine gave word timings. */
  word = $state<{ start: number; end: number } | undefined>(undefined);
  /** Whether this window's audio may use the audio cache; unset: the app decides (the helper sets its privacy setting). */
  cacheAudio: boolean | undefined = undefined;
  /** 0 to 1, kept across starts. */
  volume = $state(savedVolume());
  /** Characters per second measured on audio played, per voice and speed (kept across starts). */
  rates = $state.raw<SpeechRates>(savedRates());
  sleep = $state<SleepTimer | undefined>(undefined);
  /** The wall clock while a timed sleep timer counts (ticks each second, for the time left). */
  clock = $state(0);

  /**
   * Seconds of each sentence whose audio has arrived, for the text, voice and speed of `knownKey`
   * (bumps `knownVersion`, which is what is watched). A library document's are kept across starts.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- one entry per sentence of a book: a version number is watched instead
  private readonly known = new Map<number, number>();
  private knownKey = '';
  /** The text `known` was measured on (its sentence count and length), saved with it. */
  private knownFingerprint = '';
  private knownVersion = $state(0);
  /** The voice and speed of the audio being requested now. */
  private sessionSettings = { voice: '', speed: 1 };
  /** The sentence the last chunk ended in, when the next chunk may continue it (a long sentence spans chunks). */
  private lastChunkSentence = -1;
  private sleepTimeout: ReturnType<typeof setTimeout> | undefined;
  private sleepTicker: ReturnType<typeof setInterval> | undefined;
  private readonly now: () => number;

  private session: string | undefined;
  // Plain Maps on purpose: buffers for what arrives before the answer to `speak`, never shown.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private early = new Map<string, AudioChunk[]>();
  /** Sessions whose end (or error) arrived before the answer to `speak` did. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never shown
  private earlyEnd = new Map<string, ErrorData | null>();
  private lastReportedSequence = -1;
  private frame = 0;
  /** Bumped by every play and stop: a `speak` answer for an older generation is stale. */
  private generation = 0;
  /** A `speak` request is out and unanswered: its first chunks and its end may arrive before the answer. */
  private awaitingSession = false;
  private readonly player: ChunkPlayer;
  private readonly requestFrame: (tick: () => void) => number;
  private readonly cancelFrame: (handle: number) => void;

  constructor(private readonly deps: PlaybackDeps) {
    this.player = (deps.createPlayer ?? ((events) => new ChunkPlayer(events)))({
      onFinished: () => this.finished(),
      // Also from the audio clock's own events: animation frames stop in a hidden window.
      onAdvance: (sequence) => this.report(sequence),
      // The voice is slower than playback (or a change of settings is being made): say so.
      onStarved: () => {
        if (this.playState === 'playing') deps.status.say(PREPARING);
      },
    });
    this.player.setVolume(this.volume);
    this.now = deps.now ?? (() => Date.now());
    this.requestFrame = deps.requestFrame ?? ((tick) => requestAnimationFrame(tick));
    this.cancelFrame = deps.cancelFrame ?? ((handle) => cancelAnimationFrame(handle));
    deps.audio?.onMessage((message) => this.onAudio(message));
    // A failure the engine could not tell on the audio channel (it died), told by the app.
    deps.api?.on('speech:error', (data) => this.onAudio({ kind: 'error', ...data }));
  }

  /** Starts reading at a sentence (default: the current one, else the start of the shown chapter). */
  async play(from?: number): Promise<void> {
    const { api, reading, status } = this.deps;
    if (!api) return;
    const stopping = this.stop();
    // A play or stop that comes while this one waits bumps the generation: this one gives way,
    // else two quick seeks could read from the first when the app answers its stop last.
    const generation = this.generation;
    await stopping;
    if (generation !== this.generation) return;
    status.clear();
    const text = await reading.prepare();
    if (!text || generation !== this.generation) return;
    const start = from ?? (this.current >= 0 ? this.current : (reading.firstSentences[reading.chapter] ?? 0));
    this.playState = 'starting';
    this.current = Math.max(0, Math.min(start, text.sentences.length - 1));
    this.follow(this.current);
    status.say(PREPARING);
    await this.startSession(this.current);
  }

  async togglePause(): Promise<void> {
    if (this.playState === 'playing') {
      this.savePosition(true);
      this.savePlayedMeasures();
      await this.player.pause();
      this.playState = 'paused';
      this.deps.status.say('Paused.');
    } else if (this.playState === 'paused') {
      await this.player.resume();
      this.playState = 'playing';
      this.deps.status.say(this.playingMessage());
    } else if (this.playState === 'idle') {
      await this.play();
    }
  }

  async stop(): Promise<void> {
    this.generation++;
    this.awaitingSession = false;
    this.early.clear();
    this.earlyEnd.clear();
    if (this.playState !== 'idle') {
      this.savePosition(true);
      this.savePlayedMeasures();
    }
    const session = this.session;
    this.session = undefined;
    this.player.stop();
    this.cancelFrame(this.frame);
    this.word = undefined;
    if (this.playState !== 'idle') this.deps.status.say('Stopped.');
    this.playState = 'idle';
    if (session && this.deps.api) await this.deps.api.invoke('speech:stop', { session });
  }

  async next(): Promise<void> {
    const count = this.deps.reading.sentenceCount;
    if (count === 0) return this.play();
    await this.play(Math.min(count - 1, this.current + 1));
  }

  async previous(): Promise<void> {
    if (this.deps.reading.sentenceCount === 0) return this.play();
    await this.play(Math.max(0, this.current - 1));
  }

  /** A reading key, or the helper's shortcut, tray or media key. */
  async control(action: HelperControl): Promise<void> {
    switch (action) {
      case 'pause-resume':
        return this.togglePause();
      case 'stop':
        return this.stop();
      case 'next':
        return this.next();
      case 'previous':
        return this.previous();
      case 'faster':
      case 'slower':
        if (this.deps.voices.stepSpeed(action === 'faster' ? 1 : -1)) await this.settingsChanged();
    }
  }

  /** Shows a chapter, ready to be read from its start (reading stops). */
  async showChapter(index: number): Promise<void> {
    await this.stop();
    this.deps.reading.showChapter(index);
    this.current = -1;
  }

  /** Where reading is: the sentence being read, else the start of the chapter shown. */
  get position(): number {
    return this.current >= 0 ? this.current : (this.deps.reading.firstSentences[this.deps.reading.chapter] ?? 0);
  }

  /**
   * The chapter's and the whole text's times with `sentence` being read, at the voice and speed
   * chosen now: exact for sentences whose audio has arrived at these settings (in a library
   * book, also those heard at them before), else estimated from the measured rate. Undefined
   * when there is no text.
   */
  timesAt(sentence: number): ReadingTimes | undefined {
    const { reading } = this.deps;
    const text = reading.text;
    const timeline = this.timeline;
    const count = text?.sentences.length ?? 0;
    if (!text || !timeline || count === 0) return undefined;
    const at = Math.max(0, Math.min(sentence, count - 1));
    const index = text.sentences[at]?.chapter ?? 0;
    const first = reading.firstSentences[index] ?? 0;
    const end = reading.firstSentences[index + 1] ?? count;
    return {
      chapter: { ...rangeTimes(timeline, { first, end, current: at }), index, first, last: end - 1 },
      book: rangeTimes(timeline, { first: 0, end: count, current: at }),
    };
  }

  /** Every sentence's start time at the chosen voice and speed: rebuilt when the text, the rate or the known audio change, not per sentence. */
  private readonly timeline: Timeline | undefined = $derived.by(() => {
    const { reading, voices } = this.deps;
    const text = reading.text;
    if (!text) return undefined;
    void this.knownVersion; // The known durations are not reactive themselves: this is.
    const key = this.knownKeyFor(voices.voice, voices.speed);
    // Before the audio arrives: what was heard of this document before, at these settings.
    const known = key === this.knownKey ? this.known : savedDurations(key, this.textFingerprint());
    const length = (i: number): number => {
      const row = text.sentences[i];
      return row ? row.end - row.start : 0;
    };
    return buildTimeline(text.sentences.length, length, known, charsPerSecond(this.rates, voices.voice, voices.speed));
  });

  /** Says where reading is (asked for with a key: the status does not follow every sentence, which would talk over the voice). */
  announcePosition(): void {
    const { reading, status } = this.deps;
    const times = this.timesAt(this.position);
    if (!times) {
      status.say('There is no text to read yet.');
      return;
    }
    const sentence = `Sentence ${this.position + 1} of ${reading.sentenceCount}`;
    const clock = (t: RangeTimes): string => `${formatClock(t.elapsed)} of ${formatClock(t.total)}`;
    if (reading.document && reading.document.chapters.length > 1) status.say(`${sentence} in chapter ${times.chapter.index + 1}, ${clock(times.chapter)}; book ${clock(times.book)}.`);
    else status.say(`${sentence}, ${clock(times.book)}.`);
  }

  /** 0 (silent) to 1; applies to what plays now, and is remembered. */
  setVolume(volume: number): void {
    this.volume = Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 1));
    this.player.setVolume(this.volume);
    saveVolume(this.volume);
  }

  /** Sets the sleep timer: the end of the chapter being read, minutes of reading, or off (undefined). */
  setSleep(choice: 'chapter' | number | undefined): void {
    this.clearSleepTimers();
    const { status } = this.deps;
    if (choice === undefined) {
      this.sleep = undefined;
      status.say('Sleep timer off.');
    } else if (choice === 'chapter') {
      this.sleep = { kind: 'chapter' };
      status.say('Reading will stop at the end of the chapter.');
    } else {
      this.clock = this.now();
      this.sleep = { kind: 'minutes', minutes: choice, leftMs: choice * 60_000, countingSince: undefined };
      this.followSleepTimer();
      status.say(`Reading will stop after ${choice} minutes of reading.`);
    }
  }

  /** Seconds of reading until a timed sleep timer stops it; undefined when none is set. */
  get sleepLeft(): number | undefined {
    const sleep = this.sleep;
    if (sleep?.kind !== 'minutes') return undefined;
    const counted = sleep.countingSince === undefined ? 0 : this.clock - sleep.countingSince;
    return Math.max(0, (sleep.leftMs - counted) / 1000);
  }

  /** A timed sleep timer counts while the voice reads, and holds while paused or stopped. */
  private followSleepTimer(): void {
    const sleep = this.sleep;
    if (sleep?.kind !== 'minutes') return;
    // Only while the voice is heard: waiting for the first audio uses none of the listener's minutes.
    const reading = this.state === 'playing';
    if (reading && sleep.countingSince === undefined) {
      this.clock = this.now();
      this.sleep = { ...sleep, countingSince: this.clock };
      this.sleepTimeout = setTimeout(() => void this.sleepNow(`after ${sleep.minutes} minutes`), sleep.leftMs);
      this.sleepTicker = setInterval(() => (this.clock = this.now()), 1000);
    } else if (!reading && sleep.countingSince !== undefined) {
      this.clearSleepTimers();
      this.clock = this.now();
      this.sleep = { ...sleep, leftMs: Math.max(0, sleep.leftMs - (this.clock - sleep.countingSince)), countingSince: undefined };
    }
  }

  private async sleepNow(why: string): Promise<void> {
    this.clearSleepTimers();
    this.sleep = undefined;
    const wasReading = this.playState !== 'idle';
    await this.stop();
    if (wasReading) this.deps.status.say(`Sleep timer: reading stopped ${why}.`);
  }

  private clearSleepTimers(): void {
    clearTimeout(this.sleepTimeout);
    clearInterval(this.sleepTicker);
    this.sleepTimeout = undefined;
    this.sleepTicker = undefined;
  }

  /** What the status says when reading starts or resumes: what is being read, not each sentence. */
  private playingMessage(): string {
    const { reading } = this.deps;
    const document = reading.document;
    if (!document) return 'Playing.';
    const index = reading.chapterOf(this.position);
    return `Playing chapter ${index + 1} of ${document.chapters.length}: ${document.chapters[index]?.title ?? ''}.`;
  }

  /**
   * The speed or the voice changed. While reading, the sentence being heard finishes as it is;
   * the audio made ahead with the old settings is dropped and the rest is asked for again.
   */
  async settingsChanged(): Promise<void> {
    this.deps.voices.save(this.deps.reading.document?.libraryId);
    await this.readOnWithNewSettings();
  }

  /** The part of settingsChanged() that touches reading, for settings that are not the user's defaults. */
  async readOnWithNewSettings(): Promise<void> {
    if (this.playState === 'idle' || !this.deps.api) return;
    const heard = this.current;
    if (this.playState === 'starting' || heard < 0) {
      // Nothing heard yet: start again where reading is.
      await this.play(Math.max(0, heard));
      return;
    }
    // Keep the rest of the sentence being heard. When none of it is queued any more it has been
    // heard in full (or an earlier change already cut there): either way the next one follows.
    this.player.cutAfter(heard);
    const old = this.session;
    this.session = undefined;
    if (old) void this.deps.api.invoke('speech:stop', { session: old });
    // The sentence being heard was the last: what is queued ends the reading.
    if (heard + 1 >= this.deps.reading.sentenceCount) {
      this.player.endOfStream();
      return;
    }
    await this.startSession(heard + 1, { continuing: true });
  }

  /**
   * Asks the app for the audio from a sentence on; chunks go to the player behind what it holds.
   * `continuing`: reading goes on behind kept audio, so "nothing left to speak" (only skipped
   * blocks remain) just ends the stream.
   */
  private async startSession(from: number, { continuing = false } = {}): Promise<void> {
    const { api, reading, voices } = this.deps;
    const textId = reading.text?.textId;
    if (!api || !textId) return;
    const generation = ++this.generation;
    this.awaitingSession = true;
    const cache = this.cacheAudio === undefined ? {} : { cache: this.cacheAudio };
    const settings = { voice: voices.voice, speed: voices.speed };
    const result = await api.invoke('speech:speak', { textId, fromSentence: from, voice: settings.voice || undefined, speed: settings.speed, ...cache });
    if (generation !== this.generation) {
      // Stopped, or replaced by another play, while the app was answering: end that session.
      if (result.ok) void api.invoke('speech:stop', { session: result.value.session });
      return;
    }
    this.awaitingSession = false;
    if (!result.ok) {
      if (continuing && result.error.code === 'NOTHING_SPEAKABLE') this.player.endOfStream();
      else this.fail(result.error);
      return;
    }
    const session = result.value.session;
    this.session = session;
    this.sessionSettings = settings;
    this.lastChunkSentence = -1;
    this.lastReportedSequence = -1;
    for (const chunk of this.early.get(session) ?? []) this.enqueue(chunk);
    this.early.clear();
    const ended = this.earlyEnd.get(session);
    this.earlyEnd.clear();
    if (ended) {
      this.fail(ended);
      return;
    }
    if (ended === null) this.player.endOfStream();
    this.startClock();
  }

  private onAudio(message: AudioMessage): void {
    if (message.session === this.session) {
      if (message.kind === 'chunk') this.enqueue(message.chunk);
      else if (message.kind === 'end') this.player.endOfStream();
      else this.fail(message.error);
      return;
    }
    // What overtakes the answer to `speak` is kept until the session is known.
    if (!this.awaitingSession) return;
    if (message.kind === 'chunk') {
      const list = this.early.get(message.session) ?? [];
      list.push(message.chunk);
      this.early.set(message.session, list);
    } else {
      this.earlyEnd.set(message.session, message.kind === 'end' ? null : message.error);
    }
  }

  private enqueue(chunk: AudioChunk): void {
    this.player.enqueue(chunk);
    this.learnDurations(chunk);
    if (this.playState === 'starting') {
      this.playState = 'playing';
      this.deps.status.say(this.playingMessage());
    } else if (this.deps.status.message === PREPARING) {
      this.deps.status.clear();
    }
  }

  /** The exact seconds of each sentence in a chunk, for the times shown (at the settings it was made with). */
  private learnDurations(chunk: AudioChunk): void {
    const key = this.knownKeyFor(this.sessionSettings.voice, this.sessionSettings.speed);
    if (key !== this.knownKey) {
      // Another voice or speed (or text): what was heard at the old ones is kept first.
      this.saveKnownDurations();
      this.known.clear();
      this.knownFingerprint = this.textFingerprint();
      for (const [sentence, seconds] of savedDurations(key, this.knownFingerprint)) this.known.set(sentence, seconds);
      this.knownKey = key;
      this.lastChunkSentence = -1;
    }
    chunk.sentences.forEach((span, i) => {
      const seconds = (span.endSample - span.startSample) / chunk.sampleRate;
      const continued = i === 0 && span.sentence === this.lastChunkSentence ? (this.known.get(span.sentence) ?? 0) : 0;
      this.known.set(span.sentence, continued + seconds);
    });
    this.lastChunkSentence = chunk.sentences.at(-1)?.sentence ?? -1;
    this.knownVersion++;
  }

  /** A sentence was heard in full, the next one begins: its length and duration measure the speech rate. */
  private measure(heard: number, next: number): void {
    if (next !== heard + 1 || this.knownKey !== this.knownKeyFor(this.sessionSettings.voice, this.sessionSettings.speed)) return;
    const row = this.deps.reading.text?.sentences[heard];
    const seconds = this.known.get(heard);
    if (!row || seconds === undefined) return;
    this.rates = recordPlayed(this.rates, this.sessionSettings.voice, this.sessionSettings.speed, row.end - row.start, seconds);
  }

  private startClock(): void {
    const tick = (): void => {
      if (!this.session && this.playState === 'idle') return;
      const position = this.player.position();
      if (position && position.sentence >= 0) {
        if (position.sentence !== this.current) {
          const heard = this.current;
          this.measure(heard, position.sentence);
          this.current = position.sentence;
          this.follow(position.sentence);
          const { reading } = this.deps;
          if (heard >= 0 && reading.chapterOf(heard) !== reading.chapterOf(position.sentence)) {
            if (this.sleep?.kind === 'chapter') {
              void this.sleepNow('at the end of the chapter');
              return;
            }
            if (reading.document) this.deps.status.say(this.playingMessage());
          }
          this.savePosition();
        }
        this.word = position.word;
        this.report(position.sequence);
      }
      this.frame = this.requestFrame(tick);
    };
    this.cancelFrame(this.frame);
    this.frame = this.requestFrame(tick);
  }

  /** The shown chapter follows the voice into the next one. */
  private follow(sentence: number): void {
    const chapter = this.deps.reading.chapterOf(sentence);
    if (chapter !== this.deps.reading.chapter) this.deps.reading.showChapter(chapter);
  }

  /** Tells the engine which chunk is playing, so synthesis stays a bounded distance ahead. */
  private report(sequence: number): void {
    if (sequence <= this.lastReportedSequence || !this.session) return;
    this.lastReportedSequence = sequence;
    this.deps.audio?.report({ kind: 'playing', session: this.session, sequence });
  }

  /**
   * The key of the durations of the open text at a voice and speed: a library document's is
   * `doc:<id>#<fingerprint>|…` (kept across starts; a changed file is another text), a pasted
   * text's is its own for this start.
   */
  private knownKeyFor(voice: string, speed: number): string {
    const { reading } = this.deps;
    const id = reading.document?.libraryId;
    const doc = id !== undefined ? `doc:${id}#${this.textFingerprint()}` : `text:${reading.text?.textId ?? ''}`;
    return `${doc}|${rateKey(voice, speed)}`;
  }

  /** Says whether kept durations still belong to the text: a changed file has other sentences. */
  private textFingerprint(): string {
    const sentences = this.deps.reading.text?.sentences ?? [];
    return `${sentences.length}:${sentences.at(-1)?.end ?? 0}`;
  }

  /** Keeps the measured rates, and a library document's sentence durations, for the next start. */
  private savePlayedMeasures(): void {
    saveRates(this.rates);
    this.saveKnownDurations();
  }

  /** With the fingerprint of the text they were measured on, not of whatever is open now. */
  private saveKnownDurations(): void {
    if (this.knownKey.startsWith('doc:')) saveDurations(this.knownKey, this.knownFingerprint, this.known);
  }

  /** Remembers where reading is in a document (the app waits for a quiet moment unless `flush`). */
  private savePosition(flush = false): void {
    const documentId = this.deps.reading.document?.libraryId;
    const position = this.deps.reading.positionOf(this.current);
    if (documentId === undefined || !position) return;
    this.deps.library.savePosition({ documentId, ...position, flush });
  }

  private finished(): void {
    this.cancelFrame(this.frame);
    this.clearSleepTimers();
    this.sleep = undefined;
    this.savePlayedMeasures();
    this.session = undefined;
    this.playState = 'idle';
    this.word = undefined;
    // Play after the end reads from the start again, not just the last sentence.
    this.current = -1;
    this.deps.status.say('Finished.');
  }

  /** Reading cannot go on: says why and stops. */
  private fail(error: ErrorData): void {
    this.deps.status.fail(error);
    // Whatever was asked for is no longer wanted: a late answer or chunk must not start playing.
    this.generation++;
    this.awaitingSession = false;
    const session = this.session;
    this.session = undefined;
    if (session) void this.deps.api?.invoke('speech:stop', { session });
    this.cancelFrame(this.frame);
    if (this.playState !== 'idle') {
      this.player.stop();
      this.playState = 'idle';
    }
  }
}
