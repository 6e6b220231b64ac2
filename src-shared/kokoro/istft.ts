import {
  HOP as HOP_,
  N_BINS as N_BINS_,
  N_FFT as N_FFT_,
} from './constants';
import { FAST_TRIG_LIMIT as FAST_TRIG_LIMIT_, cosTurn, fastCos, fastSin, hannWindow, sinTurn } from './dft';

// Module-local copies: some loaders compile imports to getters, too slow in the inner loops.
const HOP = HOP_;
const N_BINS = N_BINS_;
const N_FFT = N_FFT_;
const FAST_TRIG_LIMIT = FAST_TRIG_LIMIT_;
const cos = fastCos;
const sin = fastSin;

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
/** torch.istft's window with the 1 / n_fft of the inverse DFT folded in. */
const WS = WINDOW.map((w) => w / N_FFT);
// cos(2 pi m / 20) for m = 1..4; every cos/sin(2 pi k n / 20) is one of +-1, 0, +-C1..C4.
const C1 = cosTurn(1, N_FFT);
const C2 = cosTurn(2, N_FFT);
const C3 = cosTurn(3, N_FFT);
const C4 = cosTurn(4, N_FFT);

/**
 * Frames converted to re + i im at a time: the [11 x frames] inputs are then read row by
 * row (11 sequential streams instead of 11 loads a stride of `frames` apart per frame), and
 * the cos/sin loop is a tight one. The block is stored [bin][frame in block].
 */
const BLOCK = 256;

/**
 * re + i im = spec * exp(i * phase) for frames t0..t0+n-1 into [11 x BLOCK] buffers.
 * fastCos/fastSin, unless a phase is beyond their range (then Math.cos/sin for the block).
 */
function loadBlock(spec: Float32Array, phase: Float32Array, frames: number, t0: number, n: number, re: Float64Array, im: Float64Array): void {
  let inRange = true;
  for (let k = 0; k < N_BINS; k++) {
    const row = k * frames + t0;
    const o = k * BLOCK;
    for (let j = 0; j < n; j++) {
      const m = spec[row + j]!;
      const p = phase[row + j]!;
      re[o + j] = m * cos(p);
      im[o + j] = m * sin(p);
      inRange = inRange && Math.abs(p) < FAST_TRIG_LIMIT;
    }
  }
  if (inRange) return;
  for (let k = 0; k < N_BINS; k++) {
    for (let j = 0, i = k * frames + t0; j < n; j++, i++) {
      re[k * BLOCK + j] = spec[i]! * Math.cos(phase[i]!);
      im[k * BLOCK + j] = spec[i]! * Math.sin(phase[i]!);
    }
  }
}

/**
 * torch.istft's synthesis of frame j of the block: a one-sided inverse real DFT, x[n] = (re_0 + (-1)^n
 * re_10 + 2 sum_(k=1..9) (re_k cos - im_k sin)(2 pi k n / 20)) / 20, times the window (the
 * imaginary parts of bins 0 and 10 are ignored, as by a c2r FFT). Folded: x[20 - n] differs
 * from x[n] only in the sign of the sin part, and x[10 - n] from x[n] in the signs of the
 * odd-bin cos part and the even-bin sin part, so n = 0..5 give all 20 values.
 */
