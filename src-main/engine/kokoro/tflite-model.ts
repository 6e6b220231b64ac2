/**
 * Reads what the engine needs from a TFLite flatbuffer (signature names, dtypes, shapes) with
 * every offset bounds-checked, so a truncated or corrupt file is reported before it reaches
 * the wasm runtime (where it would trap). Also rewrites int64 signature inputs/outputs to int32
 * plus a CAST, because LiteRT.js rejects INT64 at loadAndCompile.
 * Field ids follow tensorflow/lite/schema/schema.fbs.
 */
import { Builder } from 'flatbuffers';
import { int32Vector as int32VectorOf, offsetVector as offsetVectorOf } from './flatbuffer-vectors';

/** Thrown for a file that is not a readable TFLite model; the message says what is wrong. */
export class TfliteFormatError extends Error {
  override name = 'TfliteFormatError';
}

/** TensorType enum of the schema, by value. */
const TENSOR_TYPES = [
  'float32',
  'float16',
  'int32',
  'uint8',
  'int64',
  'string',
  'bool',
  'int16',
  'complex64',
  'int8',
  'float64',
  'complex128',
  'uint64',
  'resource',
  'variant',
  'uint32',
  'uint16',
  'int4',
] as const;

export const TYPE_FLOAT32 = 0;
const TYPE_INT32 = 2;
const TYPE_INT64 = 4;
export const TYPE_INT8 = 9;
/**
 * BuiltinOperator values of the schema for the ops this project writes (scripts/lib/tflite-writer.ts)
 * or rewrites (the int8 and bucket rewrites).
 */
export const BUILTIN_OPERATORS = {
  ADD: 0,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MUL: 18,
  RELU: 19,
  RESHAPE: 22,
  SOFTMAX: 25,
  TANH: 28,
  PAD: 34,
  GATHER: 36,
  TRANSPOSE: 39,
  MEAN: 40,
  SUB: 41,
  DIV: 42,
  SQUEEZE: 43,
  EXP: 47,
  SPLIT: 49,
  CAST: 53,
  PRELU: 54,
  MAXIMUM: 55,
  MINIMUM: 57,
  NEG: 59,
  SLICE: 65,
  SIN: 66,
  TRANSPOSE_CONV: 67,
  SUM: 74,
  SQRT: 75,
  RSQRT: 76,
  POW: 78,
  LEAKY_RELU: 98,
  SQUARED_DIFFERENCE: 99,
  ABS: 101,
  COS: 108,
  BATCH_MATMUL: 126,
  GELU: 150,
} as const;
const BUILTIN_CAST = BUILTIN_OPERATORS.CAST;

/** The builtin operator of operator table `op` (codes past 127 live only in the newer field). */
export function builtinOperatorOf(m: ParsedModel, op: number): number {
  const opcode = m.opcodes[m.r.scalarU32(op, OPERATOR.opcodeIndex)]!;
  return Math.max(m.r.scalarI32(opcode, OPCODE.builtinCode), m.r.scalarI8(opcode, OPCODE.deprecatedBuiltinCode));
}

export function tensorTypeName(value: number): string {
  return TENSOR_TYPES[value] ?? `type${value}`;
}

export interface TensorInfo {
  /** Signature alias (what LiteRT.js reports and `run` takes), else the tensor name. */
  name: string;
  /** The subgraph tensor's own name. */
  tensorName: string;
  tensorIndex: number;
  dtype: string;
  shape: number[];
}

export interface TfliteSummary {
  version: number;
  signatureKey: string | null;
  /** In subgraph input order (the order LiteRT.js reports them in). */
  inputs: TensorInfo[];
  /** In subgraph output order. */
  outputs: TensorInfo[];
  operatorCount: number;
  tensorCount: number;
}

