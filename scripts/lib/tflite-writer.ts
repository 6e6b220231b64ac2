/**
 * A small TFLite flatbuffer writer for the test fixtures and the shadow graphs: tensors,
 * constant buffers, builtin operators with their options, subgraph inputs/outputs and a
 * `serving_default` SignatureDef (schema version 3). Field ids, operator codes and option
 * tables follow tensorflow/lite/schema/schema.fbs; only what the graphs here need is written.
 * The heavy ops count their multiply-accumulates from the shapes (`macs`, per `tag`).
 */
import { quantizationTable, quantizeInt8 } from '../../src-main/engine/kokoro/tflite-int8';
import { Builder } from 'flatbuffers';
import { int32Vector as int32VectorOf, offsetVector as offsetVectorOf } from '../../src-main/engine/kokoro/flatbuffer-vectors';
import { BUILTIN_OPERATORS } from '../../src-main/engine/kokoro/tflite-model';

export type WriterDType = 'float32' | 'int32' | 'int64' | 'uint8' | 'bool' | 'int8';

/** TensorType values of the schema. */
const TENSOR_TYPE: Record<WriterDType, number> = { float32: 0, int32: 2, uint8: 3, int64: 4, bool: 6, int8: 9 };

/** BuiltinOperator values of the schema, shared with the engine's graph rewrites. */
export const BUILTIN = BUILTIN_OPERATORS;
export type BuiltinName = keyof typeof BUILTIN;

/** BuiltinOptions union members (their type ids in the schema) this writer emits. */
const OPTIONS = {
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  GatherOptions: 23,
  ReducerOptions: 27,
  SplitOptions: 35,
  TransposeConvOptions: 49,
  LeakyReluOptions: 75,
  BatchMatMulOptions: 101,
} as const;

/** One scalar field of an options table: [field id, kind, value]. */
type OptionField = [number, 'int8' | 'int32' | 'float32', number];
interface OptionsDef {
  type: number;
  fields: OptionField[];
}

/** Padding of CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV. */
export type Padding = 'same' | 'valid';
const PADDING: Record<Padding, number> = { same: 0, valid: 1 };

/** Activations fused into an op (ActivationFunctionType). */
export type Fused = 'none' | 'relu' | 'tanh';
const FUSED: Record<Fused, number> = { none: 0, relu: 1, tanh: 4 };

export type UnaryName = 'LOGISTIC' | 'TANH' | 'EXP' | 'SIN' | 'RSQRT' | 'GELU';

type ConstData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

/** Symmetric int8 quantisation of a constant: real = scale[c] * q along `axis` (zero points 0). */
export interface Int8Quantization {
  scales: Float32Array;
  axis: number;
}

interface TensorDef {
  name: string;
  dtype: WriterDType;
  shape: number[];
  buffer: number;
  quantization?: Int8Quantization;
}

interface OperatorDef {
  op: BuiltinName;
  inputs: number[];
  outputs: number[];
  options?: OptionsDef | undefined;
}

interface SignatureEntry {
  alias: string;
  tensor: number;
}

export interface BuildOptions {
  /**
   * Order of the SignatureDef entries. 'sorted' (default) sorts by alias as the TF converter
   * does (so args_10 comes before args_2); 'declared' keeps the order of the calls.
   */
  signatureOrder?: 'sorted' | 'declared';
  signatureKey?: string;
  /** Omit the SignatureDef altogether (LiteRT then names tensors itself). */
  noSignature?: boolean;
  /** The model's description string. */
  description?: string;
}

function dtypeOf(data: ConstData): WriterDType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  return 'uint8';
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** NumPy broadcasting of two shapes (what ADD, MUL and SUB do). */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** One subgraph plus its model; call the op helpers, then `build()`. */
export class TfliteGraphWriter {
  private readonly tensors: TensorDef[] = [];
  private readonly buffers: (Uint8Array | null)[] = [null]; // buffer 0: the empty sentinel
  private readonly operators: OperatorDef[] = [];
  private readonly inputs: SignatureEntry[] = [];
  private readonly outputs: SignatureEntry[] = [];
  private counter = 0;
  private currentTag = 'graph';
  /** Multiply-accumulates of the heavy ops (FC, convolutions, batch matmul), per tag. */
  readonly macs = new Map<string, number>();
  /** Weight values (float32 constants) per tag. */
  readonly params = new Map<string, number>();