function torchFrame(re: Float64Array, im: Float64Array, j: number, f: Float64Array): void {
  const a0 = re[j]!;
  const a1 = 2 * re[j + BLOCK]!;
  const a2 = 2 * re[j + 2 * BLOCK]!;
  const a3 = 2 * re[j + 3 * BLOCK]!;
  const a4 = 2 * re[j + 4 * BLOCK]!;
  const a5 = 2 * re[j + 5 * BLOCK]!;
  const a6 = 2 * re[j + 6 * BLOCK]!;
  const a7 = 2 * re[j + 7 * BLOCK]!;
  const a8 = 2 * re[j + 8 * BLOCK]!;
  const a9 = 2 * re[j + 9 * BLOCK]!;
  const a10 = re[j + 10 * BLOCK]!;
  const b1 = 2 * im[j + BLOCK]!;
  const b2 = 2 * im[j + 2 * BLOCK]!;
  const b3 = 2 * im[j + 3 * BLOCK]!;
  const b4 = 2 * im[j + 4 * BLOCK]!;
  const b5 = 2 * im[j + 5 * BLOCK]!;
  const b6 = 2 * im[j + 6 * BLOCK]!;
  const b7 = 2 * im[j + 7 * BLOCK]!;
  const b8 = 2 * im[j + 8 * BLOCK]!;
  const b9 = 2 * im[j + 9 * BLOCK]!;
  // Even-bin (ce) and odd-bin (co) cos sums, even-bin (se) and odd-bin (so) sin sums at n.
  const ce0 = a0 + a2 + a4 + a6 + a8 + a10;
  const co0 = a1 + a3 + a5 + a7 + a9;
  f[0] = (ce0 + co0) * WS[0]!;
  f[10] = (ce0 - co0) * WS[10]!;
  const ce1 = a0 + a2 * C2 + a4 * C4 - a6 * C4 - a8 * C2 - a10;
  const co1 = a1 * C1 + a3 * C3 - a7 * C3 - a9 * C1;
  const se1 = b2 * C3 + b4 * C1 + b6 * C1 + b8 * C3;
  const so1 = b1 * C4 + b3 * C2 + b5 + b7 * C2 + b9 * C4;
  f[1] = (ce1 + co1 - (se1 + so1)) * WS[1]!;
  f[19] = (ce1 + co1 + (se1 + so1)) * WS[19]!;
  f[9] = (ce1 - co1 - (so1 - se1)) * WS[9]!;
  f[11] = (ce1 - co1 + (so1 - se1)) * WS[11]!;
  const ce2 = a0 + a2 * C4 - a4 * C2 - a6 * C2 + a8 * C4 + a10;
  const co2 = a1 * C2 - a3 * C4 - a5 - a7 * C4 + a9 * C2;
  const se2 = b2 * C1 + b4 * C3 - b6 * C3 - b8 * C1;
  const so2 = b1 * C3 + b3 * C1 - b7 * C1 - b9 * C3;
  f[2] = (ce2 + co2 - (se2 + so2)) * WS[2]!;
  f[18] = (ce2 + co2 + (se2 + so2)) * WS[18]!;
  f[8] = (ce2 - co2 - (so2 - se2)) * WS[8]!;
  f[12] = (ce2 - co2 + (so2 - se2)) * WS[12]!;
  const ce3 = a0 - a2 * C4 - a4 * C2 + a6 * C2 + a8 * C4 - a10;
  const co3 = a1 * C3 - a3 * C1 + a7 * C1 - a9 * C3;
  const se3 = b2 * C1 - b4 * C3 - b6 * C3 + b8 * C1;
  const so3 = b1 * C2 + b3 * C4 - b5 + b7 * C4 + b9 * C2;
  f[3] = (ce3 + co3 - (se3 + so3)) * WS[3]!;
  f[17] = (ce3 + co3 + (se3 + so3)) * WS[17]!;
  f[7] = (ce3 - co3 - (so3 - se3)) * WS[7]!;
  f[13] = (ce3 - co3 + (so3 - se3)) * WS[13]!;
  const ce4 = a0 - a2 * C2 + a4 * C4 + a6 * C4 - a8 * C2 + a10;
  const co4 = a1 * C4 - a3 * C2 + a5 - a7 * C2 + a9 * C4;
  const se4 = b2 * C3 - b4 * C1 + b6 * C1 - b8 * C3;
  const so4 = b1 * C1 - b3 * C3 + b7 * C3 - b9 * C1;
  f[4] = (ce4 + co4 - (se4 + so4)) * WS[4]!;
  f[16] = (ce4 + co4 + (se4 + so4)) * WS[16]!;
  f[6] = (ce4 - co4 - (so4 - se4)) * WS[6]!;
  f[14] = (ce4 - co4 + (so4 - se4)) * WS[14]!;
  // n = 5 pairs with itself: no odd-bin cos part, no even-bin sin part.
  const ce5 = a0 - a2 + a4 - a6 + a8 - a10;
  const so5 = b1 - b3 + b5 - b7 + b9;
  f[5] = (ce5 - so5) * WS[5]!;
  f[15] = (ce5 + so5) * WS[15]!;
}

