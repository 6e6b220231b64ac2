import { FRAME_BUCKET, TOKEN_BUCKET } from './constants';

/**
 * Round to nearest, ties to even: the rounding of torch.round (Math.round rounds ties up).
 * Non-finite values are returned unchanged.
 */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  // Exact for doubles: the fractional part of a finite double is representable.
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** Durations past this are clamped so Int32 stays meaningful; any such value overflows anyway. */
const MAX_DURATION = 1 << 24;

/**
 * pred_dur = max(1, round_half_even(duration / speed)) for the first `tokenCount` tokens.
 * The division is done as PyTorch does it on a float32 tensor and a Python float
 * (speed cast to float32, quotient rounded to float32), so .5 ties land where torch puts them.
 */
export function predictDurations(duration: Float32Array, tokenCount: number, speed: number): Int32Array {
  if (!Number.isInteger(tokenCount) || tokenCount < 0 || tokenCount > duration.length) {
    throw new RangeError(`tokenCount ${tokenCount} out of range 0..${duration.length}`);
  }
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new RangeError(`speed must be a positive finite number, got ${speed}`);
  }
  const s = Math.fround(speed);
  const out = new Int32Array(tokenCount);
  for (let i = 0; i < tokenCount; i++) {
    const q = Math.fround(duration[i]! / s);
    let r = roundHalfEven(q);
    // NaN from a broken graph still gives every token its minimum of one frame.
    if (!(r >= 1)) r = 1;
    out[i] = r > MAX_DURATION ? MAX_DURATION : r;
  }
  return out;
}

/** Sum of the first `tokenCount` durations: the frame count L of the chunk. */
export function totalFrames(predDur: ArrayLike<number>, tokenCount: number = predDur.length): number {
  let total = 0;
  for (let i = 0; i < tokenCount; i++) total += predDur[i]!;
  return total;
}

export interface AlignmentOk {
  ok: true;
  /** [tokenBucket x frameBucket] row-major one-hot: aln[i * frameBucket + f] = 1 for the frames of token i. */
  aln: Float32Array;
  /** [frameBucket]: 1 for the first `frames` frames. */
  frameMask: Float32Array;
  /** L = sum(pred_dur). */
  frames: number;
}

export interface AlignmentOverflow {
  ok: false;
  reason: 'overflow';
  /** L = sum(pred_dur), larger than `limit`. */
  frames: number;
  limit: number;
}

export type AlignmentResult = AlignmentOk | AlignmentOverflow;

export interface AlignmentBuckets {
  tokenBucket?: number;
  frameBucket?: number;
}

/**
 * The one-hot alignment the prosody graph takes. L > frameBucket is reported as an overflow
 * (the text must be split again); frames are never truncated.
 */
export function buildAlignment(
  predDur: ArrayLike<number>,
  tokenCount: number = predDur.length,
  buckets: AlignmentBuckets = {},
): AlignmentResult {
  const tokenBucket = buckets.tokenBucket ?? TOKEN_BUCKET;
  const frameBucket = buckets.frameBucket ?? FRAME_BUCKET;
  if (!Number.isInteger(tokenCount) || tokenCount < 0 || tokenCount > predDur.length || tokenCount > tokenBucket) {
    throw new RangeError(`tokenCount ${tokenCount} out of range 0..${Math.min(predDur.length, tokenBucket)}`);
  }
  let frames = 0;
  for (let i = 0; i < tokenCount; i++) {
    const d = predDur[i]!;
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`pred_dur[${i}] = ${d} is not a non-negative integer`);
    frames += d;
  }
  if (frames > frameBucket) return { ok: false, reason: 'overflow', frames, limit: frameBucket };

  const aln = new Float32Array(tokenBucket * frameBucket);
  let f = 0;
  for (let i = 0; i < tokenCount; i++) {
    const row = i * frameBucket;
    const end = f + predDur[i]!;
    for (; f < end; f++) aln[row + f] = 1;
  }
  const frameMask = new Float32Array(frameBucket);
  frameMask.fill(1, 0, frames);
  return { ok: true, aln, frameMask, frames };
}