// Field ids (exported for the int8 rewrite, tflite-int8.ts).
export const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 } as const;
export const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4, debugMetadataIndex: 5 } as const;
export const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6, shapeSignature: 7, hasRank: 8 } as const;
export const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2 } as const;
export const OPCODE = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;
export const BUFFER = { data: 0, offset: 1, size: 2 } as const;
const TENSORMAP = { name: 0, tensorIndex: 1 } as const;
const SIGDEF = { inputs: 0, outputs: 1, key: 2, subgraphIndex: 4 } as const;

/** Bounds-checked access to flatbuffer tables, vectors and strings. */
class FbReader {
  private readonly view: DataView;
  readonly size: number;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.size = bytes.byteLength;
  }

  private check(pos: number, len: number, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || len < 0 || pos + len > this.size) {
      throw new TfliteFormatError(`${what} at byte ${pos} lies outside the file (${this.size} bytes)`);
    }
  }

  u8(pos: number): number {
    this.check(pos, 1, 'a value');
    return this.view.getUint8(pos);
  }
  i8(pos: number): number {
    this.check(pos, 1, 'a value');
    return this.view.getInt8(pos);
  }
  u16(pos: number): number {
    this.check(pos, 2, 'a value');
    return this.view.getUint16(pos, true);
  }
  i32(pos: number): number {
    this.check(pos, 4, 'a value');
    return this.view.getInt32(pos, true);
  }
  u32(pos: number): number {
    this.check(pos, 4, 'a value');
    return this.view.getUint32(pos, true);
  }
  u64(pos: number): number {
    this.check(pos, 8, 'a value');
    return Number(this.view.getBigUint64(pos, true));
  }

  /** Follows a uoffset stored at `pos`. */
  deref(pos: number, what: string): number {
    const target = pos + this.u32(pos);
    this.check(target, 4, what);
    return target;
  }

  /** Absolute position of field `id` of the table at `table`, or 0 when absent. */
  field(table: number, id: number): number {
    const vtable = table - this.i32(table);
    this.check(vtable, 4, 'a vtable');
    const vtLength = this.u16(vtable);
    if (vtLength < 4 || vtLength % 2 !== 0) throw new TfliteFormatError(`malformed vtable at byte ${vtable}`);
    this.check(vtable, vtLength, 'a vtable');
    const slot = 4 + 2 * id;
    if (slot >= vtLength) return 0;
    const rel = this.u16(vtable + slot);
    if (rel === 0) return 0;
    const tableLength = this.u16(vtable + 2);
    if (rel >= tableLength) throw new TfliteFormatError(`field ${id} of the table at byte ${table} lies past the table`);
    return table + rel;
  }

  /** Highest field id present in the table's vtable plus one. */
  fieldCount(table: number): number {
    const vtable = table - this.i32(table);
    return (this.u16(vtable) - 4) / 2;
  }

  table(table: number, id: number, what: string): number {
    const f = this.field(table, id);
    return f ? this.deref(f, what) : 0;
  }

  /** Vector referenced by field `id`: start of its elements and length, checked against the file. */
  vector(table: number, id: number, elemSize: number, what: string): { start: number; length: number } {
    const f = this.field(table, id);
    if (!f) return { start: 0, length: 0 };
    const pos = this.deref(f, what);
    const length = this.u32(pos);
    this.check(pos + 4, length * elemSize, what);
    return { start: pos + 4, length };
  }

  /** Positions of the tables of a vector of tables. */
  tables(table: number, id: number, what: string): number[] {
    const { start, length } = this.vector(table, id, 4, what);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(this.deref(start + 4 * i, what));
    return out;
  }

  int32s(table: number, id: number, what: string): number[] {
    const { start, length } = this.vector(table, id, 4, what);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(this.i32(start + 4 * i));
    return out;
  }

  string(table: number, id: number): string | null {
    const f = this.field(table, id);
    if (!f) return null;
    const pos = this.deref(f, 'a string');
    const length = this.u32(pos);
    this.check(pos + 4, length, 'a string');
    return new TextDecoder('utf-8').decode(this.bytes.subarray(pos + 4, pos + 4 + length));
  }

  /** A signed 64-bit integer as a Number (exact up to 2^53). */
  i64(pos: number): number {
    this.check(pos, 8, 'a value');
    return Number(this.view.getBigInt64(pos, true));
  }

  scalarU32(table: number, id: number, fallback = 0): number {
    const f = this.field(table, id);
    return f ? this.u32(f) : fallback;
  }
  scalarI32(table: number, id: number, fallback = 0): number {
    const f = this.field(table, id);
    return f ? this.i32(f) : fallback;
  }
  scalarI8(table: number, id: number, fallback = 0): number {
    const f = this.field(table, id);
    return f ? this.i8(f) : fallback;
  }
  scalarU64(table: number, id: number): number {
    const f = this.field(table, id);
    return f ? this.u64(f) : 0;
  }
}

