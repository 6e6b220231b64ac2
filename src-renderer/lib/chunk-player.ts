import type { AudioChunk } from '../../src-shared/speech/types';
import { spanIndexAt } from '../../src-shared/speech/timeline';

export interface PlaybackPosition {
  sequence: number;
  /** Sentence index in the text, or -1 before the first. */
  sentence: number;
  /** The spoken word's source range, when the engine gave word timings. */
  word: { start: number; end: number } | undefined;
}

interface Scheduled {
  chunk: AudioChunk;
  source: AudioBufferSourceNode;
  startTime: number;
  endTime: number;
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

  constructor(
    private readonly onFinished: () => void,
    /** A chunk finished: the next one (this sequence) is playing. Fires in hidden windows too. */
    private readonly onAdvance?: (sequence: number) => void,
  ) {}

  private ensureContext(sampleRate: number): AudioContext {
    if (!this.context || this.context.sampleRate !== sampleRate) {
      void this.context?.close();
      this.context = new AudioContext({ sampleRate, latencyHint: 'playback' });
    }
    return this.context;
  }

  get paused(): boolean {
    return this.context?.state === 'suspended';
  }

  enqueue(chunk: AudioChunk): void {
    const context = this.ensureContext(chunk.sampleRate);
    const buffer = context.createBuffer(1, Math.max(1, chunk.samples.length), chunk.sampleRate);
    buffer.copyToChannel(chunk.samples as Float32Array<ArrayBuffer>, 0);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    const startTime = Math.max(this.nextStart, context.currentTime + SCHEDULE_LEAD_S);
    const endTime = startTime + buffer.duration;
    source.start(startTime);
    this.nextStart = endTime;
    const entry: Scheduled = { chunk, source, startTime, endTime };
    source.onended = () => this.handleEnded(entry);
    this.queue.push(entry);
  }

  /** No more chunks will come: finish when the queue has played. */
  endOfStream(): void {
    this.streamEnded = true;
    if (this.queue.length === 0) this.onFinished();
  }

  async pause(): Promise<void> {
    await this.context?.suspend();
  }

  async resume(): Promise<void> {
    await this.context?.resume();
  }

  /** Stops all sound at once and forgets the queue. */
  stop(): void {
    for (const entry of this.queue) {
      entry.source.onended = null;
      try {
        entry.source.stop();
      } catch {
        // A source that never started cannot be stopped; it is dropped with the queue.
      }
    }
    this.queue = [];
    this.nextStart = 0;
    this.streamEnded = false;
    void this.context?.resume();
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
      sequence: entry.chunk.sequence,
      sentence: sentenceSpan?.sentence ?? -1,
      word: wordSpan && sample < wordSpan.endSample ? { start: wordSpan.start, end: wordSpan.end } : undefined,
    };
  }

  private handleEnded(entry: Scheduled): void {
    this.queue = this.queue.filter((e) => e !== entry);
    this.onAdvance?.(entry.chunk.sequence + 1);
    if (this.queue.length === 0 && this.streamEnded) {
      this.streamEnded = false;
      this.onFinished();
    }
  }
}
