/**
 * A smaller frame bucket for a downloaded graph: the prosody and vocoder bundles are exported
 * for 512 frames, and cost the same for a 2-second sentence as for 12.8 s of speech. This
 * rewrites a graph's static shapes for fewer frames, on the host, as the int8 and int64 rewrites
 * edit the flatbuffer: every tensor whose size follows the frames gets its new shape, and every
 * constant that spells such a size (a RESHAPE target, a SLICE size, a TRANSPOSE_CONV output
 * shape) its new values. Weights do not change.
 *
 * The shapes are inferred op by op in two worlds at once: the graph as stored (which must come
 * out exactly as the file says, so an op read wrongly is caught) and the graph with the new
 * input sizes. An op this file does not know, a constant whose data runs along the frames, a
 * SLICE window past the smaller bucket (the later steps of an unrolled loop), operands that no
 * longer fit, or an output that does not follow the frames cannot be rewritten safely: the
 * rewrite refuses and names the op and the reason.
 *
 * Whether the real frames then come out as in the full graph depends on the graph keeping its
 * statistics to the real frames (frame_mask); the tests check that on the shadow graphs.
 */
import { BUFFER, BUILTIN_OPERATORS, builtinOperatorOf, OPERATOR, parse, rebuildAround, TENSOR, TfliteFormatError, tensorTypeName } from './tflite-model';
import type { ParsedModel } from './tflite-model';
import { int32Vector } from './flatbuffer-vectors';
import { F0_PER_FRAME, HOP, SAMPLES_PER_FRAME } from '../../../src-shared/kokoro/constants';

/** Thrown when a graph cannot be rewritten for another bucket; the message names the op and why. */
export class RebucketError extends TfliteFormatError {
  override name = 'RebucketError';
}

/**
 * Where an input's or output's size follows the frames: dimension `axis` holds
 * `perFrame * frames + extra` values (F0: 2 per frame; har: 120 STFT steps per frame plus 1).
 */
export interface FrameAxis {
  axis: number;
  perFrame: number;
  extra?: number;
}

/**
 * The frame axes of the bundles' tensors as KOKORO.md gives them: asr [1, 512, L] (t_en @ aln),
 * F0 and N 2 per frame, har, spec and phase 120 STFT steps per frame plus one, frame_mask and
 * aln one per frame.
 */
const ASR_AXIS: FrameAxis = { axis: 2, perFrame: 1 };
const CURVE_AXIS: FrameAxis = { axis: 1, perFrame: F0_PER_FRAME };
const FRAME_AXIS: FrameAxis = { axis: 1, perFrame: 1 };
const STEPS_AXIS: FrameAxis = { axis: 2, perFrame: SAMPLES_PER_FRAME / HOP, extra: 1 };
export const VOCODER_FRAME_AXES: Readonly<Record<string, FrameAxis>> = {
  asr: ASR_AXIS,
  F0: CURVE_AXIS,
  N: CURVE_AXIS,
  har: STEPS_AXIS,
  frame_mask: FRAME_AXIS,
  spec: STEPS_AXIS,
  phase: STEPS_AXIS,
};
export const PROSODY_FRAME_AXES: Readonly<Record<string, FrameAxis>> = {
  aln: ASR_AXIS,
  frame_mask: FRAME_AXIS,
  asr: ASR_AXIS,
  F0: CURVE_AXIS,
  N: CURVE_AXIS,
};

/**
 * Frames at the end of a smaller bucket that must stay padding for its output to equal the full
 * graph's on the real frames: the vocoder's convolutions reach about 13 frames across (measured
 * on the shadow vocoder; the decoder's and generator's kernels at their rates), and near its
 * edge the small graph sees zeros where the full graph sees padding frames.
 */
export const REBUCKET_MARGIN_FRAMES = 16;

export interface RebucketResult {
  bytes: Uint8Array;
  /** Tensors whose shape changed, and constants whose values did. */
  tensors: number;
  constants: number;
  /** Each output's new shape, by signature name. */
  outputs: Record<string, number[]>;
}

