import {
  HOP as HOP_,
  N_BINS as N_BINS_,
  N_FFT as N_FFT_,
} from './constants';
import { dftTables, hannWindow } from './dft';

// Module-local copies: some loaders compile imports to getters, too slow in the inner loops.
const HOP = HOP_;
const N_BINS = N_BINS_;
const N_FFT = N_FFT_;

/**
 * Center padding of the source STFT: 'reflect' is torch.stft's (what the PyTorch model
 * computes), 'replicate' is CustomSTFT's (what graph exports compute). They differ only in
 * the first and last few frames.
 */
export type StftPadding = 'reflect' | 'replicate';

const PAD = N_FFT / 2;
const HALF = N_FFT / 2;

/** STFT frames of a signal with center padding: floor(samples / hop) + 1. */
export function stftFrameCount(samples: number): number {
  return Math.floor(samples / HOP) + 1;
}

/** The signal with n_fft/2 samples of center padding on both sides, in float64. */
function centerPad(x: ArrayLike<number>, padding: StftPadding): Float64Array {
  const n = x.length;
  if (padding === 'reflect' && n <= PAD) {
    throw new RangeError(`reflect padding needs more than ${PAD} samples, got ${n}`);
  }
  if (n === 0) throw new RangeError('empty signal');
  const out = new Float64Array(n + 2 * PAD);
  for (let i = 0; i < n; i++) out[PAD + i] = x[i]!;
  for (let k = 1; k <= PAD; k++) {
    if (padding === 'reflect') {
      out[PAD - k] = x[k]!;
      out[PAD + n - 1 + k] = x[n - 1 - k]!;
    } else {
      out[PAD - k] = x[0]!;
      out[PAD + n - 1 + k] = x[n - 1]!;
    }
  }
  return out;
}

const WINDOW = hannWindow(N_FFT);
const TABLES = dftTables(N_FFT);
/** Folded bases for n = 1..9: (y[n] + y[20 - n]) pairs with cos, (y[n] - y[20 - n]) with sin. */
const FOLD_COS = new Float64Array(N_BINS * (HALF - 1));
const FOLD_SIN = new Float64Array(N_BINS * (HALF - 1));
for (let k = 0; k < N_BINS; k++) {
  for (let n = 1; n < HALF; n++) {
    FOLD_COS[k * (HALF - 1) + n - 1] = TABLES.cos[k * N_FFT + n]!;
    FOLD_SIN[k * (HALF - 1) + n - 1] = TABLES.sin[k * N_FFT + n]!;
  }
}

/**
 * Forward STFT of the harmonic source as the vocoder's `har` input: n_fft 20, hop 5,
 * periodic Hann, center padding; Float32Array [22 x frames] row-major, rows 0-10 magnitude,
 * rows 11-21 phase (atan2(im, re), with pi, not -pi, on the negative real axis as both
 * torch.angle and CustomSTFT give it). Replicate padding also adds CustomSTFT's 1e-14 inside
 * the square root of the magnitude.
 */
export function sourceStft(x: ArrayLike<number>, padding: StftPadding = 'reflect'): Float32Array {
  const xp = centerPad(x, padding);
  const frames = stftFrameCount(x.length);
  const har = new Float32Array(2 * N_BINS * frames);
  const eps = padding === 'replicate' ? 1e-14 : 0;
  const y = new Float64Array(N_FFT);
  const sym = new Float64Array(HALF - 1);
  const anti = new Float64Array(HALF - 1);
  const w = WINDOW;
  for (let t = 0; t < frames; t++) {
    const base = t * HOP;
    for (let n = 0; n < N_FFT; n++) y[n] = xp[base + n]! * w[n]!;
    // Real input: fold n and N - n so each bin costs 9 + 9 products instead of 2 x 20.
    for (let n = 1; n < HALF; n++) {
      sym[n - 1] = y[n]! + y[N_FFT - n]!;
      anti[n - 1] = y[n]! - y[N_FFT - n]!;
    }
    const y0 = y[0]!;
    const yh = y[HALF]!;
    for (let k = 0; k < N_BINS; k++) {
      let re = y0 + (k & 1 ? -yh : yh);
      let im = 0;
      const row = k * (HALF - 1);
      for (let n = 0; n < HALF - 1; n++) {
        re += sym[n]! * FOLD_COS[row + n]!;
        im -= anti[n]! * FOLD_SIN[row + n]!;
      }
      har[k * frames + t] = Math.sqrt(re * re + im * im + eps);
      har[(N_BINS + k) * frames + t] = im === 0 && re < 0 ? Math.PI : Math.atan2(im, re);
    }
  }
  return har;
}
