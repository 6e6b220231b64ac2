// Smaller frame buckets by rewriting a graph's static shapes (tflite-rebucket.ts): the rewritten
// graph must be the graph the writer would have made for that many frames, and on the shadow
// vocoder it must give the full graph's output on the real frames.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_FILES } from '../../src-main/engine/kokoro/binding';
import { loadLiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import type { LiteRtRuntime, TensorData } from '../../src-main/engine/kokoro/litert-runtime';
import { rebucketFrames, RebucketError, VOCODER_FRAME_AXES, PROSODY_FRAME_AXES, REBUCKET_MARGIN_FRAMES } from '../../src-main/engine/kokoro/tflite-rebucket';
import { leadingFrames } from '../../src-main/engine/kokoro/pipeline';
import { parse } from '../../src-main/engine/kokoro/tflite-model';
import { FRAME_BUCKET, HAR_ROWS, N_BINS, STFT_FRAMES } from '../../src-shared/kokoro/constants';
import { Mulberry32 } from '../../src-shared/kokoro/random';
import { writeShadowModel } from '../../scripts/lib/kokoro-shadow';
import { TfliteGraphWriter } from '../../scripts/lib/tflite-writer';
import { buildProsody, buildVocoder } from '../helpers/kokoro-fixtures';
import { ROOT } from '../helpers/paths';

const VOCAB = join(ROOT, '..', 'shared', 'kokoro', 'vocab.json');

let dir: string;
let runtime: LiteRtRuntime;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kokoro-rebucket-'));
  writeShadowModel(dir, VOCAB, { scale: 0.05 });
  runtime = await loadLiteRtRuntime({ log: () => undefined });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function uniform(count: number, seed: number, centre = 0, spread = 1): Float32Array {
  const r = new Mulberry32(seed);
  return Float32Array.from({ length: count }, () => centre + spread * (2 * r.uniform() - 1));
}

async function run(bytes: Uint8Array, inputs: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const model = await runtime.loadModel(bytes, 'rebucket test');
  try {
    return await model.run(inputs);
  } finally {
    model.delete();
  }
}

/**
 * The ops a bucket rewrite must follow, over `frames` frames, with the same weights whatever
 * `frames` is: channels-first input transposed to NHWC, same and valid convolutions (one with
 * stride 2), a same and a valid (cropped) transpose conv, padding, a masked mean over the
 * frames, split, concat, fully connected, batch matmul and reshapes that add and drop unit dims.
 */
function layers(frames: number): Uint8Array {
  const w = new TfliteGraphWriter();
  let seed = 1;
  const weights = (shape: number[]): number => w.constant(uniform(shape.reduce((a, b) => a * b, 1), seed++), shape);
  const x = w.input('x', 'float32', [1, 4, frames]);
  const mask = w.input('mask', 'float32', [1, frames]);
  let h = w.reshape(w.transpose(x, [0, 2, 1]), [1, 1, frames, 4]);
  h = w.conv2d(h, weights([6, 1, 3, 4]), weights([6]), { dilation: 2 });
  const m = w.reshape(mask, [1, 1, frames, 1]);
  const mean = w.div(w.reduce('SUM', w.mul(h, m), [2]), w.reduce('SUM', m, [2]));
  h = w.sub(h, mean);
  h = w.conv2d(w.pad(h, [[0, 0], [0, 0], [2, 2], [0, 0]]), weights([6, 1, 5, 6]), weights([6]), { padding: 'valid' });
  const [a, b] = w.split(h, 3, 2) as [number, number];
  h = w.concat([w.unary('TANH', a), w.unary('LOGISTIC', b)], 3);
  h = w.conv2d(h, weights([8, 1, 3, 6]), weights([8]), { stride: 2 });
  h = w.transposeConv(h, weights([6, 1, 4, 8]), weights([6]), 2);
  const up = w.transposeConv(h, weights([5, 1, 5, 6]), undefined, 3, 'valid');
  const steps = 3 * frames;
  const cropped = w.slice(up, [0, 0, 1, 0], [1, 1, steps, 5]);
  const rows = w.fullyConnected(w.reshape(cropped, [steps, 5]), weights([3, 5]), weights([3]));
  const gram = w.batchMatMul(rows, rows, true, false);
  w.output(w.reshape(w.transpose(rows, [1, 0]), [1, 3, steps]), 'y');
  w.output(gram, 'gram');
  return w.build();
}

const LAYER_AXES = { x: { axis: 2, perFrame: 1 }, mask: { axis: 1, perFrame: 1 }, y: { axis: 2, perFrame: 3 } };

function tensorShapes(bytes: Uint8Array): number[][] {
  return parse(bytes).tensors.map((t) => t.shape);
}

describe('frame bucket rewrite', () => {
  it("turns a graph written for 64 frames into the one the writer makes for 16: every tensor's shape, and the same outputs bit for bit", async () => {
    const rewritten = rebucketFrames(layers(64), LAYER_AXES, 64, 16);
    expect(tensorShapes(rewritten.bytes)).toEqual(tensorShapes(layers(16)));
    expect(rewritten.outputs).toEqual({ y: [1, 3, 48], gram: [3, 3] });
    expect(rewritten.constants).toBeGreaterThan(0);
    const inputs = { x: uniform(4 * 16, 50), mask: Float32Array.from({ length: 16 }, (_, i) => (i < 12 ? 1 : 0)) };
    const [got, want] = [await run(rewritten.bytes, inputs), await run(layers(16), inputs)];
    expect(Array.from(got.y as Float32Array)).toEqual(Array.from(want.y as Float32Array));
    expect(Array.from(got.gram as Float32Array)).toEqual(Array.from(want.gram as Float32Array));
    // The stored bucket comes back unchanged.
    expect(rebucketFrames(layers(64), LAYER_AXES, 64, 64).tensors).toBe(0);
  });

  it('gives the shadow vocoder the same spec and phase on every real frame as the full graph, when the real frames end the margin before the small bucket does', async () => {
    const full = readFileSync(join(dir, GRAPH_FILES.vocoder));
    const small = 128;
    const rewritten = rebucketFrames(full, VOCODER_FRAME_AXES, FRAME_BUCKET, small);
    const steps = 120 * small + 1;
    expect(rewritten.outputs).toEqual({ spec: [1, N_BINS, steps], phase: [1, N_BINS, steps] });

    // What the engine gives the full graph: zero asr past the real frames (t_en @ aln), F0, N
    // and the harmonic source everywhere (prosody fills the padding too), frame_mask on the real frames.
    const real = small - REBUCKET_MARGIN_FRAMES;
    const asr = uniform(512 * FRAME_BUCKET, 2).map((v, i) => (i % FRAME_BUCKET < real ? v : 0));
    const f0 = uniform(2 * FRAME_BUCKET, 3, 150, 40);
    const n = uniform(2 * FRAME_BUCKET, 4);
    const har = uniform(HAR_ROWS * STFT_FRAMES, 5);
    const refS = uniform(256, 6);
    const mask = Float32Array.from({ length: FRAME_BUCKET }, (_, f) => (f < real ? 1 : 0));
    const whole = await run(full, { asr, F0: f0, N: n, har, ref_s: refS, frame_mask: mask });
    const part = await run(rewritten.bytes, {
      asr: leadingFrames(asr, 512, FRAME_BUCKET, small),
      F0: f0.subarray(0, 2 * small),
      N: n.subarray(0, 2 * small),
      har: leadingFrames(har, HAR_ROWS, STFT_FRAMES, steps),
      ref_s: refS,
      frame_mask: mask.subarray(0, small),
    });
    for (const name of ['spec', 'phase']) {
      const realSteps = leadingFrames(whole[name] as Float32Array, N_BINS, STFT_FRAMES, 120 * real);
      expect(Array.from(leadingFrames(part[name] as Float32Array, N_BINS, steps, 120 * real)), name).toEqual(Array.from(realSteps));
    }
    // The margin is needed: near its end the small graph's convolutions see its edge, not padding.
    const tail = (values: Float32Array, width: number): number[] => Array.from(leadingFrames(values, N_BINS, width, steps)).slice(-120);
    expect(tail(part.spec as Float32Array, steps)).not.toEqual(tail(whole.spec as Float32Array, STFT_FRAMES));
  });

  it('refuses the shadow prosody graph, naming the SLICE of its unrolled LSTM that a smaller bucket has no frame for', () => {
    const prosody = readFileSync(join(dir, GRAPH_FILES.prosody));
    expect(() => rebucketFrames(prosody, PROSODY_FRAME_AXES, FRAME_BUCKET, 128)).toThrow(RebucketError);
    expect(() => rebucketFrames(prosody, PROSODY_FRAME_AXES, FRAME_BUCKET, 128)).toThrow(/SLICE.*takes values 128 to 128 of the 512 on axis 0.*unrolled loop/);
  });

  it('refuses the fixture graphs, whose outputs are constants of the whole bucket', () => {
    const vocoder = buildVocoder('descriptive', new Float32Array(N_BINS * STFT_FRAMES), new Float32Array(N_BINS * STFT_FRAMES), 0);
    expect(() => rebucketFrames(vocoder, VOCODER_FRAME_AXES, FRAME_BUCKET, 128)).toThrow(/output "(spec|phase)" would be \[1,11,61441\] with 128 frames, not \[1,11,15361\]: it does not follow the frames/);
    const prosody = buildProsody('descriptive', new Float32Array(2 * FRAME_BUCKET));
    expect(() => rebucketFrames(prosody, PROSODY_FRAME_AXES, FRAME_BUCKET, 128)).toThrow(/output "(asr|F0|N)" .*it does not follow the frames/);
  });

  it('refuses what it cannot rewrite safely, and says what', () => {
    const split = new TfliteGraphWriter();
    split.output(split.reshape(split.input('x', 'float32', [1, 4 * 64]), [64, 4]), 'y');
    expect(() => rebucketFrames(split.build(), { x: { axis: 1, perFrame: 4 } }, 64, 16)).toThrow(/RESHAPE.*\[64,4\].*ambiguous/);

    const table = new TfliteGraphWriter();
    table.output(table.add(table.input('x', 'float32', [1, 64]), table.constant(uniform(64, 1), [1, 64])), 'y');
    expect(() => rebucketFrames(table.build(), { x: { axis: 1, perFrame: 1 } }, 64, 16)).toThrow(/ADD.*constant .*\[1,64\] runs along the frames/);

    // One target-shape constant read by two RESHAPEs, one along the frames and one not.
    const shared = new TfliteGraphWriter();
    const target = shared.constant(Int32Array.of(64, 1), [2]);
    shared.output(shared.reshape(shared.input('x', 'float32', [1, 64]), [64, 1], undefined, target), 'a');
    shared.output(shared.reshape(shared.input('channels', 'float32', [1, 64]), [64, 1], undefined, target), 'b');
    expect(() => rebucketFrames(shared.build(), { x: { axis: 1, perFrame: 1 }, a: { axis: 0, perFrame: 1 } }, 64, 16)).toThrow(/constant .* would become \[16,1\] for operator 0, but operator 1 reads it too and does not change/);

    const concat = new TfliteGraphWriter();
    concat.output(concat.concat([concat.input('x', 'float32', [1, 64]), concat.constant(uniform(64, 2), [1, 64])], 0), 'y');
    expect(() => rebucketFrames(concat.build(), { x: { axis: 1, perFrame: 1 } }, 64, 16)).toThrow(/CONCATENATION.*would no longer agree off axis 0: \[1,16\], \[1,64\]/);

    const gather = new TfliteGraphWriter();
    gather.output(gather.gather(gather.input('x', 'float32', [64, 3]), gather.constant(Int32Array.of(0, 5), [2])), 'y');
    expect(() => rebucketFrames(gather.build(), { x: { axis: 0, perFrame: 1 } }, 64, 16)).toThrow(/GATHER.*along a frame axis/);

    const layers64 = layers(64);
    expect(() => rebucketFrames(layers64, { ...LAYER_AXES, y: { axis: 2, perFrame: 2 } }, 64, 16)).toThrow(/output "y" would be \[1,3,48\] with 16 frames, not \[1,3,32\]/);
    expect(() => rebucketFrames(layers64, { x: LAYER_AXES.x, mask: LAYER_AXES.mask }, 64, 16)).toThrow(/output "y" .*nothing says how/);
    expect(() => rebucketFrames(layers64, { x: { axis: 2, perFrame: 2 } }, 64, 16)).toThrow(/input "x" \[1,4,64\] should hold 128 values on axis 2/);
    expect(() => rebucketFrames(layers64, { nope: { axis: 0, perFrame: 1 } }, 64, 16)).toThrow(/no input or output "nope"/);
    expect(() => rebucketFrames(layers64, LAYER_AXES, 64, 65)).toThrow(/from 1 to 64/);
  });
});