type Shape = readonly number[];

const OP = BUILTIN_OPERATORS;
const OP_NAME = new Map<number, string>(Object.entries(OP).map(([name, code]) => [code, name]));

const SAME_SHAPE = new Set<number>([OP.LOGISTIC, OP.RELU, OP.TANH, OP.EXP, OP.CAST, OP.NEG, OP.SIN, OP.COS, OP.SQRT, OP.RSQRT, OP.ABS, OP.LEAKY_RELU, OP.GELU, OP.SOFTMAX]);
const BROADCAST = new Set<number>([OP.ADD, OP.MUL, OP.SUB, OP.DIV, OP.MAXIMUM, OP.MINIMUM, OP.POW, OP.SQUARED_DIFFERENCE, OP.PRELU]);

/** The Operator table's builtin_options field, and the Padding enum's VALID (schema.fbs). */
const OPERATOR_OPTIONS = 4;
const PADDING_VALID = 1;

/** The two worlds: index 0 is the graph as stored, index 1 the rewritten one. */
type Worlds<T> = [T, T];

const product = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);
const same = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const show = (shape: Shape): string => `[${shape.join(',')}]`;

/**
 * Returns the graph rewritten for `frames` frames. `axes` gives, for each input and output (by
 * signature name) whose size follows the frames, where; the inputs must hold `stored` frames
 * there, and the outputs must come out holding `frames`. Throws RebucketError when the graph
 * cannot be rewritten safely.
 */