export interface ParsedTensor {
  pos: number;
  name: string;
  type: number;
  shape: number[];
  buffer: number;
}

export interface ParsedModel {
  r: FbReader;
  root: number;
  version: number;
  subgraphs: number[];
  buffers: number[];
  opcodes: number[];
  signature: { pos: number; key: string | null; subgraph: number; inputs: { name: string; tensor: number }[]; outputs: { name: string; tensor: number }[] } | null;
  subgraph: number;
  tensors: ParsedTensor[];
  inputs: number[];
  outputs: number[];
  operators: number[];
  /** Buffers whose data lives outside the flatbuffer (models over 2 GB). */
  externalBuffers: boolean;
}

export function parse(bytes: Uint8Array): ParsedModel {
  if (bytes.byteLength < 8) throw new TfliteFormatError(`the file is only ${bytes.byteLength} bytes`);
  const r = new FbReader(bytes);
  const ident = String.fromCharCode(r.u8(4), r.u8(5), r.u8(6), r.u8(7));
  if (ident !== 'TFL3') throw new TfliteFormatError(`not a TFLite model (file identifier "${ident.replace(/[^\x20-\x7e]/g, '?')}", expected "TFL3")`);
  const root = r.deref(0, 'the model table');
  const version = r.scalarU32(root, MODEL.version);
  if (version !== 3) throw new TfliteFormatError(`unsupported schema version ${version} (expected 3)`);

  const subgraphs = r.tables(root, MODEL.subgraphs, 'the subgraph list');
  if (subgraphs.length === 0) throw new TfliteFormatError('the model has no subgraphs');
  const opcodes = r.tables(root, MODEL.operatorCodes, 'the operator codes');
  const buffers = r.tables(root, MODEL.buffers, 'the buffer list');

  // Every buffer's data must lie inside the file: this is what a truncated download breaks.
  let externalBuffers = false;
  buffers.forEach((b, i) => {
    r.vector(b, BUFFER.data, 1, `the data of buffer ${i}`);
    const offset = r.scalarU64(b, BUFFER.offset);
    if (offset > 1) {
      externalBuffers = true;
      const size = r.scalarU64(b, BUFFER.size);
      if (offset + size > bytes.byteLength) throw new TfliteFormatError(`the data of buffer ${i} ends at byte ${offset + size}, past the end of the file (${bytes.byteLength} bytes)`);
    }
  });

  const sigs = r.tables(root, MODEL.signatureDefs, 'the signature list');
  let signature: ParsedModel['signature'] = null;
  const firstSig = sigs[0];
  if (firstSig !== undefined) {
    const maps = (id: number): { name: string; tensor: number }[] =>
      r.tables(firstSig, id, 'a signature tensor').map((m) => ({ name: r.string(m, TENSORMAP.name) ?? '', tensor: r.scalarU32(m, TENSORMAP.tensorIndex) }));
    signature = {
      pos: firstSig,
      key: r.string(firstSig, SIGDEF.key),
      subgraph: r.scalarU32(firstSig, SIGDEF.subgraphIndex),
      inputs: maps(SIGDEF.inputs),
      outputs: maps(SIGDEF.outputs),
    };
  }
  const subgraphIndex = signature?.subgraph ?? 0;
  const sg = subgraphs[subgraphIndex];
  if (sg === undefined) throw new TfliteFormatError(`the signature refers to subgraph ${subgraphIndex}, which does not exist`);

  const tensors = r.tables(sg, SUBGRAPH.tensors, 'the tensor list').map((t, i): ParsedTensor => {
    const buffer = r.scalarU32(t, TENSOR.buffer);
    if (buffer >= buffers.length && !(buffer === 0 && buffers.length === 0)) throw new TfliteFormatError(`tensor ${i} refers to buffer ${buffer} of ${buffers.length}`);
    return { pos: t, name: r.string(t, TENSOR.name) ?? '', type: r.scalarI8(t, TENSOR.type), shape: r.int32s(t, TENSOR.shape, `the shape of tensor ${i}`), buffer };
  });
  const checkIndex = (i: number, what: string): number => {
    if (!Number.isInteger(i) || i < 0 || i >= tensors.length) throw new TfliteFormatError(`${what} refers to tensor ${i} of ${tensors.length}`);
    return i;
  };
  const inputs = r.int32s(sg, SUBGRAPH.inputs, 'the subgraph inputs').map((i) => checkIndex(i, 'a subgraph input'));
  const outputs = r.int32s(sg, SUBGRAPH.outputs, 'the subgraph outputs').map((i) => checkIndex(i, 'a subgraph output'));
  const operators = r.tables(sg, SUBGRAPH.operators, 'the operator list');
  operators.forEach((op, k) => {
    const code = r.scalarU32(op, OPERATOR.opcodeIndex);
    if (code >= opcodes.length) throw new TfliteFormatError(`operator ${k} refers to operator code ${code} of ${opcodes.length}`);
    for (const i of r.int32s(op, OPERATOR.inputs, `the inputs of operator ${k}`)) if (i !== -1) checkIndex(i, `operator ${k}`);
    for (const i of r.int32s(op, OPERATOR.outputs, `the outputs of operator ${k}`)) checkIndex(i, `operator ${k}`);
  });
  if (signature) {
    for (const m of [...signature.inputs, ...signature.outputs]) checkIndex(m.tensor, `signature entry "${m.name}"`);
  }
  return { r, root, version, subgraphs, buffers, opcodes, signature, subgraph: subgraphIndex, tensors, inputs, outputs, operators, externalBuffers };
}

