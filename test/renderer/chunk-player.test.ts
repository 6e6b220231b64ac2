import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChunkPlayer } from '../../src-renderer/lib/chunk-player';
import type { AudioChunk } from '../../src-shared/speech/types';

/**
 * A Web Audio stand-in with a clock the test moves: sources end (and fire `onended`) when the
 * clock passes their end, or their stop time, as in a browser.
 */
class FakeSource {
  buffer: { duration: number } | null = null;
  onended: (() => void) | null = null;
  startAt = 0;
  stopAt = Infinity;
  ended = false;
  connect(): void {}
  start(when: number): void {
    this.startAt = when;
  }
  stop(when = 0): void {
    this.stopAt = Math.min(this.stopAt, when);
  }
}

class FakeAudioContext {
  static last: FakeAudioContext | undefined;
  currentTime = 0;
  state = 'running';
  readonly destination = {};
  readonly sources: FakeSource[] = [];
  constructor(readonly options: { sampleRate: number }) {
    FakeAudioContext.last = this;
  }
  get sampleRate(): number {
    return this.options.sampleRate;
  }
  createBuffer(_channels: number, length: number, rate: number) {
    return { duration: length / rate, copyToChannel: () => undefined };
  }
  createBufferSource(): FakeSource {
    const source = new FakeSource();
    this.sources.push(source);
    return source;
  }
  resume(): Promise<void> {
    return Promise.resolve();
  }
  suspend(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  /** Moves the clock and ends every source whose time is up, in time order. */
  advanceTo(time: number): void {
    this.currentTime = time;
    const due = this.sources
      .filter((s) => !s.ended && Math.min(s.startAt + (s.buffer?.duration ?? 0), s.stopAt) <= time)
      .sort((a, b) => Math.min(a.startAt + (a.buffer?.duration ?? 0), a.stopAt) - Math.min(b.startAt + (b.buffer?.duration ?? 0), b.stopAt));
    for (const source of due) {
      source.ended = true;
      source.onended?.();
    }
  }
}

const RATE = 1000;

/** A chunk of `sentences` sentences of one second each, starting at sentence `first`. */
function chunk(sequence: number, first: number, sentences: number): AudioChunk {
  return {
    sequence,
    sampleRate: RATE,
    samples: new Float32Array(sentences * RATE),
    sentences: Array.from({ length: sentences }, (_, i) => ({ sentence: first + i, startSample: i * RATE, endSample: (i + 1) * RATE, start: 0, end: 0 })),
    words: [],
  };
}

let finished: number;
let starved: number;
let advanced: number[];
let player: ChunkPlayer;
const clock = (): FakeAudioContext => {
  if (!FakeAudioContext.last) throw new Error('no audio context yet');
  return FakeAudioContext.last;
};

beforeEach(() => {
  (globalThis as { AudioContext?: unknown }).AudioContext = FakeAudioContext;
  FakeAudioContext.last = undefined;
  finished = 0;
  starved = 0;
  advanced = [];
  player = new ChunkPlayer({
    onFinished: () => finished++,
    onAdvance: (sequence) => advanced.push(sequence),
    onStarved: () => starved++,
  });
});

afterEach(() => {
  delete (globalThis as { AudioContext?: unknown }).AudioContext;
});

describe('ChunkPlayer.cutAfter', () => {
  it('cuts a chunk of several sentences at the end of the one being heard and drops what follows', () => {
    player.enqueue(chunk(0, 0, 3));
    player.enqueue(chunk(1, 3, 2));
    const start = clock().sources[0]!.startAt;
    clock().advanceTo(start + 1.5);
    expect(player.position()?.sentence).toBe(1);

    expect(player.cutAfter(1)).toBe(true);
    // Sentence 1 ends 2 s into the first chunk: the source stops there, the second never plays.
    expect(clock().sources[0]!.stopAt).toBeCloseTo(start + 2);
    expect(clock().sources[1]!.stopAt).toBe(0);
    // Kept audio is not from the stream that follows: its sequence is not reported as progress.
    expect(player.position()).toMatchObject({ sentence: 1, sequence: -1 });

    // The next stream's first chunk goes right behind the cut, and counts from 0 again.
    player.enqueue(chunk(0, 2, 1));
    expect(clock().sources[2]!.startAt).toBeCloseTo(start + 2);
    clock().advanceTo(start + 2.5);
    expect(advanced).toEqual([]);
    expect(player.position()).toMatchObject({ sentence: 2, sequence: 0 });
    player.endOfStream();
    clock().advanceTo(start + 3.1);
    expect(advanced).toEqual([1]);
    expect(finished).toBe(1);
  });

  it('can cut again at the same place while the new stream has not arrived, and says when nothing of a sentence is queued', () => {
    player.enqueue(chunk(0, 0, 2));
    const start = clock().sources[0]!.startAt;
    clock().advanceTo(start + 0.5);
    expect(player.cutAfter(0)).toBe(true);
    expect(player.cutAfter(0)).toBe(true);
    expect(clock().sources[0]!.stopAt).toBeCloseTo(start + 1);
    clock().advanceTo(start + 1.2);
    // Sentence 0 has been heard in full and left the queue.
    expect(player.cutAfter(0)).toBe(false);
    expect(finished).toBe(0);
  });

  it('does not finish while a cut waits for the stream that follows it', () => {
    player.enqueue(chunk(0, 0, 2));
    player.endOfStream();
    const start = clock().sources[0]!.startAt;
    clock().advanceTo(start + 0.5);
    player.cutAfter(0);
    clock().advanceTo(start + 1.5);
    expect(finished).toBe(0);
    // Nothing sounds now: the reader is told, to say that speech is on its way.
    expect(starved).toBe(1);
    player.endOfStream();
    expect(finished).toBe(1);
  });
});
