/**
 * The three Kokoro-82M LiteRT graphs, loaded once each and run by role.
 *
 *   const graphs = await KokoroGraphs.load(modelDir);      // real-size shadows: 1.7 GiB of wasm heap
 *   const { duration, d, tEn } = await graphs.predict({ ids, refS, attn });
 *   const { asr, f0, n } = await graphs.prosody({ d, tEn, aln, refS, frameMask });
 *   const { spec, phase } = await graphs.vocode({ asr, f0, n, har, refS, frameMask });
 *   graphs.dispose();
 *
 * The vocoder is compiled once per frame bucket of VOCODER_BUCKETS: copies of the downloaded
 * 512-frame graph rewritten for fewer frames (tflite-rebucket.ts), or the graph itself when it
 * cannot be rewritten. `vocode` runs the one whose bucket the inputs hold; a smaller bucket costs
 * less in proportion (on the real-size shadows 3.5 s for 128 frames against 14.7 s for 512).
 *
 * Arrays are flat, row-major, batch 1, and their lengths are checked:
 *   ids Int32Array[128] (ids then zeros; an int64 ids input is rewritten to int32 at load),
 *   refS [256], attn [128] (1 for real tokens) -> duration [128], d [128*640], tEn [512*128];
 *   aln [128*512], frameMask [512] -> asr [512*512], f0 [1024], n [1024];
 *   har [22*61441] -> spec [11*61441], phase [11*61441] (for a vocoder bucket of B frames:
 *   asr [512*B], f0 and n [2B], har [22*(120B+1)], frameMask [B] -> spec, phase [11*(120B+1)]).
 * The host steps between the graphs (durations, alignment, source/STFT, inverse STFT) are not
 * here: see src-shared/kokoro and the pipeline. Calls run one at a time on one wasm heap.
 * Failures are AppErrors: MODEL_MISSING, MODEL_INVALID (damaged file or unknown layout),
 * MODEL_LOAD_FAILED, OUT_OF_MEMORY, LITERT_UNAVAILABLE.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors/catalogue';
import { bindGraph, describeBinding, forwardingProblems, GRAPH_FILES, GRAPH_ROLES, tensorFor } from './binding';
import type { GraphBinding, GraphKind } from './binding';
import { loadLiteRtRuntime } from './litert-runtime';
import type { LiteRtRuntime, LoadedModel, RuntimeOptions, TensorData } from './litert-runtime';
import { readTfliteSummary, rewriteInt64Io, TfliteFormatError } from './tflite-model';
import { quantizeWeightsInt8 } from './tflite-int8';
import { collectGarbage } from './collect-garbage';
import { rebucketFrames, VOCODER_FRAME_AXES } from './tflite-rebucket';
import type { RebucketResult } from './tflite-rebucket';
import type { WeightTensor } from './tflite-int8';
import type { KokoroPrecision } from '../../../src-shared/ipc/engine-config';
import { FRAME_BUCKET } from '../../../src-shared/kokoro/constants';

export interface PredictorInput {
  ids: Int32Array;
  refS: Float32Array;
  attn: Float32Array;
}
export interface PredictorOutput {
  duration: Float32Array;
  d: Float32Array;
  tEn: Float32Array;
}
export interface ProsodyInput {
  d: Float32Array;
  tEn: Float32Array;
  aln: Float32Array;
  refS: Float32Array;
  frameMask: Float32Array;
}
export interface ProsodyOutput {
  asr: Float32Array;
  f0: Float32Array;
  n: Float32Array;
}
export interface VocoderInput {
  asr: Float32Array;
  f0: Float32Array;
  n: Float32Array;
  har: Float32Array;
  refS: Float32Array;
  frameMask: Float32Array;
}
export interface VocoderOutput {
  spec: Float32Array;
  phase: Float32Array;
}

export interface GraphsOptions extends RuntimeOptions {
  /** An already loaded runtime (default: the process's one, loaded on demand). */
  runtime?: LiteRtRuntime;
  /** 'fast': the vocoder's wide convolutions get int8 weights at load (FAST_INT8_WEIGHTS). */
  precision?: KokoroPrecision;
  /** Frame buckets to compile the vocoder for (default VOCODER_BUCKETS). */
  vocoderBuckets?: readonly number[];
}

