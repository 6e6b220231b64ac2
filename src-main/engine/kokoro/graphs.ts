/**
 * The three Kokoro-82M LiteRT graphs, loaded once each and run by role.
 *
 *   const graphs = await KokoroGraphs.load(modelDir);      // real bundles: ~0.8 GB of wasm heap
 *   const { duration, d, tEn } = await graphs.predict({ ids, refS, attn });
 *   const { asr, f0, n } = await graphs.prosody({ d, tEn, aln, refS, frameMask });
 *   const { spec, phase } = await graphs.vocode({ asr, f0, n, har, refS, frameMask });
 *   graphs.dispose();
 *
 * Arrays are flat, row-major, batch 1, and their lengths are checked:
 *   ids Int32Array[128] (ids then zeros; an int64 ids input is rewritten to int32 at load),
 *   refS [256], attn [128] (1 for real tokens) -> duration [128], d [128*640], tEn [512*128];
 *   aln [128*512], frameMask [512] -> asr [512*512], f0 [1024], n [1024];
 *   har [22*61441] -> spec [11*61441], phase [11*61441].
 * The host steps between the graphs (durations, alignment, source/STFT, inverse STFT) are not
 * here: see src-shared/kokoro and the pipeline. Calls run one at a time on one wasm heap.
 * Failures are AppErrors: MODEL_MISSING, MODEL_INVALID (damaged file or unknown layout),
 * MODEL_LOAD_FAILED, OUT_OF_MEMORY, LITERT_UNAVAILABLE.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors/catalogue';
import { bindGraph, describeBinding, forwardingProblems, GRAPH_FILES, GRAPH_KINDS, GRAPH_ROLES, tensorFor } from './binding';
import type { GraphBinding, GraphKind } from './binding';
import { loadLiteRtRuntime } from './litert-runtime';
import type { LiteRtRuntime, LoadedModel, RuntimeOptions, TensorData } from './litert-runtime';
import { readTfliteSummary, rewriteInt64Io, TfliteFormatError } from './tflite-model';
import { quantizeWeightsInt8 } from './tflite-int8';
import type { WeightTensor } from './tflite-int8';
import type { KokoroPrecision } from '../../../src-shared/ipc/engine-config';

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
}

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

interface LoadedGraph {
  model: LoadedModel;
  binding: GraphBinding;
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

async function loadGraph(
  runtime: LiteRtRuntime,
  dir: string,
  kind: GraphKind,
  earlier: Partial<Record<GraphKind, LoadedGraph>>,
  log: (line: string) => void,
  precision: KokoroPrecision,
): Promise<LoadedGraph> {
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
  const model = await runtime.loadModel(bytes, file);
  try {
    checkRuntimeTensors(file, binding, model);
  } catch (err) {
    model.delete();
    throw err;
  }
  log(`[kokoro] ${file}: ${describeBinding(binding)}${note}`);
  return { model, binding };
}

function expectLength(graph: GraphKind, name: string, data: ArrayLike<number>, shape: readonly number[]): void {
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw AppError.of('INTERNAL', `(${graph} input ${name}: ${data.length} values, expected ${count} for [${shape.join(',')}])`);
}

export class KokoroGraphs {
  private disposed = false;

  private constructor(
    readonly runtime: LiteRtRuntime,
    private readonly graphs: Record<GraphKind, LoadedGraph>,
  ) {}

  /** Loads the three graphs of `dir`, one after the other (each once). */
  static async load(dir: string, options: GraphsOptions = {}): Promise<KokoroGraphs> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const runtime = options.runtime ?? (await loadLiteRtRuntime(options));
    const loaded: Partial<Record<GraphKind, LoadedGraph>> = {};
    try {
      for (const kind of GRAPH_KINDS) loaded[kind] = await loadGraph(runtime, dir, kind, loaded, log, options.precision ?? 'exact');
    } catch (err) {
      for (const g of Object.values(loaded)) g.model.delete();
      throw err;
    }
    return new KokoroGraphs(runtime, loaded as Record<GraphKind, LoadedGraph>);
  }

  /** The binding chosen for each graph (roles to tensor names). */
  binding(kind: GraphKind): GraphBinding {
    return this.graphs[kind].binding;
  }

  private async run(kind: GraphKind, byRole: Record<string, TensorData>): Promise<Record<string, Float32Array>> {
    if (this.disposed) throw AppError.of('INTERNAL', '(the Kokoro graphs were disposed)');
    const { model, binding } = this.graphs[kind];
    const inputs: Record<string, TensorData> = {};
    for (const spec of GRAPH_ROLES[kind].inputs) {
      const data = byRole[spec.role];
      if (!data) throw AppError.of('INTERNAL', `(${kind}: no data for ${spec.role})`);
      expectLength(kind, spec.role, data, spec.shape);
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

  async vocode(input: VocoderInput): Promise<VocoderOutput> {
    const out = await this.run('vocoder', {
      asr: input.asr,
      F0: input.f0,
      N: input.n,
      har: input.har,
      ref_s: input.refS,
      frame_mask: input.frameMask,
    });
    return { spec: out.spec!, phase: out.phase! };
  }

  /** Frees the three models (the wasm heap keeps its size; LiteRT.js stays loaded). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const g of Object.values(this.graphs)) g.model.delete();
  }
}
