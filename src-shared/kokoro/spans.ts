import { SAMPLES_PER_FRAME } from './constants';

/** A token's samples [start, end) within its chunk. */
export interface SampleSpan {
  start: number;
  end: number;
}

/**
 * Per-token sample spans of a chunk: token i owns predDur[i] * 600 samples, in token order,
 * starting at sample 0. Returned as [start0, end0, start1, end1, ...]; the last end is
 * L * 600, the chunk's trimmed length. Highlighting is driven by these, not by estimates.
 */
export function tokenSampleSpans(
  predDur: ArrayLike<number>,
  tokenCount: number = predDur.length,
  samplesPerFrame: number = SAMPLES_PER_FRAME,
): Int32Array {
  if (!Number.isInteger(tokenCount) || tokenCount < 0 || tokenCount > predDur.length) {
    throw new RangeError(`tokenCount ${tokenCount} out of range 0..${predDur.length}`);
  }
  const spans = new Int32Array(2 * tokenCount);
  let at = 0;
  for (let i = 0; i < tokenCount; i++) {
    const d = predDur[i]!;
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`pred_dur[${i}] = ${d} is not a non-negative integer`);
    spans[2 * i] = at;
    at += d * samplesPerFrame;
    spans[2 * i + 1] = at;
  }
  return spans;
}

/** The same spans as objects. */
export function tokenSpanList(
  predDur: ArrayLike<number>,
  tokenCount: number = predDur.length,
  samplesPerFrame: number = SAMPLES_PER_FRAME,
): SampleSpan[] {
  const flat = tokenSampleSpans(predDur, tokenCount, samplesPerFrame);
  const out: SampleSpan[] = [];
  for (let i = 0; i < tokenCount; i++) out.push({ start: flat[2 * i]!, end: flat[2 * i + 1]! });
  return out;
}