export function rebucketFrames(bytes: Uint8Array, axes: Readonly<Record<string, FrameAxis>>, stored: number, frames: number): RebucketResult {
  const m = parse(bytes);
  if (m.externalBuffers) throw new RebucketError('a model with buffers outside the flatbuffer (over 2 GB) cannot be rewritten');
  if (!Number.isInteger(frames) || frames < 1 || frames > stored) throw new RebucketError(`a bucket of ${frames} frames: it must be a whole number from 1 to ${stored}`);
  const { r } = m;
  const sigInputs = m.signature?.inputs ?? m.inputs.map((i) => ({ name: m.tensors[i]!.name, tensor: i }));
  const sigOutputs = m.signature?.outputs ?? m.outputs.map((i) => ({ name: m.tensors[i]!.name, tensor: i }));

  const shapes = new Map<number, Worlds<Shape>>();
  /** New int32 values of constants, by tensor, and the operators that asked for them. */
  const newConstants = new Map<number, { values: number[]; operators: number[] }>();
  /** Operators reading each tensor: a constant shared by several (converters merge equal ones) must suit them all. */
  const readers = new Map<number, number[]>();
  m.operators.forEach((op, k) => {
    for (const t of r.int32s(op, OPERATOR.inputs, `the inputs of operator ${k}`)) if (t >= 0) readers.set(t, [...(readers.get(t) ?? []), k]);
  });
  const sizeOn = (axis: FrameAxis, f: number): number => axis.perFrame * f + (axis.extra ?? 0);
  for (const [name, axis] of Object.entries(axes)) {
    const entry = sigInputs.find((e) => e.name === name);
    if (!entry) {
      // Outputs are checked once their shapes are known.
      if (sigOutputs.some((e) => e.name === name)) continue;
      throw new RebucketError(`the graph has no input or output "${name}"`);
    }
    const shape = m.tensors[entry.tensor]!.shape;
    if (shape[axis.axis] !== sizeOn(axis, stored)) throw new RebucketError(`input "${name}" ${show(shape)} should hold ${sizeOn(axis, stored)} values on axis ${axis.axis}`);
    shapes.set(entry.tensor, [shape, shape.map((d, i) => (i === axis.axis ? sizeOn(axis, frames) : d))]);
  }

  const isConstant = (t: number): boolean => {
    const buffer = m.buffers[m.tensors[t]!.buffer];
    return buffer !== undefined && r.vector(buffer, BUFFER.data, 1, 'a constant').length > 0;
  };
  const int32Data = (t: number): number[] => {
    const tensor = m.tensors[t]!;
    const { start, length } = r.vector(m.buffers[tensor.buffer]!, BUFFER.data, 1, 'a constant');
    const values: number[] = [];
    if (tensorTypeName(tensor.type) === 'int64') for (let i = 0; i < length / 8; i++) values.push(r.i64(start + 8 * i));
    else for (let i = 0; i < length / 4; i++) values.push(r.i32(start + 4 * i));
    return values;
  };
  const shapeOf = (t: number): Worlds<Shape> => {
    const known = shapes.get(t);
    if (known) return known;
    const stored = m.tensors[t]!.shape;
    return [stored, stored];
  };

  m.operators.forEach((op, k) => {
    const code = builtinOperatorOf(m, op);
    const inputs = r.int32s(op, OPERATOR.inputs, `the inputs of operator ${k}`);
    const outputs = r.int32s(op, OPERATOR.outputs, `the outputs of operator ${k}`);
    const where = `operator ${k} (${OP_NAME.get(code) ?? `builtin ${code}`}, output "${m.tensors[outputs[0] ?? 0]?.name ?? ''}")`;
    const fail = (why: string): never => {
      throw new RebucketError(`${where}: ${why}`);
    };
    const setConstant = (t: number, values: number[]): void => {
      const earlier = newConstants.get(t);
      if (earlier && !same(earlier.values, values)) fail(`constant "${m.tensors[t]!.name}" would be ${show(values)} here, but operator ${earlier.operators[0]} reads it too and needs ${show(earlier.values)}`);
      newConstants.set(t, { values, operators: [...(earlier?.operators ?? []), k] });
    };
    const changed = (t: number): boolean => {
      const [a, b] = shapeOf(t);
      return !same(a, b);
    };
    // Ops none of whose inputs changed keep their shapes, whatever they are.
    if (!inputs.some((t) => t >= 0 && changed(t))) return;
    if (!OP_NAME.has(code)) fail('this rewrite does not know the op, so it cannot tell how its shapes follow the frames');
    const options = r.table(op, OPERATOR_OPTIONS, 'operator options');
    const option = {
      i32: (id: number, fallback = 0): number => (options ? r.scalarI32(options, id, fallback) : fallback),
      i8: (id: number, fallback = 0): number => (options ? r.scalarI8(options, id, fallback) : fallback),
    };
    const constantInput = (slot: number, what: string): number => {
      const t = inputs[slot]!;
      if (t < 0 || !isConstant(t)) fail(`its ${what} is computed, not a constant, so its frames cannot be rewritten`);
      if (changed(t)) fail(`its ${what} changed`);
      return t;
    };
    const x = (slot: number): Worlds<Shape> => shapeOf(inputs[slot]!);

    /** Output shapes in each world, and new values for constant inputs (world 1). */
    let out: Worlds<Shape>[];
    const each = (f: (w: 0 | 1) => Shape): Worlds<Shape> => [f(0), f(1)];
    switch (code) {
      case OP.CONCATENATION: {
        const rank = x(0)[0].length;
        const axis = (option.i32(0) + rank) % rank;
        const offAxis = (shape: Shape): Shape => shape.filter((_, i) => i !== axis);
        if (!inputs.every((_, slot) => same(offAxis(x(slot)[1]), offAxis(x(0)[1])))) fail(`its inputs would no longer agree off axis ${axis}: ${inputs.map((_, slot) => show(x(slot)[1])).join(', ')}`);
        out = [
          each((w) => {
            const shape = [...x(0)[w]];
            shape[axis] = inputs.reduce((n, _, slot) => n + x(slot)[w][axis]!, 0);
            return shape;
          }),
        ];
        break;
      }
      case OP.CONV_2D:
      case OP.DEPTHWISE_CONV_2D: {
        const depthwise = code === OP.DEPTHWISE_CONV_2D;
        const filter = x(1)[0];
        const padding = option.i8(0);
        const stride = [option.i32(2, 1), option.i32(1, 1)];
        const dilation = depthwise ? [option.i32(6, 1), option.i32(5, 1)] : [option.i32(5, 1), option.i32(4, 1)];
        const spatial = (size: number, d: 0 | 1): number => {
          const reach = (filter[1 + d]! - 1) * dilation[d]! + 1;
          return padding === PADDING_VALID ? Math.floor((size - reach) / stride[d]!) + 1 : Math.ceil(size / stride[d]!);
        };
        const channels = depthwise ? filter[3]! : filter[0]!;
        if (x(0)[1][3] !== filter[3]) fail(`its input ${show(x(0)[1])} would no longer have the filter's ${filter[3]} channels`);
        out = [each((w) => [x(0)[w][0]!, spatial(x(0)[w][1]!, 0), spatial(x(0)[w][2]!, 1), channels])];
        break;
      }
      case OP.TRANSPOSE_CONV: {
        const outputShape = constantInput(0, 'output shape');
        const filter = x(1)[0];
        const padding = option.i8(0);
        const stride = [option.i32(2, 1), option.i32(1, 1)];
        const spatial = (size: number, d: 0 | 1): number => (padding === PADDING_VALID ? (size - 1) * stride[d]! + filter[1 + d]! : size * stride[d]!);
        const input = x(2);
        if (input[1][3] !== filter[3]) fail(`its input ${show(input[1])} would no longer have the filter's ${filter[3]} channels`);
        out = [each((w) => [input[w][0]!, spatial(input[w][1]!, 0), spatial(input[w][2]!, 1), filter[0]!])];
        if (!same(int32Data(outputShape), out[0]![0])) fail(`its output shape ${show(int32Data(outputShape))} is not what its padding and stride give`);
        setConstant(outputShape, [...out[0]![1]]);
        break;
      }
      case OP.FULLY_CONNECTED: {
        const [units, depth] = x(1)[0] as [number, number];
        if (x(0)[1].at(-1) !== depth) fail(`its input ${show(x(0)[1])} would no longer end in the weights' ${depth} values`);
        const keepDims = option.i8(2) !== 0;
        out = [each((w) => (keepDims ? [...x(0)[w].slice(0, -1), units] : [product(x(0)[w]) / x(0)[w].at(-1)!, units]))];
        break;
      }
      case OP.BATCH_MATMUL: {
        const [adjX, adjY] = [option.i8(0) !== 0, option.i8(1) !== 0];
        out = [
          each((w) => {
            const [a, b] = [x(0)[w], x(1)[w]];
            const rows = adjX ? a.at(-1)! : a.at(-2)!;
            const cols = adjY ? b.at(-2)! : b.at(-1)!;
            if ((adjX ? a.at(-2) : a.at(-1)) !== (adjY ? b.at(-1) : b.at(-2))) fail(`${show(a)} and ${show(b)} would no longer multiply`);
            return [...broadcast(a.slice(0, -2), b.slice(0, -2), fail), rows, cols];
          }),
        ];
        break;
      }
      case OP.RESHAPE: {
        if (inputs.length < 2 || inputs[1]! < 0) fail('its target shape is only in its options; this rewrite reads the shape tensor');
        const target = constantInput(1, 'target shape');
        const stored = int32Data(target);
        if (stored.some((d) => d < 0)) fail(`its target ${show(stored)} has a -1`);
        const next = reshapeTarget(x(0), stored, fail);
        out = [[stored, next]];
        setConstant(target, next);
        break;
      }
      case OP.TRANSPOSE: {
        const perm = int32Data(constantInput(1, 'permutation'));
        out = [each((w) => perm.map((p) => x(0)[w][p]!))];
        break;
      }
      case OP.SLICE: {
        const begin = constantInput(1, 'begin');
        const size = constantInput(2, 'size');
        const [b0, s0] = [int32Data(begin), int32Data(size)];
        const [inA, inB] = x(0);
        // On a frame axis, a window that fits the smaller bucket stays where it is (ReflectionPad's
        // copy of step 1); one that does not fit follows the end, keeping what is cut at each end
        // (a crop). A window that fits neither way (the later steps of an unrolled loop) is refused.
        const sizeB = s0.map((s, i) => {
          if (inA[i] === inB[i]) return s;
          const taken = s === -1 ? inA[i]! - b0[i]! : s;
          if (b0[i]! + taken <= inB[i]! && s !== -1) return s;
          const next = inB[i]! - (inA[i]! - taken);
          if (next < 1) fail(`it takes values ${b0[i]} to ${b0[i]! + taken - 1} of the ${inA[i]} on axis ${i}, past the ${inB[i]} a bucket of ${frames} frames has (an unrolled loop's steps?)`);
          return s === -1 ? -1 : next;
        });
        out = [[s0.map((s, i) => (s === -1 ? inA[i]! - b0[i]! : s)), sizeB.map((s, i) => (s === -1 ? inB[i]! - b0[i]! : s))]];
        setConstant(size, sizeB);
        break;
      }
      case OP.PAD: {
        const pads = int32Data(constantInput(1, 'paddings'));
        out = [each((w) => x(0)[w].map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!))];
        break;
      }
      case OP.MEAN:
      case OP.SUM: {
        const rank = x(0)[0].length;
        const reduced = int32Data(constantInput(1, 'axes')).map((a) => (a + rank) % rank);
        const keepDims = option.i8(0) !== 0;
        out = [each((w) => x(0)[w].flatMap((d, i) => (reduced.includes(i) ? (keepDims ? [1] : []) : [d])))];
        break;
      }
      case OP.SPLIT: {
        const rank = x(1)[0].length;
        const axis = (int32Data(constantInput(0, 'axis'))[0]! + rank) % rank;
        const parts = outputs.length;
        out = outputs.map(() =>
          each((w) => {
            if (x(1)[w][axis]! % parts !== 0) fail(`${x(1)[w][axis]} values on axis ${axis} do not split into ${parts}`);
            return x(1)[w].map((d, i) => (i === axis ? d / parts : d));
          }),
        );
        break;
      }
      case OP.SQUEEZE: {
        const rank = x(0)[0].length;
        const dims = options ? r.int32s(options, 0, 'squeeze dims').map((a) => (a + rank) % rank) : [];
        out = [each((w) => x(0)[w].filter((d, i) => (dims.length ? !dims.includes(i) : d !== 1)))];
        break;
      }
      case OP.GATHER: {
        const rank = x(0)[0].length;
        const axis = (option.i32(0) + rank) % rank;
        if (changed(inputs[0]!) && x(0)[0][axis] !== x(0)[1][axis]) fail('it gathers along a frame axis');
        out = [each((w) => [...x(0)[w].slice(0, axis), ...x(1)[w], ...x(0)[w].slice(axis + 1)])];
        break;
      }
      default:
        if (SAME_SHAPE.has(code)) out = [x(0)];
        else if (BROADCAST.has(code)) {
          // A constant that runs along the frames (a table of them) cannot be cut safely.
          const computed = each((w) => inputs.filter((t) => !isConstant(t)).reduce<Shape>((shape, t) => broadcast(shape, shapeOf(t)[w], fail), []));
          for (const t of inputs.filter(isConstant)) {
            const shape = m.tensors[t]!.shape;
            const alongFrames = shape.some((d, i) => {
              const at = computed[0].length - shape.length + i;
              return d > 1 && computed[0][at] !== computed[1][at];
            });
            if (alongFrames) fail(`constant "${m.tensors[t]!.name}" ${show(shape)} runs along the frames: its values cannot be cut to a smaller bucket safely`);
          }
          out = [each((w) => broadcast(x(0)[w], x(1)[w], fail))];
        }
        else return fail('this rewrite does not know the op, so it cannot tell how its shapes follow the frames');
    }
    if (out.length !== outputs.length) fail(`it has ${outputs.length} outputs, this rewrite expected ${out.length}`);
    outputs.forEach((t, i) => {
      const [a, b] = out[i]!;
      if (!same(a, m.tensors[t]!.shape)) fail(`the file says its output is ${show(m.tensors[t]!.shape)}, its inputs give ${show(a)}: this rewrite reads the op differently from the runtime`);
      if (b.some((d) => !Number.isInteger(d) || d < 1)) fail(`with ${frames} frames its output would be ${show(b)}`);
      shapes.set(t, [a, b]);
    });
  });

  // Constants whose values change. One shared by several operators must change for all of them,
  // and a buffer shared by several tensors (converters dedupe equal constants) for all of those.
  const byBuffer = new Map<number, { values: number[]; tensors: number[] }>();
  for (const [t, { values, operators }] of newConstants) {
    const tensor = m.tensors[t]!;
    if (same(values, int32Data(t))) continue;
    const unchangedReader = (readers.get(t) ?? []).find((k) => !operators.includes(k));
    if (unchangedReader !== undefined) throw new RebucketError(`constant "${tensor.name}" would become ${show(values)} for operator ${operators[0]}, but operator ${unchangedReader} reads it too and does not change`);
    if (tensorTypeName(tensor.type) !== 'int32') throw new RebucketError(`constant "${tensor.name}" would change but is ${tensorTypeName(tensor.type)}, not int32`);
    const seen = byBuffer.get(tensor.buffer);
    if (seen && !same(seen.values, values)) throw new RebucketError(`constant buffer ${tensor.buffer} is shared by "${m.tensors[seen.tensors[0]!]!.name}" and "${tensor.name}", which would need different values`);
    byBuffer.set(tensor.buffer, { values, tensors: [...(seen?.tensors ?? []), t] });
  }
  m.tensors.forEach((tensor, t) => {
    const mine = byBuffer.get(tensor.buffer);
    if (mine && !mine.tensors.includes(t)) throw new RebucketError(`constant buffer ${tensor.buffer} is shared by "${m.tensors[mine.tensors[0]!]!.name}", which changes, and "${tensor.name}", which does not`);
  });
  const changedConstants = [...byBuffer];

  // Every output must come out as the caller expects: one that should follow the frames but
  // does not is made from something of the whole bucket (a constant table, say).
  const outputsByName: Record<string, number[]> = {};
  for (const e of sigOutputs) {
    const [before, after] = shapeOf(e.tensor);
    const axis = axes[e.name];
    const expected = axis ? before.map((d, i) => (i === axis.axis ? sizeOn(axis, frames) : d)) : before;
    if (!same(after, expected)) {
      throw new RebucketError(`output "${e.name}" would be ${show(after)} with ${frames} frames, not ${show(expected)}: ${axis ? 'it does not follow the frames' : 'it changes with the frames, and nothing says how it should'}`);
    }
    outputsByName[e.name] = [...after];
  }
  const changedTensors = [...shapes].filter(([, [a, b]]) => !same(a, b));
  if (changedTensors.length === 0) return { bytes, tensors: 0, constants: 0, outputs: outputsByName };

  const edit = (copy: Uint8Array): void => {
    const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
    for (const [buffer, { values }] of changedConstants) {
      const { start } = r.vector(m.buffers[buffer]!, BUFFER.data, 1, 'a constant');
      values.forEach((v, i) => view.setInt32(start + 4 * i, v, true));
    }
  };
  const { b, old, oldRef, offsetVector, subgraph, finish } = rebuildAround(m, bytes, { edit, extraBytes: 64 * changedTensors.length });
  const tensorTables = m.tensors.map((t) => old(t.pos));
  for (const [t, [, shape]] of changedTensors) tensorTables[t] = tensorWithShape(m, t, shape, b, oldRef);
  return {
    bytes: finish({ subgraph: subgraph({ tensors: offsetVector(tensorTables) }) }),
    tensors: changedTensors.length,
    constants: changedConstants.length,
    outputs: outputsByName,
  };
}