function positionOrder(order: readonly number[]): (a: TensorInfo, b: TensorInfo) => number {
  const pos = (t: TensorInfo): number => {
    const p = order.indexOf(t.tensorIndex);
    return p === -1 ? Number.MAX_SAFE_INTEGER : p;
  };
  return (a, b) => pos(a) - pos(b);
}

function summarize(m: ParsedModel): TfliteSummary {
  const info = (name: string, index: number): TensorInfo => {
    const t = m.tensors[index]!;
    return { name, tensorName: t.name, tensorIndex: index, dtype: tensorTypeName(t.type), shape: [...t.shape] };
  };
  const inputs = m.signature ? m.signature.inputs.map((e) => info(e.name, e.tensor)) : m.inputs.map((i) => info(m.tensors[i]!.name, i));
  const outputs = m.signature ? m.signature.outputs.map((e) => info(e.name, e.tensor)) : m.outputs.map((i) => info(m.tensors[i]!.name, i));
  inputs.sort(positionOrder(m.inputs));
  outputs.sort(positionOrder(m.outputs));
  return {
    version: m.version,
    signatureKey: m.signature?.key ?? null,
    inputs,
    outputs,
    operatorCount: m.operators.length,
    tensorCount: m.tensors.length,
  };
}

/** Signature and structure of a TFLite model; throws TfliteFormatError for a damaged file. */
export function readTfliteSummary(bytes: Uint8Array): TfliteSummary {
  return summarize(parse(bytes));
}

