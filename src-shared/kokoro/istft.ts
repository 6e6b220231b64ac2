import {
  HOP as HOP_,
  N_BINS as N_BINS_,
  N_FFT as N_FFT_,
} from './constants';
import { cosTurn, hannWindow, sinTurn } from './dft';

// Module-local copies: some loaders compile imports to getters, too slow in the inner loops.
const HOP = HOP_;
const N_BINS = N_BINS_;
const N_FFT = N_FFT_;

const PAD = N_FFT / 2;
const BASIS_SIZE = N_BINS * N_FFT;

/** Frames of a [11 x frames] spectrogram, checked against its phase. */
function frameCount(spec: Float32Array, phase: Float32Array): number {
  if (spec.length !== phase.length) {
    throw new RangeError(`spec (${spec.length}) and phase (${phase.length}) differ in size`);
  }
  // Integer division kept a small integer: a double here slows every index computation.
  const frames = (spec.length / N_BINS) | 0;
  if (frames * N_BINS !== spec.length || frames < 1) {
    throw new RangeError(`spectrogram size ${spec.length} is not ${N_BINS} x frames`);
  }
  return frames;
}

/** Samples out of `frames` frames after removing the center padding: (frames - 1) * hop. */
export function istftLength(frames: number): number {
  return (frames - 1) * HOP;
}

function resolveLength(frames: number, length: number | undefined): number {
  const full = istftLength(frames);
  if (length === undefined) return full;
  if (!Number.isInteger(length) || length < 0 || length > full) {
    throw new RangeError(`length ${length} out of range 0..${full}`);
  }
  return length;
}

/** Last frame that touches output samples [0, length) (output sample s is padded sample s + 10). */
function lastFrame(frames: number, length: number): number {
  if (length === 0) return -1;
  return Math.min(frames - 1, Math.floor((length - 1 + PAD) / HOP));
}

const WINDOW = hannWindow(N_FFT);

/**
 * Per output tap n of a frame: 11 weights of the real parts, then 11 weights of the
 * imaginary parts, so that frame[n] = sum_k re_k m[n][k] + im_k m[n][11 + k].
 */
type TapMatrix = Float64Array;

function tapMatrix(realWeight: (k: number, n: number) => number, imagWeight: (k: number, n: number) => number): TapMatrix {
  const m = new Float64Array(N_FFT * 2 * N_BINS);
  for (let n = 0; n < N_FFT; n++) {
    for (let k = 0; k < N_BINS; k++) {
      m[n * 2 * N_BINS + k] = realWeight(k, n);
      m[n * 2 * N_BINS + N_BINS + k] = imagWeight(k, n);
    }
  }
  return m;
}

/**
 * torch.istft's per-frame synthesis as taps: a one-sided inverse real DFT, x[n] = (re_0 +
 * (-1)^n re_10 + 2 sum_(k=1..9) (re_k cos - im_k sin)(2 pi k n / 20)) / 20, times the window.
 * sin vanishes exactly for bins 0 and 10, so their imaginary parts are ignored, as by a c2r FFT.
 */
const TORCH_TAPS = tapMatrix(
  (k, n) => ((k === 0 || k === N_BINS - 1 ? 1 : 2) * cosTurn(k * n, N_FFT) * WINDOW[n]!) / N_FFT,
  (k, n) => (-(k === 0 || k === N_BINS - 1 ? 1 : 2) * sinTurn(k * n, N_FFT) * WINDOW[n]!) / N_FFT,
);

/**
 * Overlap-add of the synthesised frames 0..last (frame t starts at padded sample 5t);
 * float64, still padded by n_fft / 2 at the start.
 */