function broadcast(a: Shape, b: Shape, fail: (why: string) => never): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) fail(`${show(a)} and ${show(b)} do not broadcast`);
    return da === 1 ? db : da;
  });
}

/**
 * The rewritten target of a RESHAPE: the input's and the target's dimensions are matched in
 * runs of equal size (as the stored graph has them); a run whose input changed gets its new
 * size on its one dimension that is not 1. A run that splits a changed dimension over two or
 * more dimensions is ambiguous (which of them follows the frames?), and refused.
 */
function reshapeTarget([inA, inB]: Worlds<Shape>, target: number[], fail: (why: string) => never): number[] {
  const next = [...target];
  let i = 0;
  let j = 0;
  while (i < inA.length || j < target.length) {
    // One run: grow the side with the smaller product until both are equal.
    const run = { from: i, to: i, targetFrom: j, targetTo: j };
    let left = 1;
    let right = 1;
    do {
      if (run.to >= inA.length && run.targetTo >= target.length) fail(`it reshapes ${show(inA)} to ${show(target)}, which do not hold the same number of values`);
      if ((left <= right && run.to < inA.length) || run.targetTo >= target.length) left *= inA[run.to++]!;
      else right *= target[run.targetTo++]!;
    } while (left !== right || (run.to < inA.length && inA[run.to] === 1 && run.targetTo >= target.length));
    i = run.to;
    j = run.targetTo;
    const before = inA.slice(run.from, run.to);
    const after = inB.slice(run.from, run.to);
    if (same(before, after)) continue;
    const free = Array.from({ length: run.targetTo - run.targetFrom }, (_, n) => run.targetFrom + n).filter((n) => target[n] !== 1);
    if (free.length !== 1) fail(`it reshapes ${show(inA)} to ${show(target)}, and which of ${show(free.map((n) => target[n]!))} follows the frames is ambiguous`);
    next[free[0]!] = product(after) / product(target.slice(run.targetFrom, run.targetTo).filter((d, n) => run.targetFrom + n !== free[0]));
  }
  return next;
}