/**
 * The vocoder's buckets, chosen with bench:e2e on the real-size shadows (README): 128 frames
 * (3.2 s) for the first chunk of a reading and short texts (first audio 5.5 s instead of 17.7),
 * and 384 for the rest: the 128-token predictor bucket makes chunks of about 200-380 frames, so
 * 512 mostly runs padding (a 384 run takes 10.7 s, a 512 run 14.7). A chunk longer than 368
 * frames is cut and what follows planned again. Each bucket costs its weights twice over in the
 * wasm heap (graph and packed weights): 1765 MiB for these two against 1315 for 512 alone.
 */
export const VOCODER_BUCKETS: readonly number[] = [128, 384];

/**
 * Which weights 'fast' rounds to int8: the vocoder's convolutions with 256 or more output
 * channels, that is its decoder and the generator's first stage. Measured on the real-size
 * shadows (bench:int8 -- --shadows DIR; random weights), spectrogram correlation with fp32:
 * every vocoder weight int8 0.9958; the generator's last stage (128 channels over 61,441 steps)
 * and post conv kept fp32 0.9996, within #16's 0.999 bound. Its kernel-11 convolutions are what
 * the bound cannot afford (0.9963 with them). Fully connected layers stay fp32: XNNPack runs
 * them no faster in int8.
 */
const FAST_INT8_WEIGHTS: Record<GraphKind, (weight: WeightTensor) => boolean> = {
  predictor: () => false,
  prosody: () => false,
  vocoder: (weight) => weight.op !== 'FULLY_CONNECTED' && weight.outputChannels >= 256,
};
/** Names the rule above in the audio cache key: another rule is other audio. */
export const FAST_INT8_RULE = 'vocoder convs >= 256 channels';

