import type { ErrorData } from '../../src-shared/errors/catalogue';
import type { AudioLink, AudioMessage } from '../../src-shared/ipc/audio-port';
import type { ReaderApi } from '../../src-shared/ipc/contract';
import type { AudioChunk } from '../../src-shared/speech/types';
import { ChunkPlayer } from '../lib/chunk-player';
import type { PlayerEvents } from '../lib/chunk-player';
import type { PlaybackStore } from './playback.svelte';
import type { StatusStore } from './status.svelte';
import type { VoicesStore } from './voices.svelte';

/** What every voice's preview says: the same text, so the audio cache serves a second preview. */
export const SAMPLE_SENTENCE = 'Hello! This is how I sound when I read to you.';

export interface PreviewDeps {
  api: ReaderApi | undefined;
  audio: AudioLink | undefined;
  status: StatusStore;
  voices: VoicesStore;
  playback: PlaybackStore;
  /** Web Audio playback (specs pass a player over a fake audio context). */
  createPlayer?: (events: PlayerEvents) => ChunkPlayer;
}

/**
 * Short samples heard apart from reading: a voice's preview sentence, or a word from the
 * pronunciations in the chosen voice. Reading stops first (the app reads one thing per window).
 * The samples go through the audio cache, so a repeated one is not synthesised again.
 */
export class PreviewStore {
  /** What is being heard: a voice id (its preview) or a word; undefined when nothing is. */
  playing = $state<string | undefined>(undefined);
  /** Where the sample's audio came from: the audio cache, or the engine just now. */
  source = $state<'cache' | 'engine' | undefined>(undefined);

  private session: string | undefined;
  /** Audio that overtook the answer to `speak`, kept until the session is known. */
  private early: AudioMessage[] = [];
  private awaiting = false;
  private generation = 0;
  private player: ChunkPlayer | undefined;

  constructor(private readonly deps: PreviewDeps) {
    deps.audio?.onMessage((message) => this.onAudio(message));
  }

  /** Speaks the sample sentence in a voice. */
  voice(voiceId: string): Promise<void> {
    return this.speak(SAMPLE_SENTENCE, voiceId, voiceId);
  }

  /** Speaks a word (or phrase) in the chosen voice, as the pronunciations now say it. */
  word(word: string): Promise<void> {
    return this.speak(word, this.deps.voices.voice, word);
  }

  async stop(): Promise<void> {
    this.generation++;
    this.awaiting = false;
    this.early = [];
    this.player?.stop();
    this.playing = undefined;
    const session = this.session;
    this.session = undefined;
    if (session) await this.deps.api?.invoke('speech:stop', { session });
  }

  private async speak(text: string, voice: string, what: string): Promise<void> {
    const { api, playback, voices } = this.deps;
    if (!api || text.trim() === '') return;
    await this.stop();
    await playback.stop();
    const generation = this.generation;
    this.playing = what;
    this.source = undefined;
    const held = await api.invoke('text:set', { text, sample: true });
    if (generation !== this.generation) return;
    if (!held.ok) return this.fail(held.error);
    this.awaiting = true;
    const started = await api.invoke('speech:speak', { textId: held.value.textId, voice: voice || undefined, speed: voices.speed, cache: true });
    if (generation !== this.generation) {
      if (started.ok) void api.invoke('speech:stop', { session: started.value.session });
      return;
    }
    this.awaiting = false;
    if (!started.ok) return this.fail(started.error);
    this.session = started.value.session;
    const early = this.early;
    this.early = [];
    for (const message of early) this.onAudio(message);
  }

  private onAudio(message: AudioMessage): void {
    if (message.session !== this.session) {
      if (this.awaiting) this.early.push(message);
      return;
    }
    if (message.kind === 'chunk') this.enqueue(message.chunk);
    else if (message.kind === 'end') this.ensurePlayer().endOfStream();
    else this.fail(message.error);
  }

  private enqueue(chunk: AudioChunk): void {
    // A sample is heard from the cache when every piece of it came from there.
    this.source = chunk.cached && this.source !== 'engine' ? 'cache' : 'engine';
    this.ensurePlayer().enqueue(chunk);
  }

  private ensurePlayer(): ChunkPlayer {
    this.player ??= (this.deps.createPlayer ?? ((events) => new ChunkPlayer(events)))({
      onFinished: () => {
        this.session = undefined;
        this.playing = undefined;
      },
      // The engine synthesises ahead only as far as playback has got.
      onAdvance: (sequence) => {
        if (this.session) this.deps.audio?.report({ kind: 'playing', session: this.session, sequence });
      },
    });
    return this.player;
  }

  private fail(error: ErrorData): void {
    this.generation++;
    this.awaiting = false;
    this.session = undefined;
    this.playing = undefined;
    this.player?.stop();
    this.deps.status.fail(error);
  }
}
