/**
 * How far int8 weights move Kokoro's audio: one chunk's predictor and prosody run on the fp32
 * graphs, then the same vocoder inputs go through both vocoders. Compares the magnitude
 * spectrogram (the vocoder's `spec`, over the chunk's own STFT frames) by correlation, and the
 * waveforms (exact inverse STFT) by signal-to-noise ratio. Used by bench:int8 and its test.
 */
import { buildAlignment, predictDurations } from '../../src-shared/kokoro/alignment';
import { HOP, N_BINS, SAMPLES_PER_FRAME, STFT_FRAMES, TOKEN_BUCKET } from '../../src-shared/kokoro/constants';
import { istftTorch } from '../../src-shared/kokoro/istft';
import { harFromF0 } from '../../src-shared/kokoro/source';
import type { VocoderInput, VocoderOutput } from '../../src-main/engine/kokoro/graphs';
import { leadingFrames } from '../../src-main/engine/kokoro/pipeline';
import type { KokoroGraphRunner } from '../../src-main/engine/kokoro/pipeline';
import { SHADOW_L_LINEAR } from './kokoro-shadow';

export interface Int8Agreement {
  frames: number;
  spectrogramCorrelation: number;
  waveformSnrDb: number;
}

/**
 * Loads the fp32 graphs, runs the chunk, frees them, then loads the int8 ones for the vocoder:
 * two real-size sets at once do not fit LiteRT's 2 GiB heap.
 */
export async function int8Agreement(
  loadExact: () => Promise<KokoroGraphRunner>,
  loadRounded: () => Promise<KokoroGraphRunner>,
  ids: readonly number[],
  refS: Float32Array,
): Promise<Int8Agreement> {
  const exact = await loadExact();
  let input: VocoderInput;
  let frames: number;
  let a: VocoderOutput;
  try {
    const idInput = new Int32Array(TOKEN_BUCKET);
    idInput.set(ids);
    const predicted = await exact.predict({ ids: idInput, refS, attn: new Float32Array(TOKEN_BUCKET).fill(1, 0, ids.length) });
    const alignment = buildAlignment(predictDurations(predicted.duration, ids.length, 1), ids.length);
    if (!alignment.ok) throw new Error(`the chunk overflows the frame bucket (${alignment.frames} frames)`);
    frames = alignment.frames;
    const prosody = await exact.prosody({ d: predicted.d, tEn: predicted.tEn, aln: alignment.aln, refS, frameMask: alignment.frameMask });
    const { har } = harFromF0(prosody.f0, SHADOW_L_LINEAR, { padding: 'reflect', random: null });
    input = { asr: prosody.asr, f0: prosody.f0, n: prosody.n, har, refS, frameMask: alignment.frameMask };
    a = await exact.vocode(input);
  } finally {
    exact.dispose?.();
  }
  const rounded = await loadRounded();
  let b: VocoderOutput;
  try {
    b = await rounded.vocode(input);
  } finally {
    rounded.dispose?.();
  }
  const samples = frames * SAMPLES_PER_FRAME;
  const steps = samples / HOP + 1;
  // spec rows are bins of STFT_FRAMES values; only the chunk's own frames count.
  const own = (spec: Float32Array): Float32Array => leadingFrames(spec, N_BINS, STFT_FRAMES, steps);
  return {
    frames,
    spectrogramCorrelation: correlation(own(a.spec), own(b.spec)),
    waveformSnrDb: snrDb(istftTorch(a.spec, a.phase, samples), istftTorch(b.spec, b.phase, samples)),
  };
}

/** Pearson correlation. */
export function correlation(x: Float32Array, y: Float32Array): number {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < x.length; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= x.length;
  my /= y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Signal (the exact output) to noise (the difference) in dB. */
export function snrDb(exact: Float32Array, rounded: Float32Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < exact.length; i++) {
    signal += exact[i]! ** 2;
    noise += (exact[i]! - rounded[i]!) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}