  /** Counts the following ops' multiply-accumulates and weights under `tag`. */
  tag(tag: string): void {
    this.currentTag = tag;
  }

  private countMacs(n: number): void {
    this.macs.set(this.currentTag, (this.macs.get(this.currentTag) ?? 0) + n);
  }

  /** Number of operators so far (each one is a dispatch at run time). */
  get operatorCount(): number {
    return this.operators.length;
  }

  shapeOf(tensor: number): number[] {
    return [...this.def(tensor).shape];
  }

  dtypeOf(tensor: number): WriterDType {
    return this.def(tensor).dtype;
  }

  private def(tensor: number): TensorDef {
    const t = this.tensors[tensor];
    if (!t) throw new Error(`no tensor ${tensor}`);
    return t;
  }

  private addTensor(name: string, dtype: WriterDType, shape: readonly number[], buffer = 0): number {
    this.tensors.push({ name, dtype, shape: [...shape], buffer });
    return this.tensors.length - 1;
  }

  private fresh(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }

  /**
   * A subgraph input; `alias` is its SignatureDef name. The tensor is named as the TF
   * converter names it (`serving_default_<alias>:0`) unless `tensorName` is given.
   */
  input(alias: string, dtype: WriterDType, shape: readonly number[], tensorName = `serving_default_${alias}:0`): number {
    const t = this.addTensor(tensorName, dtype, shape);
    this.inputs.push({ alias, tensor: t });
    return t;
  }

  /** Marks a tensor as a subgraph output named `alias` in the signature. */
  output(tensor: number, alias: string): void {
    this.outputs.push({ alias, tensor });
  }

  /** A constant tensor; its data is stored little-endian in a buffer of its own. */
  constant(data: ConstData, shape: readonly number[], name = this.fresh('const')): number {
    return this.store(data, dtypeOf(data), shape, name, data instanceof Float32Array ? data.length : 0);
  }

  /**
   * A float constant stored as int8 with a scale per slice along `axis` (symmetric, zero point
   * 0): the dynamic-range quantised weights that FULLY_CONNECTED and CONV_2D take directly.
   */
  constantInt8(values: Float32Array, shape: readonly number[], axis = 0, name = this.fresh('const_q')): number {
    const { q, scales } = quantizeInt8(values, shape, axis);
    return this.store(q, 'int8', shape, name, values.length, { scales, axis });
  }

