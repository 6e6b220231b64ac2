import type { AudioChunk } from '../../src-shared/speech/types';
import { spanIndexAt } from '../../src-shared/speech/timeline';

export interface PlaybackPosition {
  /** The chunk's sequence in the current stream; -1 while audio kept from a replaced stream plays. */
  sequence: number;
  /** Sentence index in the text, or -1 before the first. */
  sentence: number;
  /** The spoken word's source range, when the engine gave word timings. */
  word: { start: number; end: number } | undefined;
}

export interface PlayerEvents {
  /** Everything queued has played and the stream has ended. */
  onFinished: () => void;
  /** A chunk finished: the next one (this sequence) is playing. Fires in hidden windows too. */
  onAdvance?: (sequence: number) => void;
  /** Everything queued has played but more is to come: nothing sounds until it arrives. */
  onStarved?: () => void;
}

interface Scheduled {
  chunk: AudioChunk;
  source: AudioBufferSourceNode;
  startTime: number;
  endTime: number;
  /** Which stream the chunk belongs to: cutAfter() starts a new one, so old sequences are not reported. */
  stream: number;
}

/** A small lead so that a chunk scheduled "now" is not clipped at its start. */
const SCHEDULE_LEAD_S = 0.05;

/**
 * Plays chunks back to back with Web Audio and tells where playback is, from the audio
 * clock: sample = (currentTime - chunk start) * rate, looked up in the chunk's own spans.
 */
export class ChunkPlayer {
  private context: AudioContext | undefined;
  private queue: Scheduled[] = [];
  private nextStart = 0;
  private streamEnded = false;
  private stream = 0;
  /** Every chunk plays through this gain: the volume. A new context gets a new one. */
  private gain: GainNode | undefined;
  private volume = 1;

  constructor(private readonly events: PlayerEvents) {}

  private ensureContext(sampleRate: number): { context: AudioContext; output: GainNode } {
    if (!this.context || !this.gain || this.context.sampleRate !== sampleRate) {
      void this.context?.close();
      this.context = new AudioContext({ sampleRate, latencyHint: 'playback' });
      this.gain = this.context.createGain();
      this.gain.gain.value = this.volume;
      this.gain.connect(this.context.destination);
    }
    return { context: this.context, output: this.gain };
  }

  /** The volume, 0 (silent) to 1 (as made): applies at once, to what plays now too. */
  setVolume(volume: number): void {
    this.volume = Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 1));
    if (this.gain) this.gain.gain.value = this.volume;
  }

  get paused(): boolean {
    return this.context?.state === 'suspended';
  }

  enqueue(chunk: AudioChunk): void {
    const { context, output } = this.ensureContext(chunk.sampleRate);
    const buffer = context.createBuffer(1, Math.max(1, chunk.samples.length), chunk.sampleRate);
    buffer.copyToChannel(chunk.samples as Float32Array<ArrayBuffer>, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(output);
    const startTime = Math.max(this.nextStart, context.currentTime + SCHEDULE_LEAD_S);
    const endTime = startTime + buffer.duration;
    source.start(startTime);
    this.nextStart = endTime;
    const entry: Scheduled = { chunk, source, startTime, endTime, stream: this.stream };
    source.onended = () => this.handleEnded(entry);
    this.queue.push(entry);
  }

  /** No more chunks will come: finish when the queue has played. */
  endOfStream(): void {
    this.streamEnded = true;
    if (this.queue.length === 0) this.events.onFinished();
  }

  async pause(): Promise<void> {
    await this.context?.suspend();
  }

  async resume(): Promise<void> {
    await this.context?.resume();
  }

  /** Stops all sound at once and forgets the queue. */
  stop(): void {
    for (const entry of this.queue) silence(entry);
    this.queue = [];
    this.nextStart = 0;
    this.streamEnded = false;
    void this.context?.resume();
  }

  /**
   * Keeps the audio up to the end of `sentence` and drops everything queued after it, so that
   * another stream (new speed or voice) can follow on from the next sentence. Returns false when
   * no queued audio holds that sentence (nothing is changed then).
   */
  cutAfter(sentence: number): boolean {
    const last = this.queue.findLastIndex((e) => e.chunk.sentences.some((s) => s.sentence === sentence));
    const entry = this.queue[last];
    const span = entry?.chunk.sentences.findLast((s) => s.sentence === sentence);
    if (!entry || !span) return false;
    const cutTime = entry.startTime + span.endSample / entry.chunk.sampleRate;
    if (cutTime < entry.endTime) {
      entry.source.stop(cutTime);
      entry.endTime = cutTime;
    }
    for (const dropped of this.queue.slice(last + 1)) silence(dropped);
    this.queue = this.queue.slice(0, last + 1);
    this.nextStart = entry.endTime;
    this.streamEnded = false;
    this.stream++;
    return true;
  }

  position(): PlaybackPosition | undefined {
    const context = this.context;
    if (!context) return undefined;
    const now = context.currentTime;
    const entry = this.queue.find((e) => now >= e.startTime && now < e.endTime) ?? (this.queue[0] && now < this.queue[0].startTime ? undefined : this.queue.at(-1));
    if (!entry) return undefined;
    const sample = Math.max(0, Math.floor((now - entry.startTime) * entry.chunk.sampleRate));
    const sentenceSpan = entry.chunk.sentences[spanIndexAt(entry.chunk.sentences, sample)];
    const wordSpan = entry.chunk.words[spanIndexAt(entry.chunk.words, sample)];
    return {
      sequence: entry.stream === this.stream ? entry.chunk.sequence : -1,
      sentence: sentenceSpan?.sentence ?? -1,
      word: wordSpan && sample < wordSpan.endSample ? { start: wordSpan.start, end: wordSpan.end } : undefined,
    };
  }

  private handleEnded(entry: Scheduled): void {
    this.queue = this.queue.filter((e) => e !== entry);
    if (entry.stream === this.stream) this.events.onAdvance?.(entry.chunk.sequence + 1);
    if (this.queue.length > 0) return;
    if (this.streamEnded) {
      this.streamEnded = false;
      this.events.onFinished();
    } else {
      this.events.onStarved?.();
    }
  }
}

/** Stops a scheduled chunk at once, without the end event that would advance playback. */
function silence(entry: Scheduled): void {
  entry.source.onended = null;
  try {
    entry.source.stop();
  } catch {
    // A source that never started cannot be stopped; it is dropped with the queue.
  }
}
