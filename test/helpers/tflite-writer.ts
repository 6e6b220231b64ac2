/**
 * A small TFLite flatbuffer writer for tests: tensors, constant buffers, a few builtin
 * operators, subgraph inputs/outputs and a `serving_default` SignatureDef (schema version 3).
 * Field ids follow tensorflow/lite/schema/schema.fbs; only what the fixtures need is written.
 */
import { Builder } from 'flatbuffers';
import { int32Vector as int32VectorOf, offsetVector as offsetVectorOf } from '../../src-main/engine/kokoro/flatbuffer-vectors';

export type WriterDType = 'float32' | 'int32' | 'int64' | 'uint8' | 'bool';

/** TensorType values of the schema. */
const TENSOR_TYPE: Record<WriterDType, number> = { float32: 0, int32: 2, uint8: 3, int64: 4, bool: 6 };

/** BuiltinOperator values of the schema for the operators this writer emits. */
export const BUILTIN = { ADD: 0, MUL: 18, RESHAPE: 22, SUB: 41, CAST: 53, SLICE: 65 } as const;
export type BuiltinName = keyof typeof BUILTIN;

type ConstData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

interface TensorDef {
  name: string;
  dtype: WriterDType;
  shape: number[];
  buffer: number;
}

interface OperatorDef {
  op: BuiltinName;
  inputs: number[];
  outputs: number[];
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
    if (elementCount(shape) !== data.length) throw new Error(`constant ${name}: ${data.length} values for shape [${shape.join(',')}]`);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    this.buffers.push(bytes);
    return this.addTensor(name, dtypeOf(data), shape, this.buffers.length - 1);
  }

  /** An operator with explicit output tensors (for shapes the helpers below do not infer). */
  op(op: BuiltinName, inputs: number[], outputs: number[]): void {
    this.operators.push({ op, inputs, outputs });
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

  reshape(x: number, shape: readonly number[], name?: string): number {
    if (elementCount(shape) !== elementCount(this.def(x).shape)) throw new Error(`reshape [${this.def(x).shape.join(',')}] to [${shape.join(',')}]`);
    const shapeTensor = this.constant(Int32Array.from(shape), [shape.length]);
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
      b.startObject(10);
      b.addFieldOffset(0, shape, 0);
      b.addFieldInt8(1, TENSOR_TYPE[t.dtype], 0);
      b.addFieldInt32(2, t.buffer, 0);
      b.addFieldOffset(3, name, 0);
      return b.endObject();
    });

    const opNames = [...new Set(this.operators.map((o) => o.op))];
    const opcodeOffsets = opNames.map((op) => {
      b.startObject(4);
      b.addFieldInt8(0, BUILTIN[op], 0);
      b.addFieldInt32(2, 1, 1);
      b.addFieldInt32(3, BUILTIN[op], 0);
      return b.endObject();
    });
    const operatorOffsets = this.operators.map((o) => {
      const inputs = int32Vector(o.inputs);
      const outputs = int32Vector(o.outputs);
      b.startObject(9);
      b.addFieldInt32(0, opNames.indexOf(o.op), 0);
      b.addFieldOffset(1, inputs, 0);
      b.addFieldOffset(2, outputs, 0);
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
    const description = b.createString('kokoro-reader test fixture');
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