  /** Stores a constant's bytes in a buffer of its own; `weights` counts toward the tag's params. */
  private store(data: ConstData | Int8Array, dtype: WriterDType, shape: readonly number[], name: string, weights: number, quantization?: Int8Quantization): number {
    if (elementCount(shape) !== data.length) throw new Error(`constant ${name}: ${data.length} values for shape [${shape.join(',')}]`);
    this.buffers.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());
    if (weights > 0) this.params.set(this.currentTag, (this.params.get(this.currentTag) ?? 0) + weights);
    const tensor = this.addTensor(name, dtype, shape, this.buffers.length - 1);
    if (quantization) this.def(tensor).quantization = quantization;
    return tensor;
  }

  /** An operator with explicit output tensors (for shapes the helpers below do not infer). */
  op(op: BuiltinName, inputs: number[], outputs: number[], options?: OptionsDef): void {
    this.operators.push({ op, inputs, outputs, options });
  }

  /** A fresh float32 (or `dtype`) tensor that an op writes. */
  private result(prefix: string, shape: readonly number[], dtype: WriterDType = 'float32', name?: string): number {
    return this.addTensor(name ?? this.fresh(prefix), dtype, shape);
  }

  private binary(op: 'ADD' | 'MUL' | 'SUB', a: number, b: number, name?: string): number {
    const shape = broadcastShape(this.def(a).shape, this.def(b).shape);
    const out = this.addTensor(name ?? this.fresh(op.toLowerCase()), this.def(a).dtype, shape);
    this.op(op, [a, b], [out]);
    return out;
  }

  add(a: number, b: number, name?: string): number {
    return this.binary('ADD', a, b, name);
  }

  mul(a: number, b: number, name?: string): number {
    return this.binary('MUL', a, b, name);
  }

  sub(a: number, b: number, name?: string): number {
    return this.binary('SUB', a, b, name);
  }

  /** `shapeTensor`: an existing constant of the target shape, shared as converters merge equal constants. */
  reshape(x: number, shape: readonly number[], name?: string, shapeTensor = this.constant(Int32Array.from(shape), [shape.length])): number {
    if (elementCount(shape) !== elementCount(this.def(x).shape)) throw new Error(`reshape [${this.def(x).shape.join(',')}] to [${shape.join(',')}]`);
    const out = this.addTensor(name ?? this.fresh('reshape'), this.def(x).dtype, shape);
    this.op('RESHAPE', [x, shapeTensor], [out]);
    return out;
  }

  cast(x: number, dtype: WriterDType, name?: string): number {
    const out = this.addTensor(name ?? this.fresh('cast'), dtype, this.def(x).shape);
    this.op('CAST', [x], [out]);
    return out;
  }

  slice(x: number, begin: readonly number[], size: readonly number[], name?: string): number {
    const b = this.constant(Int32Array.from(begin), [begin.length]);
    const s = this.constant(Int32Array.from(size), [size.length]);
    const out = this.addTensor(name ?? this.fresh('slice'), this.def(x).dtype, size);
    this.op('SLICE', [x, b, s], [out]);
    return out;
  }

  /**
   * FULLY_CONNECTED: x [..., in] times weights [out, in] (+ bias [out]); the leading
   * dimensions are kept (keep_num_dims).
   */
  fullyConnected(x: number, weights: number, bias?: number, fused: Fused = 'none', name?: string): number {
    const xs = this.def(x).shape;
    const [units, depth] = this.def(weights).shape as [number, number];
    if (xs[xs.length - 1] !== depth) throw new Error(`fully connected: input [${xs.join(',')}] against weights [${units},${depth}]`);
    const out = this.result('fc', [...xs.slice(0, -1), units], 'float32', name);
    this.countMacs((elementCount(xs) / depth) * depth * units);
    this.op('FULLY_CONNECTED', [x, weights, bias ?? -1], [out], { type: OPTIONS.FullyConnectedOptions, fields: [[0, 'int8', FUSED[fused]], [2, 'int8', 1]] });
    return out;
  }

  /** CONV_2D: x NHWC, filter [out, kh, kw, in], bias [out]. */
  conv2d(x: number, filter: number, bias: number | undefined, o: { stride?: number; dilation?: number; padding?: Padding; fused?: Fused } = {}): number {
    const [n, h, wIn, cin] = this.def(x).shape as [number, number, number, number];
    const [cout, kh, kw, fin] = this.def(filter).shape as [number, number, number, number];
    if (fin !== cin) throw new Error(`conv2d: ${cin} input channels against a filter for ${fin}`);
    const stride = o.stride ?? 1;
    const dilation = o.dilation ?? 1;
    const padding = o.padding ?? 'same';
    const span = (k: number): number => (k - 1) * dilation + 1;
    const outW = padding === 'same' ? Math.ceil(wIn / stride) : Math.floor((wIn - span(kw)) / stride) + 1;
    const outH = padding === 'same' ? h : h - span(kh) + 1;
    const out = this.result('conv', [n, outH, outW, cout]);
    this.countMacs(n * outH * outW * cout * kh * kw * cin);
    this.op('CONV_2D', [x, filter, bias ?? -1], [out], {
      type: OPTIONS.Conv2DOptions,
      fields: [
        [0, 'int8', PADDING[padding]],
        [1, 'int32', stride],
        [2, 'int32', 1],
        [3, 'int8', FUSED[o.fused ?? 'none']],
        [4, 'int32', dilation],
        [5, 'int32', 1],
      ],
    });
    return out;
  }

  /** DEPTHWISE_CONV_2D with multiplier 1: x NHWC, filter [1, kh, kw, C], bias [C]; 'same' padding, stride 1. */
  depthwiseConv2d(x: number, filter: number, bias?: number): number {
    const shape = this.def(x).shape;
    const [, kh, kw] = this.def(filter).shape as [number, number, number, number];
    const out = this.result('dwconv', shape);
    this.countMacs(elementCount(shape) * kh * kw);
    this.op('DEPTHWISE_CONV_2D', [x, filter, bias ?? -1], [out], {
      type: OPTIONS.DepthwiseConv2DOptions,
      fields: [
        [0, 'int8', PADDING.same],
        [1, 'int32', 1],
        [2, 'int32', 1],
        [3, 'int32', 1],
        [5, 'int32', 1],
        [6, 'int32', 1],
      ],
    });
    return out;
  }

  /**
   * TRANSPOSE_CONV: x NHWC [1, 1, W, in], filter [out, 1, k, in]; output [1, 1, W * stride, out]
   * with 'same' padding, or the full [1, 1, (W - 1) * stride + k, out] with 'valid' (for a SLICE
   * to crop, as exports with explicit padding do: LiteRT's WebGPU delegate places 'same' padding
   * differently from the CPU, see scripts/probe-webgpu.ts).
   */
  transposeConv(x: number, filter: number, bias: number | undefined, stride: number, padding: Padding = 'same'): number {
    const [n, h, wIn, cin] = this.def(x).shape as [number, number, number, number];
    const [cout, kh, kw, fin] = this.def(filter).shape as [number, number, number, number];
    if (fin !== cin) throw new Error(`transpose conv: ${cin} input channels against a filter for ${fin}`);
    // TFLite sizes the output by the output_shape input and derives the padding from it, so it must follow the padding's rule.
    const shape = padding === 'same' ? [n, h, wIn * stride, cout] : [n, h - 1 + kh, (wIn - 1) * stride + kw, cout];
    const outputShape = this.constant(Int32Array.from(shape), [4]);
    const out = this.result('tconv', shape);
    this.countMacs(n * h * wIn * cin * cout * kh * kw);
    const inputs = bias === undefined ? [outputShape, filter, x] : [outputShape, filter, x, bias];
    this.op('TRANSPOSE_CONV', inputs, [out], {
      type: OPTIONS.TransposeConvOptions,
      fields: [
        [0, 'int8', PADDING[padding]],
        [1, 'int32', stride],
        [2, 'int32', 1],
      ],
    });
    return out;
  }

  /** BATCH_MATMUL of [..., m, k] by [..., k, n] (either side transposed by adjX / adjY). */
  batchMatMul(a: number, b: number, adjX = false, adjY = false): number {
    const as = this.def(a).shape;
    const bs = this.def(b).shape;
    const m = adjX ? as[as.length - 1]! : as[as.length - 2]!;
    const k = adjX ? as[as.length - 2]! : as[as.length - 1]!;
    const kb = adjY ? bs[bs.length - 1]! : bs[bs.length - 2]!;
    const n = adjY ? bs[bs.length - 2]! : bs[bs.length - 1]!;
    if (k !== kb) throw new Error(`batch matmul: [${as.join(',')}] by [${bs.join(',')}]`);
    const batch = broadcastShape(as.slice(0, -2), bs.slice(0, -2));
    const out = this.result('matmul', [...batch, m, n]);
    this.countMacs(elementCount(batch) * m * n * k);
    this.op('BATCH_MATMUL', [a, b], [out], { type: OPTIONS.BatchMatMulOptions, fields: [[0, 'int8', adjX ? 1 : 0], [1, 'int8', adjY ? 1 : 0]] });
    return out;
  }

  unary(op: UnaryName, x: number, name?: string): number {
    const out = this.result(op.toLowerCase(), this.def(x).shape, 'float32', name);
    this.op(op, [x], [out]);
    return out;
  }

  leakyRelu(x: number, alpha: number): number {
    const out = this.result('leaky_relu', this.def(x).shape);
    this.op('LEAKY_RELU', [x], [out], { type: OPTIONS.LeakyReluOptions, fields: [[0, 'float32', alpha]] });
    return out;
  }

  softmax(x: number): number {
    const out = this.result('softmax', this.def(x).shape);
    this.op('SOFTMAX', [x], [out], { type: OPTIONS.SoftmaxOptions, fields: [[0, 'float32', 1]] });
    return out;
  }

  div(a: number, b: number): number {
    const out = this.result('div', broadcastShape(this.def(a).shape, this.def(b).shape));
    this.op('DIV', [a, b], [out]);
    return out;
  }

  /** MEAN or SUM over `axes`, keeping them as size 1. */
  reduce(op: 'MEAN' | 'SUM', x: number, axes: readonly number[]): number {
    const shape = this.def(x).shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const out = this.result(op.toLowerCase(), shape);
    this.op(op, [x, this.constant(Int32Array.from(axes), [axes.length])], [out], { type: OPTIONS.ReducerOptions, fields: [[0, 'int8', 1]] });
    return out;
  }

  concat(parts: readonly number[], axis: number, name?: string): number {
    const first = this.def(parts[0]!).shape;
    const shape = [...first];
    shape[axis] = parts.reduce((n, p) => n + this.def(p).shape[axis]!, 0);
    const out = this.result('concat', shape, this.def(parts[0]!).dtype, name);
    this.op('CONCATENATION', [...parts], [out], { type: OPTIONS.ConcatenationOptions, fields: [[0, 'int32', axis]] });
    return out;
  }

  /** SPLIT into `count` equal parts along `axis`. */
  split(x: number, axis: number, count: number): number[] {
    const shape = this.def(x).shape;
    const part = [...shape];
    part[axis] = shape[axis]! / count;
    if (!Number.isInteger(part[axis])) throw new Error(`split: ${shape[axis]} is not divisible by ${count}`);
    const outs = Array.from({ length: count }, () => this.result('split', part));
    this.op('SPLIT', [this.constant(Int32Array.of(axis), []), x], outs, { type: OPTIONS.SplitOptions, fields: [[0, 'int32', count]] });
    return outs;
  }

  transpose(x: number, perm: readonly number[], name?: string): number {
    const shape = this.def(x).shape;
    const out = this.result('transpose', perm.map((p) => shape[p]!), 'float32', name);
    this.op('TRANSPOSE', [x, this.constant(Int32Array.from(perm), [perm.length])], [out]);
    return out;
  }

  /** Zero padding: `pads` is [before, after] per dimension. */
  pad(x: number, pads: readonly (readonly [number, number])[]): number {
    const shape = this.def(x).shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
    const out = this.result('pad', shape);
    this.op('PAD', [x, this.constant(Int32Array.from(pads.flat()), [pads.length, 2])], [out]);
    return out;
  }

  /** GATHER of rows of `table` [rows, width] by int32 `indices`: output [...indices, width]. */
  gather(table: number, indices: number): number {
    const out = this.result('gather', [...this.def(indices).shape, ...this.def(table).shape.slice(1)]);
    this.op('GATHER', [table, indices], [out], { type: OPTIONS.GatherOptions, fields: [[0, 'int32', 0]] });
    return out;
  }

  /** Serialises the model. */
  build(options: BuildOptions = {}): Uint8Array {
    const b = new Builder(1024 + this.buffers.reduce((n, d) => n + (d ? d.length + 32 : 16), 0));
    const int32Vector = (values: readonly number[]): number => int32VectorOf(b, values);
    const offsetVector = (offsets: readonly number[]): number => offsetVectorOf(b, offsets);

    // Buffers: data aligned to 16 as the schema's force_align asks.
    const bufferOffsets = this.buffers.map((data) => {
      let dataOffset = 0;
      if (data) {
        b.prep(16, data.length);
        dataOffset = b.createByteVector(data);
      }
      b.startObject(3);
      if (dataOffset) b.addFieldOffset(0, dataOffset, 0);
      return b.endObject();
    });

    const tensorOffsets = this.tensors.map((t) => {
      const name = b.createString(t.name);
      const shape = int32Vector(t.shape);
      const quantization = t.quantization ? quantizationTable(b, t.quantization.scales, t.quantization.axis) : 0;
      b.startObject(10);
      b.addFieldOffset(0, shape, 0);
      b.addFieldInt8(1, TENSOR_TYPE[t.dtype], 0);
      b.addFieldInt32(2, t.buffer, 0);
      b.addFieldOffset(3, name, 0);
      if (quantization) b.addFieldOffset(4, quantization, 0);
      return b.endObject();
    });

    const opNames = [...new Set(this.operators.map((o) => o.op))];
    const opcodeOffsets = opNames.map((op) => {
      b.startObject(4);
      // deprecated_builtin_code is a byte: codes past 127 say PLACEHOLDER_FOR_GREATER_OP_CODES there.
      b.addFieldInt8(0, Math.min(BUILTIN[op], 127), 0);
      b.addFieldInt32(2, 1, 1);
      b.addFieldInt32(3, BUILTIN[op], 0);
      return b.endObject();
    });
    const operatorOffsets = this.operators.map((o) => {
      const inputs = int32Vector(o.inputs);
      const outputs = int32Vector(o.outputs);
      let options = 0;
      if (o.options) {
        b.startObject(Math.max(...o.options.fields.map(([id]) => id)) + 1);
        for (const [id, kind, value] of o.options.fields) {
          if (kind === 'int8') b.addFieldInt8(id, value, null);
          else if (kind === 'int32') b.addFieldInt32(id, value, null);
          else b.addFieldFloat32(id, value, null);
        }
        options = b.endObject();
      }
      b.startObject(9);
      b.addFieldInt32(0, opNames.indexOf(o.op), 0);
      b.addFieldOffset(1, inputs, 0);
      b.addFieldOffset(2, outputs, 0);
      if (o.options) {
        b.addFieldInt8(3, o.options.type, 0);
        b.addFieldOffset(4, options, 0);
      }
      return b.endObject();
    });

    const subgraphName = b.createString('main');
    const tensorsVec = offsetVector(tensorOffsets);
    const inputsVec = int32Vector(this.inputs.map((e) => e.tensor));
    const outputsVec = int32Vector(this.outputs.map((e) => e.tensor));
    const operatorsVec = offsetVector(operatorOffsets);
    b.startObject(5);
    b.addFieldOffset(0, tensorsVec, 0);
    b.addFieldOffset(1, inputsVec, 0);
    b.addFieldOffset(2, outputsVec, 0);
    b.addFieldOffset(3, operatorsVec, 0);
    b.addFieldOffset(4, subgraphName, 0);
    const subgraph = b.endObject();

    let signatures = 0;
    if (!options.noSignature) {
      const order = (entries: SignatureEntry[]): SignatureEntry[] =>
        options.signatureOrder === 'declared' ? entries : [...entries].sort((x, y) => (x.alias < y.alias ? -1 : x.alias > y.alias ? 1 : 0));
      const tensorMaps = (entries: SignatureEntry[]): number =>
        offsetVector(
          order(entries).map((e) => {
            const name = b.createString(e.alias);
            b.startObject(2);
            b.addFieldOffset(0, name, 0);
            b.addFieldInt32(1, e.tensor, 0);
            return b.endObject();
          }),
        );
      const sigInputs = tensorMaps(this.inputs);
      const sigOutputs = tensorMaps(this.outputs);
      const key = b.createString(options.signatureKey ?? 'serving_default');
      b.startObject(5);
      b.addFieldOffset(0, sigInputs, 0);
      b.addFieldOffset(1, sigOutputs, 0);
      b.addFieldOffset(2, key, 0);
      b.addFieldInt32(4, 0, 0);
      signatures = offsetVector([b.endObject()]);
    }

    const opcodesVec = offsetVector(opcodeOffsets);
    const subgraphsVec = offsetVector([subgraph]);
    const buffersVec = offsetVector(bufferOffsets);
    const description = b.createString(options.description ?? 'kokoro-reader test fixture');
    b.startObject(8);
    b.addFieldInt32(0, 3, 0);
    b.addFieldOffset(1, opcodesVec, 0);
    b.addFieldOffset(2, subgraphsVec, 0);
    b.addFieldOffset(3, description, 0);
    b.addFieldOffset(4, buffersVec, 0);
    if (signatures) b.addFieldOffset(7, signatures, 0);
    b.finish(b.endObject(), 'TFL3');
    return b.asUint8Array();
  }
}