function overlapAdd(spec: Float32Array, phase: Float32Array, frames: number, last: number, m: TapMatrix): Float64Array {
  const y = new Float64Array((last + 1) * HOP + N_FFT);
  // 11 bins are fixed by the model; spelled out so a frame's values stay in registers.
  for (let t = 0; t <= last; t++) {
    const r0 = spec[0 * frames + t]! * Math.cos(phase[0 * frames + t]!);
    const i0 = spec[0 * frames + t]! * Math.sin(phase[0 * frames + t]!);
    const r1 = spec[1 * frames + t]! * Math.cos(phase[1 * frames + t]!);
    const i1 = spec[1 * frames + t]! * Math.sin(phase[1 * frames + t]!);
    const r2 = spec[2 * frames + t]! * Math.cos(phase[2 * frames + t]!);
    const i2 = spec[2 * frames + t]! * Math.sin(phase[2 * frames + t]!);
    const r3 = spec[3 * frames + t]! * Math.cos(phase[3 * frames + t]!);
    const i3 = spec[3 * frames + t]! * Math.sin(phase[3 * frames + t]!);
    const r4 = spec[4 * frames + t]! * Math.cos(phase[4 * frames + t]!);
    const i4 = spec[4 * frames + t]! * Math.sin(phase[4 * frames + t]!);
    const r5 = spec[5 * frames + t]! * Math.cos(phase[5 * frames + t]!);
    const i5 = spec[5 * frames + t]! * Math.sin(phase[5 * frames + t]!);
    const r6 = spec[6 * frames + t]! * Math.cos(phase[6 * frames + t]!);
    const i6 = spec[6 * frames + t]! * Math.sin(phase[6 * frames + t]!);
    const r7 = spec[7 * frames + t]! * Math.cos(phase[7 * frames + t]!);
    const i7 = spec[7 * frames + t]! * Math.sin(phase[7 * frames + t]!);
    const r8 = spec[8 * frames + t]! * Math.cos(phase[8 * frames + t]!);
    const i8 = spec[8 * frames + t]! * Math.sin(phase[8 * frames + t]!);
    const r9 = spec[9 * frames + t]! * Math.cos(phase[9 * frames + t]!);
    const i9 = spec[9 * frames + t]! * Math.sin(phase[9 * frames + t]!);
    const r10 = spec[10 * frames + t]! * Math.cos(phase[10 * frames + t]!);
    const i10 = spec[10 * frames + t]! * Math.sin(phase[10 * frames + t]!);
    const base = t * HOP;
    for (let n = 0, q = 0; n < N_FFT; n++, q += 2 * N_BINS) {
      y[base + n] =
        y[base + n]! +
        (r0 * m[q + 0]! +
          r1 * m[q + 1]! +
          r2 * m[q + 2]! +
          r3 * m[q + 3]! +
          r4 * m[q + 4]! +
          r5 * m[q + 5]! +
          r6 * m[q + 6]! +
          r7 * m[q + 7]! +
          r8 * m[q + 8]! +
          r9 * m[q + 9]! +
          r10 * m[q + 10]!) +
        (i0 * m[q + 11]! +
          i1 * m[q + 12]! +
          i2 * m[q + 13]! +
          i3 * m[q + 14]! +
          i4 * m[q + 15]! +
          i5 * m[q + 16]! +
          i6 * m[q + 17]! +
          i7 * m[q + 18]! +
          i8 * m[q + 19]! +
          i9 * m[q + 20]! +
          i10 * m[q + 21]!);
    }
  }
  return y;
}

/**
 * torch.istft(spec * exp(i * phase), n_fft 20, hop 5, periodic Hann, center=True): per frame
 * a one-sided inverse real DFT, windowed, overlap-added, divided by the overlap-added squared
 * window, and the center padding removed. This is the exact inverse the PyTorch model uses.
 * spec and phase are [11 x frames] row-major (magnitude, phase in radians); the result has
 * `length` samples (default (frames - 1) * 5; the engine passes L * 600).
 */
export function istftTorch(spec: Float32Array, phase: Float32Array, length?: number): Float32Array {
  const frames = frameCount(spec, phase);
  const outLen = resolveLength(frames, length);
  const last = lastFrame(frames, outLen);
  const y = overlapAdd(spec, phase, frames, last, TORCH_TAPS);
  // The window envelope over the same frames: 1.5 inside, smaller within 10 samples of an end.
  const env = new Float64Array(y.length);
  for (let t = 0; t <= last; t++) {
    for (let n = 0; n < N_FFT; n++) env[t * HOP + n] = env[t * HOP + n]! + WINDOW[n]! * WINDOW[n]!;
  }
  const out = new Float32Array(outLen);
  for (let s = 0; s < outLen; s++) {
    const e = env[s + PAD]!;
    // torch refuses a vanishing envelope; with Hann and hop 5 it is at least 1.25 here.
    out[s] = e > 1e-11 ? y[s + PAD]! / e : 0;
  }
  return out;
}

/** Inverse bases of CustomSTFT, [11 x 20] row-major each. */
export interface InverseBases {
  basisReal: Float32Array;
  basisImag: Float32Array;
}

/**
 * The bases as CustomSTFT defines them: cos / sin(2 pi k n / 20) * hann(n) / 20, with no
 * doubling of the inner bins and no special case for DC and Nyquist; stored as float32.
 */
export function definedInverseBases(): InverseBases {
  const basisReal = new Float32Array(BASIS_SIZE);
  const basisImag = new Float32Array(BASIS_SIZE);
  for (let k = 0; k < N_BINS; k++) {
    for (let n = 0; n < N_FFT; n++) {
      const w = Math.fround(WINDOW[n]!) / N_FFT;
      basisReal[k * N_FFT + n] = cosTurn(k * n, N_FFT) * w;
      basisImag[k * N_FFT + n] = sinTurn(k * n, N_FFT) * w;
    }
  }
  return { basisReal, basisImag };
}

/**
 * CustomSTFT.inverse: overlap-add of frame_t[n] = sum_k re[k,t] Wr[k,n] - im[k,t] Wi[k,n]
 * (conv_transpose1d with stride 5), center padding removed, no window-envelope
 * normalisation (so about 0.8x the scale of torch.istft). This is what the shipped bases
 * compute. The bases are canonical [11 x 20] (see detectBasisLayout).
 */
