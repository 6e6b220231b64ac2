/**
 * One Kokoro chunk from phoneme ids to audio: predictor -> alignment -> prosody -> harmonic
 * source -> vocoder -> inverse STFT -> trim to L x 600 samples, with every token's sample span.
 * The graphs are behind `KokoroGraphRunner`; everything between them is host code from
 * src-shared/kokoro. Cancellation is checked between graphs.
 */
import { AppError } from '../../../src-shared/errors/catalogue';
import { F0_PER_FRAME, FRAME_BUCKET, SAMPLES_PER_FRAME, TOKEN_BUCKET } from '../../../src-shared/kokoro/constants';
import { buildAlignment, predictDurations } from '../../../src-shared/kokoro/alignment';
import { istftBases, istftTorch } from '../../../src-shared/kokoro/istft';
import type { InverseBases } from '../../../src-shared/kokoro/istft';
import { deriveSeed } from '../../../src-shared/kokoro/random';
import { harFromF0 } from '../../../src-shared/kokoro/source';
import type { StftPadding } from '../../../src-shared/kokoro/stft';
import { tokenSampleSpans } from '../../../src-shared/kokoro/spans';
import { REBUCKET_MARGIN_FRAMES } from './tflite-rebucket';
import type { PredictorInput, PredictorOutput, ProsodyInput, ProsodyOutput, VocoderInput, VocoderOutput } from './graphs';

/** The three graphs, by role (KokoroGraphs in the app; stand-ins in tests). Shapes as in KOKORO.md. */
export interface KokoroGraphRunner {
  predict(input: PredictorInput): Promise<PredictorOutput>;
  prosody(input: ProsodyInput): Promise<ProsodyOutput>;
  /** Runs the vocoder of the bucket the inputs hold (frameMask's length). */
  vocode(input: VocoderInput): Promise<VocoderOutput>;
  /** The vocoder's frame buckets, smallest first (absent: the graph's own 512). */
  readonly vocoderBuckets?: readonly number[];
  /** Frees the models (LiteRT's wasm heap does not shrink, but a later load reuses the space). */
  dispose?(): void;
}

export interface HostSettings {
  /** 9 harmonic weights and the bias of the source module (l_linear.bin). */
  lLinear: Float32Array;
  /** 'reflect' is what the PyTorch model computes; 'replicate' matches graph exports. */
  stftPadding: StftPadding;
  /** 'torch': exact torch.istft (default); 'bases': the shipped bases' overlap-add. */
  inverse: { kind: 'torch' } | { kind: 'bases'; bases: InverseBases };
  /** Noise and random initial phases of the source; seeded per chunk so re-synthesis is identical. */
  noise: boolean;
}

export type ChunkResult =
  | { ok: true; samples: Float32Array; predDur: Int32Array; tokenSpans: Int32Array; frames: number; bucket: number }
  | { ok: false; reason: 'overflow'; frames: number; durations: Int32Array };

/** The vocoder's buckets, smallest first. */
export function vocoderBucketsOf(graphs: KokoroGraphRunner): readonly number[] {
  return graphs.vocoderBuckets?.length ? graphs.vocoderBuckets : [FRAME_BUCKET];
}

/**
 * The frames a chunk may have to run in a bucket: a rewritten (smaller) one keeps its last
 * REBUCKET_MARGIN_FRAMES as padding, so that its output equals the full graph's on the chunk.
 */
export function bucketCapacity(bucket: number): number {
  return bucket === FRAME_BUCKET ? bucket : bucket - REBUCKET_MARGIN_FRAMES;
}

/** The first `frames` of each of `rows` rows of `width` values (a tensor cut to a smaller bucket, or to a chunk's own steps). */
export function leadingFrames(values: Float32Array, rows: number, width: number, frames: number): Float32Array {
  const out = new Float32Array(rows * frames);
  for (let row = 0; row < rows; row++) out.set(values.subarray(row * width, row * width + frames), row * frames);
  return out;
}

/** Rows of the asr tensor [1, 512, frames]. */
const ASR_CHANNELS = 512;

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw AppError.of('CANCELLED');
}

/** A stable 32-bit hash of the chunk's ids, so the same chunk always gets the same noise. */
function idsSeed(ids: readonly number[], speed: number): number {
  let h = deriveSeed(ids.length, Math.round(speed * 1000));
  for (const id of ids) h = deriveSeed(h, id);
  return h;
}

/**
 * Synthesises one chunk. `ids` includes the bounding zeros (at most 128). An alignment longer
 * than the largest vocoder bucket holds, or than `maxFrames`, is returned as an overflow with the
 * predicted durations, so the caller can split the text and run again; frames are never
 * truncated. The chunk runs in the smallest vocoder bucket that holds it (bucketCapacity).
 */
export async function synthesizeChunk(
  graphs: KokoroGraphRunner,
  ids: readonly number[],
  refS: Float32Array,
  speed: number,
  host: HostSettings,
  signal?: AbortSignal,
  maxFrames = Infinity,
): Promise<ChunkResult> {
  const tokenCount = ids.length;
  if (tokenCount > TOKEN_BUCKET) throw AppError.of('INTERNAL', `(chunk of ${tokenCount} tokens exceeds the bucket of ${TOKEN_BUCKET})`);
  const idInput = new Int32Array(TOKEN_BUCKET);
  idInput.set(ids);
  const attn = new Float32Array(TOKEN_BUCKET);
  attn.fill(1, 0, tokenCount);

  checkCancelled(signal);
  const predicted = await graphs.predict({ ids: idInput, refS, attn });
  const predDur = predictDurations(predicted.duration, tokenCount, speed);
  const alignment = buildAlignment(predDur, tokenCount);
  const bucket = vocoderBucketsOf(graphs).find((b) => bucketCapacity(b) >= alignment.frames);
  if (!alignment.ok || alignment.frames > maxFrames || bucket === undefined) return { ok: false, reason: 'overflow', frames: alignment.frames, durations: predDur };

  checkCancelled(signal);
  const prosody = await graphs.prosody({ d: predicted.d, tEn: predicted.tEn, aln: alignment.aln, refS, frameMask: alignment.frameMask });
  // The vocoder's inputs, cut to its bucket (asr is [512 channels, frames]).
  const cut = (values: Float32Array, rows: number, perFrame: number): Float32Array =>
    bucket === FRAME_BUCKET ? values : leadingFrames(values, rows, perFrame * FRAME_BUCKET, perFrame * bucket);
  const vocoderInput = {
    asr: cut(prosody.asr, ASR_CHANNELS, 1),
    f0: cut(prosody.f0, 1, F0_PER_FRAME),
    n: cut(prosody.n, 1, F0_PER_FRAME),
    frameMask: cut(alignment.frameMask, 1, 1),
  };

  checkCancelled(signal);
  const random = host.noise ? { noise: true, seed: idsSeed(ids, speed) } : null;
  const { har } = harFromF0(vocoderInput.f0, host.lLinear, { padding: host.stftPadding, random });

  checkCancelled(signal);
  const { spec, phase } = await graphs.vocode({ ...vocoderInput, har, refS });

  const length = alignment.frames * SAMPLES_PER_FRAME;
  const samples = host.inverse.kind === 'bases' ? istftBases(spec, phase, host.inverse.bases, length) : istftTorch(spec, phase, length);
  return { ok: true, samples, predDur, tokenSpans: tokenSampleSpans(predDur, tokenCount), frames: alignment.frames, bucket };
}

