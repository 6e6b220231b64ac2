import type { AudioChunk } from '../../../src-shared/speech/types';

/**
 * A Web Audio stand-in with a clock the test moves: sources end (and fire `onended`) when the
 * clock passes their end, or their stop time, as in a browser.
 */
export class FakeSource {
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

export class FakeGain {
  readonly gain = { value: 1 };
  connect(): void {}
}

export class FakeAudioContext {
  static last: FakeAudioContext | undefined;
  currentTime = 0;
  state = 'running';
  readonly destination = {};
  readonly sources: FakeSource[] = [];
  readonly gains: FakeGain[] = [];
  constructor(readonly options: { sampleRate: number }) {
    FakeAudioContext.last = this;
  }
  get sampleRate(): number {
    return this.options.sampleRate;
  }
  createBuffer(_channels: number, length: number, rate: number) {
    return { duration: length / rate, copyToChannel: () => undefined };
  }
  createGain(): FakeGain {
    const gain = new FakeGain();
    this.gains.push(gain);
    return gain;
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

/** Installs the fake as the global AudioContext (what ChunkPlayer creates); returns the function that removes it. */
export function installFakeAudioContext(): () => void {
  (globalThis as { AudioContext?: unknown }).AudioContext = FakeAudioContext;
  FakeAudioContext.last = undefined;
  return () => {
    delete (globalThis as { AudioContext?: unknown }).AudioContext;
  };
}

/** The audio context the player made last. */
export function audioClock(): FakeAudioContext {
  if (!FakeAudioContext.last) throw new Error('no audio context yet');
  return FakeAudioContext.last;
}

/** A chunk of `count` sentences from `first` on, each `seconds` long, at 1000 samples a second. */
export function fakeChunk(sequence: number, first: number, count: number, seconds = 1): AudioChunk {
  const rate = 1000;
  const length = Math.round(seconds * rate);
  return {
    sequence,
    sampleRate: rate,
    samples: new Float32Array(count * length),
    sentences: Array.from({ length: count }, (_, i) => ({ sentence: first + i, startSample: i * length, endSample: (i + 1) * length, start: 0, end: 0 })),
    words: [],
  };
}
