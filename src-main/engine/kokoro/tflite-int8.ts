/**
 * Dynamic-range int8 weights for a downloaded fp32 graph (the "fast" precision): the weights of
 * FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV become int8 with one symmetric
 * scale per output channel; activations stay float. XNNPack runs such layers with its int8-weight
 * kernels (bench:int8: convolutions about 1.9x faster, fully connected layers no faster).
 *
 * The rewrite keeps the file whole, as the int64 rewrite does: each chosen weight's int8 values
 * are written over the start of its own float data (its length shrinks to a quarter; the rest
 * is no longer referenced), and only new tensor tables, a tensor list and a subgraph are added.
 * So the file keeps its size; what shrinks is what XNNPack packs and multiplies.
 */
import type { Builder } from 'flatbuffers';
import { int32Vector } from './flatbuffer-vectors';
import { BUFFER, BUILTIN_OPERATORS, builtinOperatorOf, OPERATOR, parse, rebuildAround, SUBGRAPH, TENSOR, TfliteFormatError, TYPE_FLOAT32, TYPE_INT8 } from './tflite-model';
import type { ParsedModel } from './tflite-model';

/** QuantizationParameters field ids. */
const QUANTIZATION = { scale: 2, zeroPoint: 3, quantizedDimension: 6 } as const;

/** The ops whose input 1 is a weight tensor, and that weight's output-channel axis. */
const WEIGHTED_OPS = new Map<number, { op: WeightTensor['op']; axis: number }>([
  [BUILTIN_OPERATORS.CONV_2D, { op: 'CONV_2D', axis: 0 }],
  [BUILTIN_OPERATORS.DEPTHWISE_CONV_2D, { op: 'DEPTHWISE_CONV_2D', axis: 3 }],
  [BUILTIN_OPERATORS.FULLY_CONNECTED, { op: 'FULLY_CONNECTED', axis: 0 }],
  [BUILTIN_OPERATORS.TRANSPOSE_CONV, { op: 'TRANSPOSE_CONV', axis: 0 }],
]);
const WEIGHT_INPUT = 1;

export interface WeightTensor {
  name: string;
  op: 'CONV_2D' | 'DEPTHWISE_CONV_2D' | 'FULLY_CONNECTED' | 'TRANSPOSE_CONV';
  shape: readonly number[];
  outputChannels: number;
}

export interface Int8Rewrite {
  bytes: Uint8Array;
  /** Weights rounded to int8, and how many could have been. */
  quantized: number;
  candidates: number;
}

/**
 * Symmetric int8 per channel along `axis`: scale = max |w| / 127, values in [-127, 127]
 * (TFLite's rule for per-channel weights: zero point 0).
 */
export function quantizeInt8(values: Float32Array, shape: readonly number[], axis: number): { q: Int8Array; scales: Float32Array } {
  const channels = shape[axis] ?? 1;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number): number => Math.floor(i / inner) % channels;
  const maxAbs = new Float32Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = channelOf(i);
    maxAbs[c] = Math.max(maxAbs[c]!, Math.abs(values[i]!));
  }
  const scales = maxAbs.map((m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) q[i] = Math.max(-127, Math.min(127, Math.round(values[i]! / scales[channelOf(i)]!)));
  return { q, scales };
}

/** QuantizationParameters: scale, zero_point (int64 zeros) and quantized_dimension. */
export function quantizationTable(b: Builder, scales: Float32Array, axis: number): number {
  b.startVector(4, scales.length, 4);
  for (let i = scales.length - 1; i >= 0; i--) b.addFloat32(scales[i]!);
  const scaleVector = b.endVector();
  b.startVector(8, scales.length, 8);
  for (let i = scales.length - 1; i >= 0; i--) b.addInt64(0n);
  const zeroPoints = b.endVector();
  b.startObject(7);
  b.addFieldOffset(QUANTIZATION.scale, scaleVector, 0);
  b.addFieldOffset(QUANTIZATION.zeroPoint, zeroPoints, 0);
  b.addFieldInt32(QUANTIZATION.quantizedDimension, axis, 0);
  return b.endObject();
}

interface Candidate {
  tensor: number;
  axis: number;
  info: WeightTensor;
}