/** Reads a model file; a missing file is MODEL_MISSING, any other read failure MODEL_INVALID. */
export async function readModelFile(dir: string, file: string): Promise<Uint8Array> {
  try {
    return await readFile(join(dir, file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw AppError.of('MODEL_MISSING', `(${file} is not in ${dir})`, { file, dir });
    throw AppError.of('MODEL_INVALID', `(${file} could not be read: ${(err as Error).message})`, { file, dir });
  }
}

/** A graph read, bound and rewritten (int64, int8), not yet compiled. */
interface PreparedGraph {
  binding: GraphBinding;
  /**
   * The graph's bytes to compile (after the int64 and int8 rewrites). Emptied (`release`) once
   * nothing needs them: LiteRT keeps its own copy, and the JS copies beside it (the vocoder's
   * and its rewritten copies', 200 MiB each at real size) were about 400 MiB of the peak RSS.
   */
  bytes: Uint8Array;
  /** What the load log says of it: its binding and rewrites. */
  description: string;
}

/** Lets a prepared graph's bytes go, and frees them before LiteRT takes more memory (once: a second call has nothing to free). */
function release(prepared: PreparedGraph): void {
  if (prepared.bytes.byteLength === 0) return;
  prepared.bytes = new Uint8Array(0);
  collectGarbage();
}

/** A compiled graph (its bytes are not kept: LiteRT has its own copy). */
interface LoadedGraph {
  model: LoadedModel;
  binding: GraphBinding;
}

/**
 * LiteRT's wasm heap cannot grow past 2 GiB, and a run needs some of it: an optional vocoder
 * copy is only loaded while the heap stays below this.
 */
const HEAP_LIMIT_FOR_COPIES = 2 * 2 ** 30 - 128 * 2 ** 20;
/**
 * Heap a compiled copy takes per byte of its graph: the graph itself, its weights packed by
 * XNNPack, and the activations (on the real-size shadows 527 MiB for the 213 MB vocoder at 128 frames).
 */
const HEAP_PER_GRAPH_BYTE = 2.5;

/**
 * Copies (bucket and size) that a disposed KokoroGraphs of this process had loaded. The heap
 * never shrinks, so after a reload its size says nothing of the free space inside it; a copy
 * that fitted before fits again in the space its predecessor left.
 */
const releasedCopies = new Set<string>();
const copyKey = (frames: number, bytes: Uint8Array): string => `${frames}:${bytes.byteLength}`;

/**
 * The vocoder compiled for each bucket asked for that its graph allows: the downloaded graph
 * for 512, rewritten copies for the others. The largest bucket is compiled first and must load;
 * a smaller one whose rewrite is refused, or that would take the heap past
 * HEAP_LIMIT_FOR_COPIES, is logged and left out. When not even the largest can be rewritten,
 * the 512-frame graph takes its place.
 */
async function loadVocoderBuckets(runtime: LiteRtRuntime, vocoder: PreparedGraph, buckets: readonly number[], log: (line: string) => void): Promise<Map<number, VocoderCopy>> {
  const file = GRAPH_FILES.vocoder;
  const axes = Object.fromEntries(
    [...vocoder.binding.inputs, ...vocoder.binding.outputs].flatMap((b) => {
      const axis = VOCODER_FRAME_AXES[b.role];
      return axis ? [[b.tensor, axis]] : [];
    }),
  );
  const rewrite = (frames: number): RebucketResult | undefined => {
    if (frames === FRAME_BUCKET) return undefined;
    try {
      return rebucketFrames(vocoder.bytes, axes, FRAME_BUCKET, frames);
    } catch (err) {
      if (!(err instanceof TfliteFormatError)) throw err;
      log(`[kokoro] ${file}: no ${frames}-frame copy (${err.message})`);
      return undefined;
    }
  };
  /** A copy LiteRT will not compile is left out, unless the runtime itself broke (a trap, out of memory). */
  const compileCopy = async (frames: number, copy: RebucketResult): Promise<LoadedModel | undefined> => {
    try {
      const model = await runtime.loadModel(copy.bytes, `${file} (${frames} frames)`);
      // LiteRT must see the output shapes the rewrite made.
      const wrong = model.outputs.find((o) => copy.outputs[o.name] !== undefined && o.shape.join(',') !== copy.outputs[o.name]!.join(','));
      if (wrong) {
        model.delete();
        log(`[kokoro] ${file}: no ${frames}-frame copy (LiteRT reports output ${wrong.name} [${wrong.shape.join(',')}], not [${copy.outputs[wrong.name]!.join(',')}])`);
        return undefined;
      }
      log(`[kokoro] ${file}: a ${frames}-frame copy is loaded`);
      return model;
    } catch (err) {
      if (!(err instanceof AppError) || err.data?.restart === true) throw err;
      log(`[kokoro] ${file}: no ${frames}-frame copy (LiteRT did not compile it: ${err.message})`);
      return undefined;
    }
  };
  const [largest = FRAME_BUCKET, ...smaller] = [...new Set(buckets)].sort((a, b) => b - a);
  const models = new Map<number, VocoderCopy>();
  // Each step is a function so that a copy's bytes are garbage once it is compiled, and the
  // downloaded bytes are let go as soon as the last smaller copy is made from them.
  const loadMain = async (): Promise<void> => {
    const copy = rewrite(largest);
    // The downloaded bytes stay until this copy compiles: if LiteRT refuses it, they take its place.
    const model = copy && (await compileCopy(largest, copy));
    if (model) models.set(largest, { model, key: '' });
    else models.set(FRAME_BUCKET, { model: await compileGraph(runtime, file, vocoder), key: '' });
  };
  const loadSmaller = async (frames: number, last: boolean): Promise<void> => {
    const copy = rewrite(frames);
    if (last) release(vocoder);
    if (!copy) return;
    const heapAfter = runtime.heapBytes() + HEAP_PER_GRAPH_BYTE * copy.bytes.byteLength;
    // Taken out of the set here: the copy loaded now holds that space again.
    const fittedBefore = releasedCopies.delete(copyKey(frames, copy.bytes));
    if (heapAfter > HEAP_LIMIT_FOR_COPIES && !fittedBefore) {
      log(`[kokoro] ${file}: no ${frames}-frame copy (it would take the wasm heap to about ${Math.round(heapAfter / 2 ** 20)} MiB, past the ${Math.round(HEAP_LIMIT_FOR_COPIES / 2 ** 20)} MiB it may use)`);
      return;
    }
    const model = await compileCopy(frames, copy);
    if (model) models.set(frames, { model, key: copyKey(frames, copy.bytes) });
  };
  try {
    await loadMain();
    for (const [i, frames] of smaller.entries()) {
      // The copy compiled last is garbage now.
      collectGarbage();
      await loadSmaller(frames, i === smaller.length - 1);
    }
    // Nothing needs the downloaded bytes now (a no-op if smaller buckets were asked for: the last released them).
    release(vocoder);
  } catch (err) {
    for (const { model } of models.values()) model.delete();
    throw err;
  }
  return models;
}

/** A compiled vocoder and, for an optional smaller copy, its key in releasedCopies ('' for the main one). */
interface VocoderCopy {
  model: LoadedModel;
  key: string;
}

/** Reads, binds and rewrites (int64, int8) one graph; compiling it is the caller's. */
async function prepareGraph(
  dir: string,
  kind: GraphKind,
  earlier: Partial<Record<GraphKind, Pick<LoadedGraph, 'binding'>>>,
  precision: KokoroPrecision,
): Promise<PreparedGraph> {
  const file = GRAPH_FILES[kind];
  let bytes = await readModelFile(dir, file);
  let binding: GraphBinding;
  let note = '';
  try {
    binding = bindGraph(kind, readTfliteSummary(bytes), file);
    // Before this graph takes memory: does it take what the previous one produces?
    const bindings: Partial<Record<GraphKind, GraphBinding>> = { [kind]: binding };
    for (const [k, g] of Object.entries(earlier)) bindings[k as GraphKind] = g.binding;
    const mismatch = forwardingProblems(bindings)[0];
    if (mismatch) throw AppError.of('MODEL_INVALID', `(${mismatch})`, { file });
    const rewrite = rewriteInt64Io(bytes);
    if (rewrite.inputs.length || rewrite.outputs.length) {
      bytes = rewrite.bytes;
      note = ` (int64 ${[...rewrite.inputs, ...rewrite.outputs].join(', ')} passed as int32 through a CAST)`;
    }
    if (precision === 'fast') {
      const int8 = quantizeWeightsInt8(bytes, FAST_INT8_WEIGHTS[kind]);
      bytes = int8.bytes;
      if (int8.quantized > 0) note += ` (int8 weights: ${int8.quantized} of ${int8.candidates} layers)`;
    }
  } catch (err) {
    if (err instanceof TfliteFormatError) throw AppError.of('MODEL_INVALID', `(${file}: ${err.message})`, { file });
    throw err;
  }
  return { binding, bytes, description: `${describeBinding(binding)}${note}` };
}

/** Checks that the compiled model has the tensors the binding names, at the same shapes. */
function checkRuntimeTensors(file: string, binding: GraphBinding, model: LoadedModel): void {
  const sides = [
    ['inputs', model.inputs],
    ['outputs', model.outputs],
  ] as const;
  for (const [side, actual] of sides) {
    for (const b of binding[side]) {
      const t = actual.find((x) => x.name === b.tensor);
      const sameShape = t !== undefined && t.shape.length === b.shape.length && b.shape.every((d, i) => d === -1 || d === t.shape[i]);
      if (!sameShape) {
        const found = actual.map((x) => `${x.name} ${x.dtype}[${x.shape.join(',')}]`).join(', ');
        throw AppError.of('MODEL_LOAD_FAILED', `(${file}: LiteRT reports ${side} ${found}, which lack ${b.tensor} [${b.shape.join(',')}])`);
      }
    }
  }
}

/** Compiles a prepared graph and checks that LiteRT sees the tensors its binding names. */
async function compileGraph(runtime: LiteRtRuntime, file: string, prepared: PreparedGraph): Promise<LoadedModel> {
  const model = await runtime.loadModel(prepared.bytes, file);
  try {
    checkRuntimeTensors(file, prepared.binding, model);
  } catch (err) {
    model.delete();
    throw err;
  }
  return model;
}

function expectLength(graph: GraphKind, name: string, data: ArrayLike<number>, shape: readonly number[]): void {
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw AppError.of('INTERNAL', `(${graph} input ${name}: ${data.length} values, expected ${count} for [${shape.join(',')}])`);
}

export class KokoroGraphs {
  private disposed = false;

  private constructor(
    readonly runtime: LiteRtRuntime,
    private readonly graphs: Record<'predictor' | 'prosody', LoadedGraph>,
    private readonly vocoderBinding: GraphBinding,
    private readonly vocoders: Map<number, VocoderCopy>,
  ) {}

  /** Loads the three graphs of `dir`, one after the other (the vocoder once per bucket). */
  static async load(dir: string, options: GraphsOptions = {}): Promise<KokoroGraphs> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const runtime = options.runtime ?? (await loadLiteRtRuntime(options));
    const precision = options.precision ?? 'exact';
    const loaded: Partial<Record<'predictor' | 'prosody', LoadedGraph>> = {};
    try {
      for (const kind of ['predictor', 'prosody'] as const) {
        const prepared = await prepareGraph(dir, kind, loaded, precision);
        loaded[kind] = { binding: prepared.binding, model: await compileGraph(runtime, GRAPH_FILES[kind], prepared) };
        release(prepared);
        log(`[kokoro] ${GRAPH_FILES[kind]}: ${prepared.description}`);
      }
      const vocoder = await prepareGraph(dir, 'vocoder', loaded, precision);
      const vocoders = await loadVocoderBuckets(runtime, vocoder, options.vocoderBuckets ?? VOCODER_BUCKETS, log);
      log(`[kokoro] ${GRAPH_FILES.vocoder}: ${vocoder.description}`);
      return new KokoroGraphs(runtime, loaded as Record<'predictor' | 'prosody', LoadedGraph>, vocoder.binding, vocoders);
    } catch (err) {
      for (const g of Object.values(loaded)) g.model.delete();
      throw err;
    }
  }

  /** The frames of each compiled vocoder, smallest first. */
  get vocoderBuckets(): number[] {
    return [...this.vocoders.keys()].sort((a, b) => a - b);
  }

  /** The binding chosen for each graph (roles to tensor names). */
  binding(kind: GraphKind): GraphBinding {
    return kind === 'vocoder' ? this.vocoderBinding : this.graphs[kind].binding;
  }

  /** `model`: the vocoder for the inputs' bucket; its inputs' lengths are checked by the runtime, not the roles' 512-frame shapes. */
  private async run(kind: GraphKind, byRole: Record<string, TensorData>, vocoder?: LoadedModel): Promise<Record<string, Float32Array>> {
    if (this.disposed) throw AppError.of('INTERNAL', '(the Kokoro graphs were disposed)');
    const binding = this.binding(kind);
    const model = kind === 'vocoder' ? vocoder : this.graphs[kind].model;
    if (!model) throw AppError.of('INTERNAL', `(no ${kind} model given)`);
    const inputs: Record<string, TensorData> = {};
    for (const spec of GRAPH_ROLES[kind].inputs) {
      const data = byRole[spec.role];
      if (!data) throw AppError.of('INTERNAL', `(${kind}: no data for ${spec.role})`);
      if (kind !== 'vocoder') expectLength(kind, spec.role, data, spec.shape);
      inputs[tensorFor(binding, 'inputs', spec.role).tensor] = data;
    }
    const outputs = await model.run(inputs);
    const byOutputRole: Record<string, Float32Array> = {};
    for (const b of binding.outputs) {
      const data = outputs[b.tensor];
      if (!(data instanceof Float32Array)) throw AppError.of('MODEL_LOAD_FAILED', `(${GRAPH_FILES[kind]}: output ${b.tensor} is not float32)`);
      byOutputRole[b.role] = data;
    }
    return byOutputRole;
  }

  async predict(input: PredictorInput): Promise<PredictorOutput> {
    const out = await this.run('predictor', { ids: input.ids, ref_s: input.refS, attn: input.attn });
    return { duration: out.duration!, d: out.d!, tEn: out.t_en! };
  }

  async prosody(input: ProsodyInput): Promise<ProsodyOutput> {
    const out = await this.run('prosody', { d: input.d, t_en: input.tEn, aln: input.aln, ref_s: input.refS, frame_mask: input.frameMask });
    return { asr: out.asr!, f0: out.F0!, n: out.N! };
  }

  /** Runs the vocoder of the bucket the inputs hold (frameMask's length). */
  async vocode(input: VocoderInput): Promise<VocoderOutput> {
    const model = this.vocoders.get(input.frameMask.length)?.model;
    if (!model) throw AppError.of('INTERNAL', `(no vocoder for ${input.frameMask.length} frames; buckets ${this.vocoderBuckets.join(', ')})`);
    const byRole = { asr: input.asr, F0: input.f0, N: input.n, har: input.har, ref_s: input.refS, frame_mask: input.frameMask };
    const out = await this.run('vocoder', byRole, model);
    return { spec: out.spec!, phase: out.phase! };
  }

  /** Frees the three models (the wasm heap keeps its size; LiteRT.js stays loaded). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const g of Object.values(this.graphs)) g.model.delete();
    for (const { model, key } of this.vocoders.values()) {
      model.delete();
      if (key) releasedCopies.add(key);
    }
  }
}