/** A copy of tensor `t`'s table with another shape (and shape signature, if it had one). */
function tensorWithShape(m: ParsedModel, t: number, shape: Shape, b: ReturnType<typeof rebuildAround>['b'], oldRef: (table: number, id: number) => number): number {
  const { r } = m;
  const tensor = m.tensors[t]!;
  const shapeVector = int32Vector(b, shape);
  // The signature keeps its unknown (-1) dimensions; the others follow the new shape.
  const signature = r.field(tensor.pos, TENSOR.shapeSignature) ? r.int32s(tensor.pos, TENSOR.shapeSignature, 'a shape signature') : undefined;
  const shapeSignature = signature ? int32Vector(b, shape.map((d, i) => (signature[i] === -1 ? -1 : d))) : 0;
  const name = oldRef(tensor.pos, TENSOR.name);
  const quantization = oldRef(tensor.pos, TENSOR.quantization);
  const sparsity = oldRef(tensor.pos, TENSOR.sparsity);
  const isVariable = r.field(tensor.pos, TENSOR.isVariable);
  const hasRank = r.field(tensor.pos, TENSOR.hasRank);
  if (r.fieldCount(tensor.pos) > TENSOR.hasRank + 1) throw new RebucketError(`tensor "${tensor.name}" has fields this rewrite does not copy`);
  b.startObject(TENSOR.hasRank + 1);
  b.addFieldOffset(TENSOR.shape, shapeVector, 0);
  b.addFieldInt8(TENSOR.type, tensor.type, 0);
  b.addFieldInt32(TENSOR.buffer, tensor.buffer, 0);
  if (name) b.addFieldOffset(TENSOR.name, name, 0);
  if (quantization) b.addFieldOffset(TENSOR.quantization, quantization, 0);
  if (isVariable) b.addFieldInt8(TENSOR.isVariable, r.u8(isVariable), 0);
  if (sparsity) b.addFieldOffset(TENSOR.sparsity, sparsity, 0);
  if (shapeSignature) b.addFieldOffset(TENSOR.shapeSignature, shapeSignature, 0);
  if (hasRank) b.addFieldInt8(TENSOR.hasRank, r.u8(hasRank), 0);
  return b.endObject();
}
