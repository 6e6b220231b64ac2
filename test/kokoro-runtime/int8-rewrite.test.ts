// The "fast" precision's rewrite (tflite-int8.ts): a downloaded fp32 graph gets int8 weights per
// output channel. Checked against the writer's own int8 graphs, made from the same weights.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import type { LiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import { quantizeWeightsInt8 } from '../../src-main/engine/kokoro/tflite-int8';
import type { WeightTensor } from '../../src-main/engine/kokoro/tflite-int8';
import { readTfliteSummary, TfliteFormatError } from '../../src-main/engine/kokoro/tflite-model';
import { Mulberry32 } from '../../src-shared/kokoro/random';
import { TfliteGraphWriter } from '../../scripts/lib/tflite-writer';

let runtime: LiteRtRuntime;
beforeAll(async () => {
  runtime = await loadLiteRtRuntime({ log: () => undefined });
});

const FRAMES = 16;
const CHANNELS = 8;

function random(count: number, seed: number): Float32Array {
  const r = new Mulberry32(seed);
  return Float32Array.from({ length: count }, () => 2 * r.uniform() - 1);
}

/**
 * conv -> transpose conv -> fully connected, plus a constant that a MUL reads (not a weight):
 * `int8` stores the three weights as int8 as the writer does, else as float. Output channel c
 * of each weight is 2^c times larger, so its scales differ by up to 128x: a kernel that read
 * one scale for all channels, or scaled along another axis, would be far off.
 */
function layers(int8: boolean): Uint8Array {
  const w = new TfliteGraphWriter();
  const kernel = (shape: number[], seed: number): number => {
    const perChannel = shape.slice(1).reduce((a, b) => a * b, 1);
    const values = random(shape.reduce((a, b) => a * b, 1), seed).map((v, i) => v * 2 ** Math.floor(i / perChannel));
    return int8 ? w.constantInt8(values, shape, 0) : w.constant(values, shape);
  };
  const x = w.input('x', 'float32', [1, 1, FRAMES, CHANNELS]);
  const conv = w.conv2d(x, kernel([CHANNELS, 1, 3, CHANNELS], 1), w.constant(random(CHANNELS, 2), [CHANNELS]));
  const up = w.transposeConv(conv, kernel([CHANNELS, 1, 2, CHANNELS], 3), undefined, 2);
  const rows = w.reshape(up, [2 * FRAMES, CHANNELS]);
  const fc = w.fullyConnected(rows, kernel([4, CHANNELS], 4), w.constant(random(4, 5), [4]));
  w.output(w.mul(fc, w.constant(random(4, 6), [4])), 'y');
  return w.build();
}

async function run(bytes: Uint8Array, x: Float32Array): Promise<Float32Array> {
  const model = await runtime.loadModel(bytes, 'int8 rewrite');
  try {
    return (await model.run({ x })).y as Float32Array;
  } finally {
    model.delete();
  }
}

describe('int8 rewrite of fp32 graphs', () => {
  it("stores conv, transpose conv and fully connected weights as int8 exactly as the writer's int8 graph does, and nothing else", async () => {
    const seen: WeightTensor[] = [];
    const rewrite = quantizeWeightsInt8(layers(false), (weight) => {
      seen.push(weight);
      return true;
    });
    expect(rewrite.quantized).toBe(3);
    expect(rewrite.candidates).toBe(3);
    expect(seen.map((weight) => [weight.op, weight.outputChannels])).toEqual([
      ['CONV_2D', CHANNELS],
      ['TRANSPOSE_CONV', CHANNELS],
      ['FULLY_CONNECTED', 4],
    ]);
    // The original file is kept whole, 16-byte aligned as its own buffers were.
    const original = layers(false);
    const at = Buffer.from(rewrite.bytes).indexOf(Buffer.from(original.subarray(0, 64)));
    expect(at).toBeGreaterThan(0);
    expect(at % 16).toBe(0);
    // The signature is unchanged.
    expect(readTfliteSummary(rewrite.bytes).inputs.map((t) => [t.name, t.dtype, t.shape])).toEqual([['x', 'float32', [1, 1, FRAMES, CHANNELS]]]);

    const x = random(FRAMES * CHANNELS, 9);
    const [exact, rewritten, written] = [await run(layers(false), x), await run(rewrite.bytes, x), await run(layers(true), x)];
    expect(Array.from(rewritten)).toEqual(Array.from(written));
    // Rounded, not the same: the int8 kernels did run.
    expect(Array.from(rewritten)).not.toEqual(Array.from(exact));
    // Each of the 4 outputs against its own range: the small channels count as much as the large.
    for (let unit = 0; unit < 4; unit++) {
      const column = (values: Float32Array): number[] => Array.from(values).filter((_, i) => i % 4 === unit);
      const error = Math.max(...column(rewritten).map((v, i) => Math.abs(v - column(exact)[i]!)));
      expect(error, `output ${unit}`).toBeLessThan(0.02 * Math.max(...column(exact).map(Math.abs)));
    }
  });

  it('rounds only the weights chosen, and returns the model unchanged when none is', async () => {
    const onlyConv = quantizeWeightsInt8(layers(false), (weight) => weight.op === 'CONV_2D');
    expect(onlyConv.quantized).toBe(1);
    const x = random(FRAMES * CHANNELS, 10);
    const [exact, mixed, all] = [await run(layers(false), x), await run(onlyConv.bytes, x), await run(quantizeWeightsInt8(layers(false)).bytes, x)];
    expect(Array.from(mixed)).not.toEqual(Array.from(exact));
    expect(Array.from(mixed)).not.toEqual(Array.from(all));

    const fp32 = layers(false);
    const none = quantizeWeightsInt8(fp32, () => false);
    expect(none.quantized).toBe(0);
    expect(none.bytes).toBe(fp32);
  });

  it('leaves weights that are already int8 alone, and refuses bytes that are not a model', () => {
    expect(quantizeWeightsInt8(layers(true)).candidates).toBe(0);
    expect(() => quantizeWeightsInt8(new Uint8Array(64))).toThrow(TfliteFormatError);
  });
});
