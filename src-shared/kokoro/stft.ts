import {
  HOP as HOP_,
  N_BINS as N_BINS_,
  N_FFT as N_FFT_,
} from './constants';
import { angle as angle_, cosTurn, hannWindow } from './dft';

// Module-local copies: some loaders compile imports to getters, too slow in the inner loops.
const HOP = HOP_;
const N_BINS = N_BINS_;
const N_FFT = N_FFT_;
const angle = angle_;

/**
 * Center padding of the source STFT: 'reflect' is torch.stft's (what the PyTorch model
 * computes), 'replicate' is CustomSTFT's (what graph exports compute). They differ only in
 * the first and last few frames.
 */
export type StftPadding = 'reflect' | 'replicate';

const PAD = N_FFT / 2;

/** STFT frames of a signal with center padding: floor(samples / hop) + 1. */
export function stftFrameCount(samples: number): number {
  return Math.floor(samples / HOP) + 1;
}

/** Reused padded copy (a chunk's is 2.4 MB; the STFT is synchronous, so one buffer serves). */
let padScratch = new Float64Array(0);

/** The signal with n_fft/2 samples of center padding on both sides, in float64. */
function centerPad(x: ArrayLike<number>, padding: StftPadding): Float64Array {
  const n = x.length;
  if (padding === 'reflect' && n <= PAD) {
    throw new RangeError(`reflect padding needs more than ${PAD} samples, got ${n}`);
  }
  if (n === 0) throw new RangeError('empty signal');
  if (padScratch.length < n + 2 * PAD) padScratch = new Float64Array(n + 2 * PAD);
  const out = padScratch;
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

// Periodic Hann, symmetric about n = 10 (w[n] === w[20 - n]); w[0] = 0 and w[10] = 1.
const WINDOW = hannWindow(N_FFT);
const W0 = WINDOW[0]!;
const W1 = WINDOW[1]!;
const W2 = WINDOW[2]!;
const W3 = WINDOW[3]!;
const W4 = WINDOW[4]!;
const W5 = WINDOW[5]!;
const W6 = WINDOW[6]!;
const W7 = WINDOW[7]!;
const W8 = WINDOW[8]!;
const W9 = WINDOW[9]!;
const W10 = WINDOW[10]!;
// cos(2 pi m / 20) for m = 1..4 (18, 36, 54, 72 degrees). Every cos/sin(2 pi k n / 20) is one
// of +-1, 0, +-C1..C4 (sin of 18 m degrees is cos of 90 - 18 m).
const C1 = cosTurn(1, N_FFT);
const C2 = cosTurn(2, N_FFT);
const C3 = cosTurn(3, N_FFT);
const C4 = cosTurn(4, N_FFT);

/** Magnitude and phase of bin (re, im) into the magnitude row and the phase row below it. */
function storeBin(har: Float32Array, at: number, phaseRow: number, re: number, im: number, eps: number): void {
  const r2 = re * re + im * im;
  const r = Math.sqrt(r2);
  har[at] = eps === 0 ? r : Math.sqrt(r2 + eps);
  har[at + phaseRow] = angle(im, re, r);
}

/**
 * Forward STFT of the harmonic source as the vocoder's `har` input: n_fft 20, hop 5,
 * periodic Hann, center padding; Float32Array [22 x frames] row-major, rows 0-10 magnitude,
 * rows 11-21 phase (atan2(im, re), with pi, not -pi, on the negative real axis as both
 * torch.angle and CustomSTFT give it). Replicate padding also adds CustomSTFT's 1e-14 inside
 * the square root of the magnitude.
 *
 * Per frame a 20-point real DFT, folded twice: X_k = sum_n y[n] e^(-2 pi i k n / 20) with
 * y[20 - n] paired with y[n] (a = sum, b = difference: cos and sin parts), then n with 10 - n
 * (A, B: + for one parity of k, - for the other). Each bin then costs at most 4 + 4 products
 * by the constants C1..C4 instead of 2 x 20.
 */
export function sourceStft(x: ArrayLike<number>, padding: StftPadding = 'reflect'): Float32Array {
  const xp = centerPad(x, padding);
  const frames = stftFrameCount(x.length);
  const har = new Float32Array(2 * N_BINS * frames);
  const eps = padding === 'replicate' ? 1e-14 : 0;
  const phaseRow = N_BINS * frames;
  const re = new Float64Array(N_BINS);
  const im = new Float64Array(N_BINS);
  for (let t = 0, s = 0; t < frames; t++, s += HOP) {
    // Windowed samples folded about n = 10: a_n = y_n + y_(20-n), b_n = y_n - y_(20-n).
    const y0 = xp[s]! * W0;
    const y10 = xp[s + 10]! * W10;
    const y1 = xp[s + 1]! * W1;
    const y19 = xp[s + 19]! * W1;
    const y2 = xp[s + 2]! * W2;
    const y18 = xp[s + 18]! * W2;
    const y3 = xp[s + 3]! * W3;
    const y17 = xp[s + 17]! * W3;
    const y4 = xp[s + 4]! * W4;
    const y16 = xp[s + 16]! * W4;
    const y5 = xp[s + 5]! * W5;
    const y15 = xp[s + 15]! * W5;
    const y6 = xp[s + 6]! * W6;
    const y14 = xp[s + 14]! * W6;
    const y7 = xp[s + 7]! * W7;
    const y13 = xp[s + 13]! * W7;
    const y8 = xp[s + 8]! * W8;
    const y12 = xp[s + 12]! * W8;
    const y9 = xp[s + 9]! * W9;
    const y11 = xp[s + 11]! * W9;
    const a1 = y1 + y19;
    const b1 = y1 - y19;
    const a2 = y2 + y18;
    const b2 = y2 - y18;
    const a3 = y3 + y17;
    const b3 = y3 - y17;
    const a4 = y4 + y16;
    const b4 = y4 - y16;
    const a5 = y5 + y15;
    const b5 = y5 - y15;
    const a6 = y6 + y14;
    const b6 = y6 - y14;
    const a7 = y7 + y13;
    const b7 = y7 - y13;
    const a8 = y8 + y12;
    const b8 = y8 - y12;
    const a9 = y9 + y11;
    const b9 = y9 - y11;
    // Second fold, n with 10 - n: cos(2 pi k (10 - n) / 20) = (-1)^k cos(2 pi k n / 20) and
    // sin(...) = -(-1)^k sin(...), so even bins take Ap, Bm and odd bins Am, Bp.
    const Ap1 = a1 + a9;
    const Am1 = a1 - a9;
    const Ap2 = a2 + a8;
    const Am2 = a2 - a8;
    const Ap3 = a3 + a7;
    const Am3 = a3 - a7;
    const Ap4 = a4 + a6;
    const Am4 = a4 - a6;
    const Bp1 = b1 + b9;
    const Bm1 = b1 - b9;
    const Bp2 = b2 + b8;
    const Bm2 = b2 - b8;
    const Bp3 = b3 + b7;
    const Bm3 = b3 - b7;
    const Bp4 = b4 + b6;
    const Bm4 = b4 - b6;
    const e0 = y0 + y10;
    const o0 = y0 - y10;
    re[0] = e0 + Ap1 + Ap2 + Ap3 + Ap4 + a5;
    im[0] = 0;
    re[1] = o0 + Am1 * C1 + Am2 * C2 + Am3 * C3 + Am4 * C4;
    im[1] = -Bp1 * C4 - Bp2 * C3 - Bp3 * C2 - Bp4 * C1 - b5;
    re[2] = e0 + Ap1 * C2 + Ap2 * C4 - Ap3 * C4 - Ap4 * C2 - a5;
    im[2] = -Bm1 * C3 - Bm2 * C1 - Bm3 * C1 - Bm4 * C3;
    re[3] = o0 + Am1 * C3 - Am2 * C4 - Am3 * C1 - Am4 * C2;
    im[3] = -Bp1 * C2 - Bp2 * C1 - Bp3 * C4 + Bp4 * C3 + b5;
    re[4] = e0 + Ap1 * C4 - Ap2 * C2 - Ap3 * C2 + Ap4 * C4 + a5;
    im[4] = -Bm1 * C1 - Bm2 * C3 + Bm3 * C3 + Bm4 * C1;
    re[5] = o0 - Am2 + Am4;
    im[5] = -Bp1 + Bp3 - b5;
    re[6] = e0 - Ap1 * C4 - Ap2 * C2 + Ap3 * C2 + Ap4 * C4 - a5;
    im[6] = -Bm1 * C1 + Bm2 * C3 + Bm3 * C3 - Bm4 * C1;
    re[7] = o0 - Am1 * C3 - Am2 * C4 + Am3 * C1 - Am4 * C2;
    im[7] = -Bp1 * C2 + Bp2 * C1 - Bp3 * C4 - Bp4 * C3 + b5;
    re[8] = e0 - Ap1 * C2 + Ap2 * C4 + Ap3 * C4 - Ap4 * C2 + a5;
    im[8] = -Bm1 * C3 + Bm2 * C1 - Bm3 * C1 + Bm4 * C3;
    re[9] = o0 - Am1 * C1 + Am2 * C2 - Am3 * C3 + Am4 * C4;
    im[9] = -Bp1 * C4 + Bp2 * C3 - Bp3 * C2 + Bp4 * C1 - b5;
    re[10] = e0 - Ap1 + Ap2 - Ap3 + Ap4 - a5;
    im[10] = 0;
    // One call site, so the magnitude/angle code is inlined once.
    for (let k = 0, at = t; k < N_BINS; k++, at += frames) storeBin(har, at, phaseRow, re[k]!, im[k]!, eps);
  }
  return har;
}