export function istftBases(spec: Float32Array, phase: Float32Array, bases: InverseBases, length?: number): Float32Array {
  const { basisReal: wr, basisImag: wi } = bases;
  if (wr.length !== BASIS_SIZE || wi.length !== BASIS_SIZE) {
    throw new RangeError(`bases must have ${BASIS_SIZE} values each`);
  }
  const frames = frameCount(spec, phase);
  const outLen = resolveLength(frames, length);
  const last = lastFrame(frames, outLen);
  const m = tapMatrix(
    (k, n) => wr[k * N_FFT + n]!,
    (k, n) => -wi[k * N_FFT + n]!,
  );
  const y = overlapAdd(spec, phase, frames, last, m);
  return new Float32Array(y.subarray(PAD, PAD + outLen));
}

export type BasisLayout = '11x20' | '20x11';

export type BasisLayoutResult =
  | ({ ok: true; layout: BasisLayout; maxError: number } & InverseBases)
  | {
      ok: false;
      reason: 'bad-size' | 'unknown-layout';
      message: string;
      /** Largest deviation from the defined bases under each layout (unknown-layout only). */
      errors?: Record<BasisLayout, number>;
    };

/** Bases that deviate from their definition by more than this are not the bases. */
export const BASIS_TOLERANCE = 1e-5;

function layoutError(wr: Float32Array, wi: Float32Array, def: InverseBases, transposed: boolean): number {
  let err = 0;
  for (let k = 0; k < N_BINS; k++) {
    for (let n = 0; n < N_FFT; n++) {
      const at = transposed ? n * N_BINS + k : k * N_FFT + n;
      const d = k * N_FFT + n;
      const e = Math.max(Math.abs(wr[at]! - def.basisReal[d]!), Math.abs(wi[at]! - def.basisImag[d]!));
      // NaN counts as a mismatch.
      if (!(e <= err)) err = Number.isNaN(e) ? Infinity : e;
    }
  }
  return err;
}

/**
 * Decides whether 220-value inverse bases (e.g. istft_Wr_f32.bin / istft_Wi_f32.bin) are
 * stored [11 x 20] or [20 x 11] by comparing them with the bases computed from their
 * definition, and returns them as canonical [11 x 20]. Anything else is an error result.
 */
export function detectBasisLayout(wr: Float32Array, wi: Float32Array): BasisLayoutResult {
  if (wr.length !== BASIS_SIZE || wi.length !== BASIS_SIZE) {
    return {
      ok: false,
      reason: 'bad-size',
      message: `inverse bases must be ${BASIS_SIZE} float32 values each (11 x 20), got ${wr.length} and ${wi.length}`,
    };
  }
  const def = definedInverseBases();
  const rowMajor = layoutError(wr, wi, def, false);
  const transposed = layoutError(wr, wi, def, true);
  if (rowMajor <= BASIS_TOLERANCE && rowMajor <= transposed) {
    return { ok: true, layout: '11x20', maxError: rowMajor, basisReal: wr.slice(), basisImag: wi.slice() };
  }
  if (transposed <= BASIS_TOLERANCE) {
    const basisReal = new Float32Array(BASIS_SIZE);
    const basisImag = new Float32Array(BASIS_SIZE);
    for (let k = 0; k < N_BINS; k++) {
      for (let n = 0; n < N_FFT; n++) {
        basisReal[k * N_FFT + n] = wr[n * N_BINS + k]!;
        basisImag[k * N_FFT + n] = wi[n * N_BINS + k]!;
      }
    }
    return { ok: true, layout: '20x11', maxError: transposed, basisReal, basisImag };
  }
  return {
    ok: false,
    reason: 'unknown-layout',
    message:
      `inverse bases match neither [11 x 20] nor [20 x 11] of cos/sin(2 pi k n / 20) * hann(n) / 20 ` +
      `(max deviation ${rowMajor.toExponential(2)} and ${transposed.toExponential(2)}, tolerance ${BASIS_TOLERANCE})`,
    errors: { '11x20': rowMajor, '20x11': transposed },
  };
}

/** Little-endian float32 values of raw bytes (any alignment, any host byte order). */
function float32FromLittleEndian(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/**
 * detectBasisLayout for the raw contents of the two basis files (istft_Wr_f32.bin,
 * istft_Wi_f32.bin: 880 bytes each, little-endian float32).
 */
export function detectBasisLayoutFromBytes(wrBytes: Uint8Array, wiBytes: Uint8Array): BasisLayoutResult {
  const size = BASIS_SIZE * 4;
  if (wrBytes.byteLength !== size || wiBytes.byteLength !== size) {
    return {
      ok: false,
      reason: 'bad-size',
      message: `inverse basis files must be ${size} bytes each (11 x 20 float32), got ${wrBytes.byteLength} and ${wiBytes.byteLength}`,
    };
  }
  return detectBasisLayout(float32FromLittleEndian(wrBytes), float32FromLittleEndian(wiBytes));
}