export interface Int64Rewrite {
  bytes: Uint8Array;
  /** Signature names whose dtype changed from int64 to int32. */
  inputs: string[];
  outputs: string[];
}

/**
 * Returns the model with every int64 signature input replaced by an int32 input that a CAST
 * (prepended to the operators) widens into the original tensor, and every int64 output
 * narrowed by a CAST into a new int32 output. Models without int64 come back unchanged.
 *
 * The original file is kept whole at the end of the new buffer (flatbuffer offsets are
 * relative, so it stays valid there); only a new root, subgraph, signature and the vectors
 * that change are written before it, pointing into it. That avoids re-serialising the weights.
 */
export function rewriteInt64Io(bytes: Uint8Array): Int64Rewrite {
  const m = parse(bytes);
  const sigIn = m.signature?.inputs ?? m.inputs.map((i) => ({ name: m.tensors[i]!.name, tensor: i }));
  const sigOut = m.signature?.outputs ?? m.outputs.map((i) => ({ name: m.tensors[i]!.name, tensor: i }));
  const int64In = sigIn.filter((e) => m.tensors[e.tensor]!.type === TYPE_INT64);
  const int64Out = sigOut.filter((e) => m.tensors[e.tensor]!.type === TYPE_INT64);
  if (int64In.length === 0 && int64Out.length === 0) return { bytes, inputs: [], outputs: [] };

  const { r } = m;
  if (m.externalBuffers) throw new TfliteFormatError('int64 inputs in a model with buffers outside the flatbuffer (over 2 GB) cannot be rewritten');
  const { b, old, oldRef, int32Vector, offsetVector, subgraph, finish } = rebuildAround(m, bytes);

  // CAST's operator code: reuse one if present.
  const opcodeTables = m.opcodes.map((p) => old(p));
  let castCode = m.opcodes.findIndex((p) => r.scalarI32(p, OPCODE.builtinCode) === BUILTIN_CAST || r.scalarI8(p, OPCODE.deprecatedBuiltinCode) === BUILTIN_CAST);
  if (castCode === -1) {
    b.startObject(4);
    b.addFieldInt8(OPCODE.deprecatedBuiltinCode, BUILTIN_CAST, 0);
    b.addFieldInt32(OPCODE.version, 1, 1);
    b.addFieldInt32(OPCODE.builtinCode, BUILTIN_CAST, 0);
    opcodeTables.push(b.endObject());
    castCode = opcodeTables.length - 1;
  }

  const newTensors: number[] = [];
  const tensorTables = m.tensors.map((t) => old(t.pos));
  const addInt32Twin = (index: number, suffix: string): number => {
    const t = m.tensors[index]!;
    const name = b.createString(`${t.name}${suffix}`);
    const shape = int32Vector(t.shape);
    const sigField = r.field(t.pos, TENSOR.shapeSignature);
    const shapeSignature = sigField ? int32Vector(r.int32s(t.pos, TENSOR.shapeSignature, 'a shape signature')) : 0;
    b.startObject(8);
    b.addFieldOffset(TENSOR.shape, shape, 0);
    b.addFieldInt8(TENSOR.type, TYPE_INT32, 0);
    // An input's buffer is the empty one; reuse the original's.
    b.addFieldInt32(TENSOR.buffer, t.buffer, 0);
    b.addFieldOffset(TENSOR.name, name, 0);
    if (shapeSignature) b.addFieldOffset(TENSOR.shapeSignature, shapeSignature, 0);
    tensorTables.push(b.endObject());
    newTensors.push(tensorTables.length - 1);
    return tensorTables.length - 1;
  };
  const castOp = (from: number, to: number): number => {
    const inputs = int32Vector([from]);
    const outputs = int32Vector([to]);
    b.startObject(3);
    b.addFieldInt32(OPERATOR.opcodeIndex, castCode, 0);
    b.addFieldOffset(OPERATOR.inputs, inputs, 0);
    b.addFieldOffset(OPERATOR.outputs, outputs, 0);
    return b.endObject();
  };

  const replacedIn = new Map<number, number>();
  const before: number[] = [];
  for (const e of int64In) {
    if (replacedIn.has(e.tensor)) continue;
    const twin = addInt32Twin(e.tensor, '_int32');
    replacedIn.set(e.tensor, twin);
    before.push(castOp(twin, e.tensor));
  }
  const replacedOut = new Map<number, number>();
  const after: number[] = [];
  for (const e of int64Out) {
    if (replacedOut.has(e.tensor)) continue;
    const twin = addInt32Twin(e.tensor, '_int32');
    replacedOut.set(e.tensor, twin);
    after.push(castOp(e.tensor, twin));
  }

  const newSubgraph = subgraph({
    tensors: offsetVector(tensorTables),
    inputs: int32Vector(m.inputs.map((i) => replacedIn.get(i) ?? i)),
    outputs: int32Vector(m.outputs.map((i) => replacedOut.get(i) ?? i)),
    operators: offsetVector([...before, ...m.operators.map((p) => old(p)), ...after]),
  });

  let signaturesVec = oldRef(m.root, MODEL.signatureDefs);
  if (m.signature) {
    const sigTables = r.tables(m.root, MODEL.signatureDefs, 'the signature list');
    const maps = (id: number, replaced: Map<number, number>): number =>
      offsetVector(
        r.tables(m.signature!.pos, id, 'a signature tensor').map((mp) => {
          const index = r.scalarU32(mp, TENSORMAP.tensorIndex);
          const twin = replaced.get(index);
          if (twin === undefined) return old(mp);
          const name = oldRef(mp, TENSORMAP.name);
          b.startObject(2);
          if (name) b.addFieldOffset(TENSORMAP.name, name, 0);
          b.addFieldInt32(TENSORMAP.tensorIndex, twin, 0);
          return b.endObject();
        }),
      );
    const sigInputs = maps(SIGDEF.inputs, replacedIn);
    const sigOutputs = maps(SIGDEF.outputs, replacedOut);
    const key = oldRef(m.signature.pos, SIGDEF.key);
    b.startObject(5);
    b.addFieldOffset(SIGDEF.inputs, sigInputs, 0);
    b.addFieldOffset(SIGDEF.outputs, sigOutputs, 0);
    if (key) b.addFieldOffset(SIGDEF.key, key, 0);
    b.addFieldInt32(SIGDEF.subgraphIndex, m.subgraph, 0);
    const newSig = b.endObject();
    signaturesVec = offsetVector(sigTables.map((p, i) => (i === 0 ? newSig : old(p))));
  }

  const rewritten = finish({ subgraph: newSubgraph, opcodes: offsetVector(opcodeTables), signatures: signaturesVec });
  return { bytes: rewritten, inputs: int64In.map((e) => e.name), outputs: int64Out.map((e) => e.name) };
}