/**
 * Per output tap n of a frame: 11 weights of the real parts, then 11 weights of the
 * imaginary parts, so that frame[n] = sum_k re_k m[n][k] + im_k m[n][11 + k].
 */
function tapMatrix(realWeight: (k: number, n: number) => number, imagWeight: (k: number, n: number) => number): Float64Array {
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
 * CustomSTFT's synthesis of frame j of the block from bases given as data (not assumed
 * symmetric): f[n] = sum_k re_k m[n][k] + im_k m[n][11 + k] (see tapMatrix).
 */
function basesFrame(re: Float64Array, im: Float64Array, j: number, m: Float64Array, f: Float64Array): void {
  // 11 bins are fixed by the model; spelled out so a frame's values stay in locals.
  const r0 = re[j]!;
  const i0 = im[j]!;
  const r1 = re[j + BLOCK]!;
  const i1 = im[j + BLOCK]!;
  const r2 = re[j + 2 * BLOCK]!;
  const i2 = im[j + 2 * BLOCK]!;
  const r3 = re[j + 3 * BLOCK]!;
  const i3 = im[j + 3 * BLOCK]!;
  const r4 = re[j + 4 * BLOCK]!;
  const i4 = im[j + 4 * BLOCK]!;
  const r5 = re[j + 5 * BLOCK]!;
  const i5 = im[j + 5 * BLOCK]!;
  const r6 = re[j + 6 * BLOCK]!;
  const i6 = im[j + 6 * BLOCK]!;
  const r7 = re[j + 7 * BLOCK]!;
  const i7 = im[j + 7 * BLOCK]!;
  const r8 = re[j + 8 * BLOCK]!;
  const i8 = im[j + 8 * BLOCK]!;
  const r9 = re[j + 9 * BLOCK]!;
  const i9 = im[j + 9 * BLOCK]!;
  const r10 = re[j + 10 * BLOCK]!;
  const i10 = im[j + 10 * BLOCK]!;
  for (let n = 0, q = 0; n < N_FFT; n++, q += 2 * N_BINS) {
    f[n] =
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

/** torch.istft's window envelope at padded sample p: sum of w^2 over frames 0..frames-1 covering it. */
function envelopeAt(p: number, frames: number): number {
  let e = 0;
  const first = Math.max(0, Math.ceil((p - N_FFT + 1) / HOP));
  const end = Math.min(frames - 1, Math.floor(p / HOP));
  for (let t = first; t <= end; t++) e += WINDOW[p - t * HOP]! * WINDOW[p - t * HOP]!;
  return e;
}

/** The envelope where all four overlapping frames exist, by padded sample p mod 5 (1.5). */
const FULL_ENVELOPE = Float64Array.from({ length: HOP }, (_, i) => envelopeAt(N_FFT + i, Infinity));
const E0 = FULL_ENVELOPE[0]!;
const E1 = FULL_ENVELOPE[1]!;
const E2 = FULL_ENVELOPE[2]!;
const E3 = FULL_ENVELOPE[3]!;
const E4 = FULL_ENVELOPE[4]!;

/**
 * One inverse STFT in progress, streamed: frame t covers padded samples 5t..5t+19, and `acc`
 * holds the partial sums of 5t..5t+14 from the frames before it. Adding frame t completes
 * 5t..5t+4 (into `done`) and shifts the rest down by a hop. Sums run in frame order, as into
 * a full overlap-add buffer, but only the float32 output is allocated. Padded sample p is
 * output sample p - 10.
 */
class Synthesis {
  readonly re = new Float64Array(N_BINS * BLOCK);
  readonly im = new Float64Array(N_BINS * BLOCK);
  /** First frame in re/im (-BLOCK: none yet). */
  private block = -BLOCK;
  readonly f = new Float64Array(N_FFT);
  readonly acc = new Float64Array(N_FFT - HOP);
  readonly done = new Float64Array(HOP);
  readonly out: Float32Array;

  constructor(
    readonly spec: Float32Array,
    readonly phase: Float32Array,
    readonly frames: number,
    outLen: number,
    /** Tap matrix of CustomSTFT bases; null for torch.istft (window envelope normalised). */
    readonly taps: Float64Array | null,
  ) {
    this.out = new Float32Array(outLen);
  }

  /** Adds frame t; its first hop of samples is then complete in `done`. */
  step(t: number): void {
    const { re, im, f, acc, done } = this;
    if (t - this.block >= BLOCK || t < this.block) {
      this.block = t;
      loadBlock(this.spec, this.phase, this.frames, t, Math.min(BLOCK, this.frames - t), re, im);
    }
    if (this.taps) basesFrame(re, im, t - this.block, this.taps, f);
    else torchFrame(re, im, t - this.block, f);
    for (let i = 0; i < HOP; i++) done[i] = acc[i]! + f[i]!;
    for (let i = 0; i < N_FFT - 2 * HOP; i++) acc[i] = acc[i + HOP]! + f[i + HOP]!;
    for (let i = N_FFT - 2 * HOP; i < N_FFT - HOP; i++) acc[i] = f[i + HOP]!;
  }

  /** Writes padded sample p if it is in the output (torch: divided by the window envelope). */
  put(p: number, v: number): void {
    const s = p - PAD;
    if (s < 0 || s >= this.out.length) return;
    if (this.taps) {
      this.out[s] = v;
      return;
    }
    const e = envelopeAt(p, this.frames);
    // torch refuses a vanishing envelope; with Hann and hop 5 it is at least 1.25 here.
    this.out[s] = e > 1e-11 ? v / e : 0;
  }

  /** Frames t0..t1-1 at either end of the output, sample by sample. */
  edge(t0: number, t1: number): void {
    for (let t = t0; t < t1; t++) {
      this.step(t);
      for (let i = 0; i < HOP; i++) this.put(t * HOP + i, this.done[i]!);
    }
  }

  /**
   * Frames t0..t1-1 whose completed samples are all in the output and, for torch, have all
   * four frames (the envelope is FULL_ENVELOPE). The hot loop: kept free of anything else.
   */
  steady(t0: number, t1: number): void {
    const { out, done } = this;
    if (this.taps) {
      for (let t = t0; t < t1; t++) {
        this.step(t);
        const s = t * HOP - PAD;
        out[s] = done[0]!;
        out[s + 1] = done[1]!;
        out[s + 2] = done[2]!;
        out[s + 3] = done[3]!;
        out[s + 4] = done[4]!;
      }
    } else {
      for (let t = t0; t < t1; t++) {
        this.step(t);
        const s = t * HOP - PAD;
        out[s] = done[0]! / E0;
        out[s + 1] = done[1]! / E1;
        out[s + 2] = done[2]! / E2;
        out[s + 3] = done[3]! / E3;
        out[s + 4] = done[4]! / E4;
      }
    }
  }

  /** Frames 0..last, then what the last ones left (no later frame adds to those samples). */
  run(last: number): Float32Array {
    // Steady from the first frame whose hop starts at padded sample 15 (output sample 5) to the
    // last one whose hop ends within the output.
    const first = Math.min(3, last + 1);
    const end = Math.max(first, Math.min(last + 1, Math.floor((this.out.length + PAD) / HOP)));
    this.edge(0, first);
    this.steady(first, end);
    this.edge(end, last + 1);
    for (let i = 0; i < this.acc.length; i++) this.put((last + 1) * HOP + i, this.acc[i]!);
    return this.out;
  }
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
  return new Synthesis(spec, phase, frames, outLen, null).run(lastFrame(frames, outLen));
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
  return new Synthesis(spec, phase, frames, outLen, m).run(last);
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
