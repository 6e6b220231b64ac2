import { describeError } from '../../src-shared/errors/catalogue';
import type { ErrorData } from '../../src-shared/errors/catalogue';
import type { EngineStatus, PushMap, ReaderApi } from '../../src-shared/ipc/contract';
import type { AudioChunk, VoiceInfo } from '../../src-shared/speech/types';
import { segmentSentences } from '../../src-shared/text/segment';
import type { Sentence } from '../../src-shared/text/segment';
import { ChunkPlayer } from './chunk-player';

export type PlayState = 'idle' | 'starting' | 'playing' | 'paused';

/**
 * The reader's state and the commands that change it. Components read the fields and call
 * the methods; everything that talks to the app goes through `api`.
 */
export class Reader {
  text = $state('');
  mode = $state<'edit' | 'read'>('edit');
  playState = $state<PlayState>('idle');
  /** The sentence being spoken (or last spoken), -1 for none. */
  current = $state(-1);
  word = $state<{ start: number; end: number } | undefined>(undefined);
  message = $state('');
  error = $state<ErrorData | undefined>(undefined);
  voices = $state<VoiceInfo[]>([]);
  voice = $state('');
  speed = $state(1);
  engine = $state<EngineStatus>({ state: 'starting' });
  /** Advice from the app, e.g. how to install the natural voices. */
  hint = $state('');

  readonly sentences: Sentence[] = $derived(segmentSentences(this.text));

  private session: string | undefined;
  // Plain Map on purpose: a buffer for chunks that arrive early, never shown in the UI.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private early = new Map<string, AudioChunk[]>();
  private lastReportedSequence = -1;
  private frame = 0;
  private readonly player = new ChunkPlayer(() => this.finished());

  constructor(private readonly api: ReaderApi | undefined) {
    if (!api) {
      this.message = 'Not connected to the app: open this page from the app or `npm run dev:web`.';
      return;
    }
    api.on('speech:chunk', (data) => this.onChunk(data));
    api.on('speech:end', (data) => {
      if (data.session === this.session) this.player.endOfStream();
    });
    api.on('speech:error', (data) => {
      if (data.session === this.session) this.fail(data.error);
    });
    api.on('engine:status', (status) => {
      this.engine = status;
    });
  }

  async init(): Promise<void> {
    if (!this.api) return;
    const [info, voices] = await Promise.all([this.api.invoke('app:info', null), this.api.invoke('voices:list', null)]);
    if (info.ok) {
      this.engine = { state: 'ready' };
      this.voice ||= info.value.defaultVoice;
      this.hint = info.value.hint ?? '';
    } else {
      this.fail(info.error);
    }
    if (voices.ok) this.voices = [...voices.value].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Starts reading at a sentence (default: the current one, else the first). */
  async play(from = Math.max(0, this.current)): Promise<void> {
    if (!this.api) return;
    await this.stop();
    this.error = undefined;
    if (this.text.trim().length === 0) {
      this.fail({ code: 'EMPTY_TEXT', message: 'There is no text to read.' });
      return;
    }
    this.mode = 'read';
    this.playState = 'starting';
    this.current = from;
    this.message = 'Preparing speech…';
    const result = await this.api.invoke('speech:speak', { text: this.text, fromSentence: from, voice: this.voice || undefined, speed: this.speed });
    if (!result.ok) {
      this.playState = 'idle';
      this.fail(result.error);
      return;
    }
    this.session = result.value.session;
    this.lastReportedSequence = -1;
    for (const chunk of this.early.get(this.session) ?? []) this.enqueue(chunk);
    this.early.clear();
    this.startClock();
  }

  async togglePause(): Promise<void> {
    if (this.playState === 'playing') {
      await this.player.pause();
      this.playState = 'paused';
      this.message = 'Paused.';
    } else if (this.playState === 'paused') {
      await this.player.resume();
      this.playState = 'playing';
    } else if (this.playState === 'idle') {
      await this.play();
    }
  }

  async stop(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.player.stop();
    cancelAnimationFrame(this.frame);
    this.word = undefined;
    if (this.playState !== 'idle') this.message = 'Stopped.';
    this.playState = 'idle';
    if (session && this.api) await this.api.invoke('speech:stop', { session });
  }

  async next(): Promise<void> {
    if (this.sentences.length === 0) return;
    await this.play(Math.min(this.sentences.length - 1, this.current + 1));
  }

  async previous(): Promise<void> {
    if (this.sentences.length === 0) return;
    await this.play(Math.max(0, this.current - 1));
  }

  async edit(): Promise<void> {
    await this.stop();
    this.mode = 'edit';
  }

  private onChunk(data: PushMap['speech:chunk']): void {
    if (data.session === this.session) {
      this.enqueue(data.chunk);
    } else if (this.playState === 'starting' && this.session === undefined) {
      // The first chunk can overtake the answer to `speak`; keep it until the session is known.
      const list = this.early.get(data.session) ?? [];
      list.push(data.chunk);
      this.early.set(data.session, list);
    }
  }

  private enqueue(chunk: AudioChunk): void {
    this.player.enqueue(chunk);
    if (this.playState === 'starting') {
      this.playState = 'playing';
      this.message = '';
    }
  }

  private startClock(): void {
    const tick = (): void => {
      if (!this.session && this.playState === 'idle') return;
      const position = this.player.position();
      if (position && position.sentence >= 0) {
        this.current = position.sentence;
        this.word = position.word;
        if (position.sequence > this.lastReportedSequence && this.session && this.api) {
          this.lastReportedSequence = position.sequence;
          void this.api.invoke('speech:progress', { session: this.session, playingSequence: position.sequence });
        }
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  private finished(): void {
    cancelAnimationFrame(this.frame);
    this.session = undefined;
    this.playState = 'idle';
    this.word = undefined;
    this.message = 'Finished.';
  }

  private fail(error: ErrorData): void {
    this.error = error;
    this.message = describeError(error);
    if (this.playState !== 'idle') {
      this.player.stop();
      this.playState = 'idle';
    }
  }
}