/**
 * A builder whose buffer ends with `bytes` whole (flatbuffer offsets are relative, so the old
 * tables stay valid there): new tables written before it point into it through `old`.
 * `subgraph` writes the signature's subgraph again with the vectors given (the others are the
 * old ones); `finish` writes a new root that takes the model's other fields from the old one.
 */
export function rebuildAround(m: ParsedModel, bytes: Uint8Array, options: { extraBytes?: number; edit?: (copy: Uint8Array) => void } = {}) {
  const { r } = m;
  // Fields this file does not know would be dropped: refuse instead.
  const sg = m.subgraphs[m.subgraph]!;
  if (r.fieldCount(m.root) > 8 || r.fieldCount(sg) > 6 || (m.signature && r.fieldCount(m.signature.pos) > 5)) {
    throw new TfliteFormatError('the model uses a newer schema than this rewrite understands');
  }
  // Room for the new tables up front: a builder that grows copies the whole model.
  const b = new Builder(bytes.byteLength + 65536 + (options.extraBytes ?? 0));
  // The old file starts 16-aligned, so its buffers keep the alignment they had.
  b.prep(16, bytes.byteLength);
  const blob = b.createByteVector(bytes);
  // Edits the builder's copy in place, at the same positions, so that the old tables still
  // point at them (no second copy of a model of hundreds of MB).
  const start = b.dataBuffer().capacity() - blob + 4;
  options.edit?.(b.dataBuffer().bytes().subarray(start, start + bytes.byteLength));
  // Builder offsets count from the end of the buffer; the blob's byte 0 sits 4 bytes after its length.
  const old = (pos: number): number => blob - 4 - pos;
  const oldRef = (table: number, id: number): number => {
    const f = r.field(table, id);
    return f ? old(r.deref(f, 'a reference')) : 0;
  };
  const offsetVector = (offsets: readonly number[]): number => offsetVectorOf(b, offsets);
  const subgraph = (vectors: Partial<Record<'tensors' | 'inputs' | 'outputs' | 'operators', number>>): number => {
    const tensors = vectors.tensors ?? oldRef(sg, SUBGRAPH.tensors);
    const inputs = vectors.inputs ?? oldRef(sg, SUBGRAPH.inputs);
    const outputs = vectors.outputs ?? oldRef(sg, SUBGRAPH.outputs);
    const operators = vectors.operators ?? oldRef(sg, SUBGRAPH.operators);
    const name = oldRef(sg, SUBGRAPH.name);
    const debugIndex = r.field(sg, SUBGRAPH.debugMetadataIndex);
    b.startObject(6);
    b.addFieldOffset(SUBGRAPH.tensors, tensors, 0);
    b.addFieldOffset(SUBGRAPH.inputs, inputs, 0);
    b.addFieldOffset(SUBGRAPH.outputs, outputs, 0);
    b.addFieldOffset(SUBGRAPH.operators, operators, 0);
    if (name) b.addFieldOffset(SUBGRAPH.name, name, 0);
    if (debugIndex) b.addFieldInt32(SUBGRAPH.debugMetadataIndex, r.i32(debugIndex), 0);
    return b.endObject();
  };
  const finish = (parts: { subgraph: number; opcodes?: number; signatures?: number }): Uint8Array => {
    const subgraphsVec = offsetVector(m.subgraphs.map((p, i) => (i === m.subgraph ? parts.subgraph : old(p))));
    const opcodesVec = parts.opcodes ?? oldRef(m.root, MODEL.operatorCodes);
    const signaturesVec = parts.signatures ?? oldRef(m.root, MODEL.signatureDefs);
    const description = oldRef(m.root, MODEL.description);
    const buffersVec = oldRef(m.root, MODEL.buffers);
    const metadataBuffer = oldRef(m.root, MODEL.metadataBuffer);
    const metadata = oldRef(m.root, MODEL.metadata);
    b.startObject(8);
    b.addFieldInt32(MODEL.version, m.version, 0);
    b.addFieldOffset(MODEL.operatorCodes, opcodesVec, 0);
    b.addFieldOffset(MODEL.subgraphs, subgraphsVec, 0);
    if (description) b.addFieldOffset(MODEL.description, description, 0);
    if (buffersVec) b.addFieldOffset(MODEL.buffers, buffersVec, 0);
    if (metadataBuffer) b.addFieldOffset(MODEL.metadataBuffer, metadataBuffer, 0);
    if (metadata) b.addFieldOffset(MODEL.metadata, metadata, 0);
    if (signaturesVec) b.addFieldOffset(MODEL.signatureDefs, signaturesVec, 0);
    b.finish(b.endObject(), 'TFL3');
    return b.asUint8Array();
  };
  return { b, old, oldRef, int32Vector: (values: readonly number[]): number => int32VectorOf(b, values), offsetVector, subgraph, finish };
}
