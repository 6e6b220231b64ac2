import type { ErrorData } from '../../src-shared/errors/catalogue';
import type { AudioLink, AudioMessage } from '../../src-shared/ipc/audio-port';
import type { ReaderApi } from '../../src-shared/ipc/contract';
import type { HelperControl } from '../../src-shared/screen-helper/types';
import type { AudioChunk } from '../../src-shared/speech/types';
import { ChunkPlayer } from '../lib/chunk-player';
import type { PlayerEvents } from '../lib/chunk-player';
import type { LibraryStore } from './library.svelte';
import type { ReadingStore } from './reading.svelte';
import type { StatusStore } from './status.svelte';
import type { VoicesStore } from './voices.svelte';

export type PlayState = 'idle' | 'starting' | 'playing' | 'paused';

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
  /** Runs `tick` on the next frame; returns a handle for `cancelFrame`. */
  requestFrame?: (tick: () => void) => number;
  cancelFrame?: (handle: number) => void;
}

/**
 * Reading aloud: sessions with the app, the audio queue, and where in the text the voice is.
 * Sentences are indexes into the whole text main holds; the shown chapter follows the voice.
 */
export class PlaybackStore {
  playState = $state<PlayState>('idle');
  /** The sentence being spoken (or last spoken), -1 for none. */
  current = $state(-1);
  /** The spoken word's range in the whole text, when the engine gave word timings. */
  word = $state<{ start: number; end: number } | undefined>(undefined);
  /** Whether this window's audio may use the audio cache; unset: the app decides (the helper sets its privacy setting). */
  cacheAudio: boolean | undefined = undefined;

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
    await this.stop();
    status.clear();
    const text = await reading.prepare();
    if (!text) return;
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
      await this.player.pause();
      this.playState = 'paused';
      this.deps.status.say('Paused.');
    } else if (this.playState === 'paused') {
      await this.player.resume();
      this.playState = 'playing';
      this.deps.status.clear();
    } else if (this.playState === 'idle') {
      await this.play();
    }
  }

  async stop(): Promise<void> {
    this.generation++;
    this.awaitingSession = false;
    this.early.clear();
    this.earlyEnd.clear();
    if (this.playState !== 'idle') this.savePosition(true);
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
    const result = await api.invoke('speech:speak', { textId, fromSentence: from, voice: voices.voice || undefined, speed: voices.speed, ...cache });
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
    if (this.playState === 'starting') this.playState = 'playing';
    if (this.deps.status.message === PREPARING) this.deps.status.clear();
  }

  private startClock(): void {
    const tick = (): void => {
      if (!this.session && this.playState === 'idle') return;
      const position = this.player.position();
      if (position && position.sentence >= 0) {
        if (position.sentence !== this.current) {
          this.current = position.sentence;
          this.follow(position.sentence);
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

  /** Remembers where reading is in a document (the app waits for a quiet moment unless `flush`). */
  private savePosition(flush = false): void {
    const documentId = this.deps.reading.document?.libraryId;
    const position = this.deps.reading.positionOf(this.current);
    if (documentId === undefined || !position) return;
    this.deps.library.savePosition({ documentId, ...position, flush });
  }

  private finished(): void {
    this.cancelFrame(this.frame);
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
