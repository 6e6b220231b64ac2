import {
  HARMONICS as HARMONICS_,
  L_LINEAR_SIZE as L_LINEAR_SIZE_,
  NOISE_STD as NOISE_STD_,
  SAMPLE_RATE as SAMPLE_RATE_,
  SINE_AMP as SINE_AMP_,
  UPSAMPLE as UPSAMPLE_,
  VOICED_THRESHOLD as VOICED_THRESHOLD_,
} from './constants';
import { BoundedCache } from '../cache/bounded-cache';
import { interpolatedLength, linearWeights, nearestSourceIndices } from './interpolate';
import { sourceStft, stftFrameCount } from './stft';
import type { StftPadding } from './stft';
import type { LinearWeights } from './interpolate';
import { resolveRandom } from './random';
import { FAST_TRIG_LIMIT as FAST_TRIG_LIMIT_, fastSin } from './dft';
import type { NoiseSetting } from './random';

// Module-local copies: some loaders compile imports to getters, too slow in the inner loops.
const HARMONICS = HARMONICS_;
const L_LINEAR_SIZE = L_LINEAR_SIZE_;
const NOISE_STD = NOISE_STD_;
const SAMPLE_RATE = SAMPLE_RATE_;
const SINE_AMP = SINE_AMP_;
const UPSAMPLE = UPSAMPLE_;
const VOICED_THRESHOLD = VOICED_THRESHOLD_;
const FAST_TRIG_LIMIT = FAST_TRIG_LIMIT_;

const f32 = Math.fround;
const PI_F32 = f32(Math.PI);
const UNVOICED_NOISE_STD = SINE_AMP / 3;

// Scratch buffers, reused across calls (the source step is synchronous): a chunk's noise is
// 2.4 MB, a run of samples at most a few hundred values.
let noiseScratch = new Float64Array(0);
let runScratch = new Float64Array(0);

export interface SourceOptions {
  /** Initial phases and additive noise; off (null) by default. */
  random?: NoiseSetting;
  /** F0 to samples factor; 300 for Kokoro. */
  upsample?: number;
  sampleRate?: number;
}

/** torch.remainder(x, 1) on float32: fmod, then moved into [0, 1) (the +1 is a float32 add). */
function remainder1(x: number): number {
  const m = x - Math.trunc(x);
  return m < 0 ? f32(m + 1) : m;
}

const nearestCache = new BoundedCache<string, Int32Array>(8);
/** Nearest-upsample indices, cached like the weights (read-only once made). */
function cachedNearest(inputSize: number, scaleFactor: number): Int32Array {
  return nearestCache.getOrCompute(`${inputSize}:${scaleFactor}`, () => nearestSourceIndices(inputSize, scaleFactor));
}

const weightCache = new BoundedCache<string, LinearWeights>(8);
/** The weight tables depend only on the sizes; a chunk always has the same ones. */
function cachedWeights(inputSize: number, scaleFactor: number): LinearWeights {
  return weightCache.getOrCompute(`${inputSize}:${scaleFactor}`, () => linearWeights(inputSize, scaleFactor));
}

/**
 * hn-NSF harmonic source of Kokoro's iSTFTNet generator (SourceModuleHnNSF with SineGen):
 * har_source = tanh(l_linear(SineGen(nearest_upsample(F0, 300)))), length f0.length * 300.
 *
 * Order of operations follows upstream, including its detour for the phase: per-sample
 * rad = (f0 * h / sr) % 1 is linearly downsampled by 1/300, cumulatively summed (* 2 pi),
 * scaled by 300 and linearly upsampled back. The per-F0-value steps round to float32 where
 * torch does (about 40% closer to the PyTorch reference than pure float64); the upsampled
 * phase, sin and the merge run in float64, since torch's float32 phase (up to ~1e5 rad) is
 * only good to ~1e-2 rad there and cannot be reproduced bit for bit anyway.
 *
 * Randomness (options.random, off by default): initial phases of harmonics 2..9, drawn first,
 * then the additive noise, one normal per sample (see below). As upstream, the initial phase
 * is added to sample 0 only, which the 1/300 downsample never reads, so it has no effect.
 */
