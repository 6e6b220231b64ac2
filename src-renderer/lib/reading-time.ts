import { speechRate } from '../../src-shared/library/progress';

/**
 * Elapsed and remaining reading time (the player's bars and the Library view's time left).
 * Sentences whose audio is known (it has arrived, or a library book's was heard before at the same
 * voice and speed) count exactly; the others are estimated from the speech rate measured on audio
 * actually played, per voice and speed. Pure: the playback store keeps the measurements and the known durations.
 */

/** Characters heard and the seconds they took, for one voice at one speed. */
export interface RateSample {
  chars: number;
  seconds: number;
}

/** Measured rates by `rateKey(voice, speed)`. */
export type SpeechRates = Readonly<Record<string, RateSample>>;

/** Old measurements fade: past this many seconds of audio the totals are scaled down, so the rate follows the text. */
const MEMORY_SECONDS = 600;
/** Less audio than this says little about a voice's rate (one short sentence can be mostly pause). */
const TRUSTED_SECONDS = 3;

export function rateKey(voice: string, speed: number): string {
  return `${voice}@${speed.toFixed(2)}`;
}

/** Adds a sentence that was played in full to the measurements; returns new measurements (the old are unchanged). */
export function recordPlayed(rates: SpeechRates, voice: string, speed: number, chars: number, seconds: number): SpeechRates {
  if (!(chars > 0) || !(seconds > 0)) return rates;
  const key = rateKey(voice, speed);
  const old = rates[key] ?? { chars: 0, seconds: 0 };
  let sample = { chars: old.chars + chars, seconds: old.seconds + seconds };
  if (sample.seconds > MEMORY_SECONDS) {
    const scale = MEMORY_SECONDS / sample.seconds;
    sample = { chars: sample.chars * scale, seconds: MEMORY_SECONDS };
  }
  return { ...rates, [key]: sample };
}

/**
 * Characters per second for a voice at a speed: measured at that speed when there is enough;
 * else from the same voice at other speeds (rate grows with speed), else from the engine's other
 * voices, else the engine's rate measured when this was written (`speechRate`).
 */
export function charsPerSecond(rates: SpeechRates, voice: string, speed: number): number {
  const exact = rates[rateKey(voice, speed)];
  if (exact && exact.seconds >= TRUSTED_SECONDS) return exact.chars / exact.seconds;
  const trusted = Object.entries(rates).filter(([, s]) => s.seconds >= TRUSTED_SECONDS);
  const sameVoice = trusted.filter(([key]) => key.startsWith(`${voice}@`));
  // Another engine's voices read at another pace (eSpeak NG ~18 characters a second, Kokoro fewer).
  const engine = `${voice.split(':')[0] ?? ''}:`;
  const sameEngine = trusted.filter(([key]) => key.startsWith(engine));
  const pool = sameVoice.length > 0 ? sameVoice : sameEngine;
  if (pool.length === 0) return speechRate(voice) * speed;
  // Each sample brought to speed 1, weighted by how much audio it holds.
  let chars = 0;
  let seconds = 0;
  for (const [key, sample] of pool) {
    const sampleSpeed = Number(key.slice(key.lastIndexOf('@') + 1)) || 1;
    chars += sample.chars / sampleSpeed;
    seconds += sample.seconds;
  }
  return (chars / seconds) * speed;
}

export interface RangeTimes {
  /** Seconds from the start of the range to the start of the current sentence. */
  elapsed: number;
  /** Seconds of the whole range. */
  total: number;
  /** Every sentence in the range has known audio: the times are not estimates. */
  exact: boolean;
}

/**
 * The start time of every sentence of a text (and its end), for reading times in O(1): known
 * durations where there are, else length / rate. Built once per change of text, rate or known audio.
 */
export interface Timeline {
  /** starts[i]: seconds from the text's start to sentence i's; starts[count] is the total. */
  starts: Float64Array;
  /** knownBefore[i]: how many of the sentences before i have known audio. */
  knownBefore: Uint32Array;
}

/** `length(i)`: sentence i's length in characters; `known`: seconds of the sentences whose audio is known. */
export function buildTimeline(count: number, length: (sentence: number) => number, known: ReadonlyMap<number, number>, cps: number): Timeline {
  const seconds = new Float64Array(count);
  const isKnown = new Uint8Array(count);
  for (let i = 0; i < count; i++) seconds[i] = length(i) / cps;
  for (const [sentence, duration] of known) {
    if (sentence >= 0 && sentence < count) {
      seconds[sentence] = duration;
      isKnown[sentence] = 1;
    }
  }
  const starts = new Float64Array(count + 1);
  const knownBefore = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) {
    starts[i + 1] = (starts[i] ?? 0) + (seconds[i] ?? 0);
    knownBefore[i + 1] = (knownBefore[i] ?? 0) + (isKnown[i] ?? 0);
  }
  return { starts, knownBefore };
}

/** The times of sentences [first, end) with `current` being read (before the range: nothing elapsed; after it: all). */
export function rangeTimes(timeline: Timeline, range: { first: number; end: number; current: number }): RangeTimes {
  const { starts, knownBefore } = timeline;
  const last = starts.length - 1;
  const clamp = (i: number): number => Math.max(0, Math.min(last, i));
  const first = clamp(range.first);
  const end = Math.max(first, clamp(range.end));
  const at = Math.max(first, Math.min(end, range.current));
  const from = starts[first] ?? 0;
  return {
    elapsed: (starts[at] ?? 0) - from,
    total: (starts[end] ?? 0) - from,
    exact: (knownBefore[end] ?? 0) - (knownBefore[first] ?? 0) === end - first,
  };
}

/** 75 → "1:15", 3723 → "1:02:03". */
export function formatClock(seconds: number): string {
  const whole = Math.max(0, Math.round(Number.isFinite(seconds) ? seconds : 0));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