/** Float weight tensors that only feed the weight input of the ops above, each with a buffer of its own. */
function candidates(m: ParsedModel): Candidate[] {
  const { r } = m;
  const weightUse = new Map<number, Candidate>();
  const otherUse = new Set<number>([...m.inputs, ...m.outputs]);
  m.operators.forEach((op, k) => {
    const code = builtinOperatorOf(m, op);
    const weighted = WEIGHTED_OPS.get(code);
    r.int32s(op, OPERATOR.inputs, `the inputs of operator ${k}`).forEach((tensor, slot) => {
      if (tensor === -1) return;
      if (!weighted || slot !== WEIGHT_INPUT) otherUse.add(tensor);
      else {
        const t = m.tensors[tensor]!;
        weightUse.set(tensor, { tensor, axis: weighted.axis, info: { name: t.name, op: weighted.op, shape: t.shape, outputChannels: t.shape[weighted.axis] ?? 1 } });
      }
    });
  });
  // A buffer shared by two tensors (converters dedupe equal constants) cannot change for one.
  const bufferUsers = new Map<number, number>();
  for (const sg of m.subgraphs) {
    for (const t of r.tables(sg, SUBGRAPH.tensors, 'the tensor list')) {
      const buffer = r.scalarU32(t, TENSOR.buffer);
      bufferUsers.set(buffer, (bufferUsers.get(buffer) ?? 0) + 1);
    }
  }
  return [...weightUse.values()].filter(({ tensor }) => {
    const t = m.tensors[tensor]!;
    const count = t.shape.reduce((a, b) => a * b, 1);
    const bufferTable = m.buffers[t.buffer];
    if (otherUse.has(tensor) || t.type !== TYPE_FLOAT32 || t.buffer === 0 || bufferTable === undefined || bufferUsers.get(t.buffer) !== 1 || count === 0) return false;
    // Already quantised or sparse, or fields this rewrite does not copy: leave as it is.
    if (r.field(t.pos, TENSOR.quantization) || r.field(t.pos, TENSOR.sparsity) || r.fieldCount(t.pos) > TENSOR.hasRank + 1) return false;
    return r.vector(bufferTable, BUFFER.data, 1, `the data of buffer ${t.buffer}`).length === 4 * count;
  });
}

/**
 * Returns the model with the weights `choose` accepts stored as int8 per channel. Models whose
 * buffers live outside the flatbuffer (over 2 GB) are refused; nothing chosen returns the input.
 */
export function quantizeWeightsInt8(bytes: Uint8Array, choose: (weight: WeightTensor) => boolean = () => true): Int8Rewrite {
  const m = parse(bytes);
  if (m.externalBuffers) throw new TfliteFormatError('a model with buffers outside the flatbuffer (over 2 GB) cannot be rewritten to int8');
  const all = candidates(m);
  const chosen = all.filter((c) => choose(c.info));
  if (chosen.length === 0) return { bytes, quantized: 0, candidates: all.length };
  const { r } = m;

  const scales = new Map<number, Float32Array>();
  const edit = (copy: Uint8Array): void => {
    const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
    for (const c of chosen) {
      const t = m.tensors[c.tensor]!;
      const data = r.vector(m.buffers[t.buffer]!, BUFFER.data, 1, `the data of buffer ${t.buffer}`);
      const values = new Float32Array(data.length / 4);
      for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(data.start + 4 * i, true);
      const { q, scales: channelScales } = quantizeInt8(values, t.shape, c.axis);
      copy.set(new Uint8Array(q.buffer), data.start);
      view.setUint32(data.start - 4, q.length, true);
      scales.set(c.tensor, channelScales);
    }
  };
  const extraBytes = chosen.reduce((sum, c) => sum + 12 * c.info.outputChannels + 4 * c.info.shape.length + 128, 4 * m.tensors.length);
  const { b, old, oldRef, offsetVector, subgraph, finish } = rebuildAround(m, bytes, { extraBytes, edit });

  const tensorTables = m.tensors.map((t) => old(t.pos));
  for (const c of chosen) {
    const t = m.tensors[c.tensor]!;
    const quantization = quantizationTable(b, scales.get(c.tensor)!, c.axis);
    const shape = int32Vector(b, t.shape);
    const name = oldRef(t.pos, TENSOR.name);
    const shapeSignature = oldRef(t.pos, TENSOR.shapeSignature);
    const isVariable = r.field(t.pos, TENSOR.isVariable);
    const hasRank = r.field(t.pos, TENSOR.hasRank);
    b.startObject(TENSOR.hasRank + 1);
    b.addFieldOffset(TENSOR.shape, shape, 0);
    b.addFieldInt8(TENSOR.type, TYPE_INT8, 0);
    b.addFieldInt32(TENSOR.buffer, t.buffer, 0);
    if (name) b.addFieldOffset(TENSOR.name, name, 0);
    b.addFieldOffset(TENSOR.quantization, quantization, 0);
    if (isVariable) b.addFieldInt8(TENSOR.isVariable, r.u8(isVariable), 0);
    if (shapeSignature) b.addFieldOffset(TENSOR.shapeSignature, shapeSignature, 0);
    if (hasRank) b.addFieldInt8(TENSOR.hasRank, r.u8(hasRank), 0);
    tensorTables[c.tensor] = b.endObject();
  }
  return { bytes: finish({ subgraph: subgraph({ tensors: offsetVector(tensorTables) }) }), quantized: chosen.length, candidates: all.length };
}