export function harmonicSource(f0: Float32Array, lLinear: ArrayLike<number>, options: SourceOptions = {}): Float32Array {
  if (lLinear.length !== L_LINEAR_SIZE) {
    throw new RangeError(`l_linear must have ${L_LINEAR_SIZE} values (9 weights + bias), got ${lLinear.length}`);
  }
  const up = options.upsample ?? UPSAMPLE;
  const sr = options.sampleRate ?? SAMPLE_RATE;
  const random = resolveRandom(options.random);
  const n = f0.length;

  // nn.Upsample(scale_factor=300), mode nearest.
  const nearest = cachedNearest(n, up);
  const samples = nearest.length;

  const down = cachedWeights(samples, 1 / up);
  const frames = down.length;
  const upW = cachedWeights(frames, up);
  if (interpolatedLength(frames, up) !== samples) {
    throw new RangeError(`F0 length ${n} does not survive the 1/${up} and x${up} resampling`);
  }

  // Per-frame phases of all harmonics, [harmonic][frame].
  const phase = new Float64Array(HARMONICS * frames);
  const radF0 = new Float32Array(n);
  const { index0: d0, index1: d1, lambda0: dl0, lambda1: dl1 } = down;
  const { index0: u0, index1: u1, lambda0: ul0, lambda1: ul1 } = upW;

  // Initial phases (uniform in [0,1), none for the fundamental) are drawn before any noise.
  const initial = new Float64Array(HARMONICS);
  if (random) for (let h = 1; h < HARMONICS; h++) initial[h] = random.uniform();

  let maxPhase = 0;
  for (let h = 0; h < HARMONICS; h++) {
    const mult = h + 1;
    // rad_values = (f0 * h / sr) % 1 (float32 ops in torch). The upsampled F0 is piecewise
    // constant, so rad of sample j is rad of F0 value nearest[j]...
    for (let i = 0; i < n; i++) radF0[i] = remainder1(f32(f32(f0[i]! * mult) / sr));
    // ...except sample 0, which carries the initial phase.
    const rad0 = f32(radF0[nearest[0]!]! + initial[h]!);
    const radAt = (j: number): number => (j === 0 ? rad0 : radF0[nearest[j]!]!);

    // Linear 1/300 downsample (float32 in torch), then cumsum (double accumulator, float32
    // stores), then * 2 * pi and * 300 as float32 products.
    let sum = 0;
    for (let i = 0; i < frames; i++) {
      const v = f32(radAt(d0[i]!) * dl0[i]! + radAt(d1[i]!) * dl1[i]!);
      sum += v;
      const p = f32(f32(f32(f32(sum) * 2) * PI_F32) * up);
      phase[h * frames + i] = p;
      if (!(Math.abs(p) <= maxPhase)) maxPhase = Math.abs(p); // NaN sticks
    }
  }
  // The interpolated phases lie between these; fastSin needs them below its limit.
  const sin = maxPhase < FAST_TRIG_LIMIT ? fastSin : Math.sin;

  // Merge weights with the sine amplitude folded in (weight * SINE_AMP, as before the sin).
  const amp = new Float64Array(HARMONICS);
  for (let h = 0; h < HARMONICS; h++) amp[h] = lLinear[h]! * SINE_AMP;

  let noise: Float64Array | null = null;
  let wv = 0;
  let wu = 0;
  if (random) {
    // Upstream adds independent noise to each harmonic (std 0.003 voiced, 0.1 / 3 unvoiced)
    // before the merge; sum_h w_h * std * n_h is distributed as std * |w| * n, so one draw per
    // sample gives the same signal statistics with 9x fewer draws.
    let norm2 = 0;
    for (let h = 0; h < HARMONICS; h++) norm2 += lLinear[h]! * lLinear[h]!;
    const norm = Math.sqrt(norm2);
    if (noiseScratch.length < samples) noiseScratch = new Float64Array(samples);
    noise = noiseScratch.subarray(0, samples);
    if (random.fillNormal) random.fillNormal(noise);
    else for (let j = 0; j < samples; j++) noise[j] = random.normal();
    wv = norm * NOISE_STD;
    wu = norm * UNVOICED_NOISE_STD;
  }

  // Linear x300 upsample of each harmonic's phase, sin, amplitude, voicing, merge weight
  // (harmonics summed in order), noise, bias, tanh. Runs of samples that share both source
  // frames and the voicing (about 150 samples) are done harmonic by harmonic, with that
  // harmonic's two phases and weight in registers and the run's sums in a small buffer.
  const bias = lLinear[HARMONICS]!;
  const out = new Float32Array(samples);
  for (let start = 0; start < samples; ) {
    const a = u0[start]!;
    const b = u1[start]!;
    const voiced = f0[nearest[start]!]! > VOICED_THRESHOLD;
    let end = start + 1;
    while (end < samples && u0[end] === a && u1[end] === b && (f0[nearest[end]!]! > VOICED_THRESHOLD) === voiced) end++;
    if (runScratch.length < end - start) runScratch = new Float64Array(end - start);
    const acc = runScratch;
    if (voiced) {
      for (let h = 0; h < HARMONICS; h++) {
        const pa = phase[h * frames + a]!;
        const pb = phase[h * frames + b]!;
        const w = amp[h]!;
        // The first harmonic sets the sums (0 + x is x), the others add to them.
        if (h === 0) for (let j = start; j < end; j++) acc[j - start] = w * sin(pa * ul0[j]! + pb * ul1[j]!);
        else for (let j = start; j < end; j++) acc[j - start] = acc[j - start]! + w * sin(pa * ul0[j]! + pb * ul1[j]!);
      }
    } else {
      acc.fill(0, 0, end - start);
    }
    if (noise) {
      const wn = voiced ? wv : wu;
      for (let j = start; j < end; j++) out[j] = Math.tanh(acc[j - start]! + wn * noise[j]! + bias);
    } else {
      for (let j = start; j < end; j++) out[j] = Math.tanh(acc[j - start]! + bias);
    }
    start = end;
  }
  return out;
}

export interface HarOptions extends SourceOptions {
  /** 'reflect' as the PyTorch model (default), 'replicate' as graph exports. */
  padding?: StftPadding;
}

export interface HarResult {
  /** The excitation, f0.length * 300 samples. */
  source: Float32Array;
  /** The vocoder's `har` input: [22 x frames] row-major (magnitude rows, then phase rows). */
  har: Float32Array;
  frames: number;
}

/** F0 (prosody output) to the vocoder's `har` input: STFT of the harmonic source. */
export function harFromF0(f0: Float32Array, lLinear: ArrayLike<number>, options: HarOptions = {}): HarResult {
  const source = harmonicSource(f0, lLinear, options);
  const har = sourceStft(source, options.padding ?? 'reflect');
  return { source, har, frames: stftFrameCount(source.length) };
}
