import { beforeAll, describe, expect, it } from 'vitest';
import { loadLiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import type { LiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import { readTfliteSummary, rewriteInt64Io } from '../../src-main/engine/kokoro/tflite-model';
import { AppError } from '../../src-shared/errors/catalogue';
import { buildPredictor } from '../helpers/kokoro-fixtures';
import { TfliteGraphWriter } from '../../scripts/lib/tflite-writer';

let runtime: LiteRtRuntime;
beforeAll(async () => {
  runtime = await loadLiteRtRuntime({ log: () => undefined });
});

/** ids (int64) -> float ids * 2 as `scaled`, and ids + 1 as an int64 output `next`. */
function int64Graph(): Uint8Array {
  const w = new TfliteGraphWriter();
  const ids = w.input('serving_default_args_0', 'int64', [1, 4], 'serving_default_args_0:0');
  const mask = w.input('mask', 'float32', [1, 4]);
  const scaled = w.mul(w.cast(ids, 'float32'), w.constant(Float32Array.of(2), [1, 1]));
  w.output(w.add(scaled, mask), 'scaled');
  w.output(w.add(ids, w.constant(BigInt64Array.of(1n), [1, 1])), 'next');
  return w.build();
}

describe('int64 signature tensors', () => {
  it('are what LiteRT.js rejects as they are', async () => {
    let error: unknown;
    try {
      (await runtime.loadModel(int64Graph(), 'int64 as is')).delete();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('MODEL_LOAD_FAILED');
    expect((error as AppError).message).toMatch(/INT64/);
  });

  it('are rewritten to int32 with CASTs, keeping names, and then run', async () => {
    const original = int64Graph();
    const rewrite = rewriteInt64Io(original);
    expect(rewrite.inputs).toEqual(['serving_default_args_0']);
    expect(rewrite.outputs).toEqual(['next']);
    const summary = readTfliteSummary(rewrite.bytes);
    expect(summary.inputs.map((t) => [t.name, t.dtype, t.shape])).toEqual([
      ['serving_default_args_0', 'int32', [1, 4]],
      ['mask', 'float32', [1, 4]],
    ]);
    expect(summary.outputs.map((t) => [t.name, t.dtype])).toEqual([
      ['scaled', 'float32'],
      ['next', 'int32'],
    ]);
    expect(summary.operatorCount).toBe(readTfliteSummary(original).operatorCount + 2);

    const model = await runtime.loadModel(rewrite.bytes, 'rewritten');
    try {
      const out = await model.run({ serving_default_args_0: Int32Array.of(0, 5, 177, 3), mask: Float32Array.of(0.5, 0, 0, 0) });
      expect(Array.from(out.scaled!)).toEqual([0.5, 10, 354, 6]);
      expect(out.next).toBeInstanceOf(Int32Array);
      expect(Array.from(out.next!)).toEqual([1, 6, 178, 4]);
    } finally {
      model.delete();
    }
  });

  it('leave other models byte for byte as they are', () => {
    const bytes = buildPredictor('descriptive', new Float32Array(128));
    expect(rewriteInt64Io(bytes).bytes).toBe(bytes);
  });

  it('work for a predictor with int64 ids', async () => {
    const duration = Float32Array.from({ length: 128 }, (_, i) => i / 4);
    const rewrite = rewriteInt64Io(buildPredictor('int64', duration));
    expect(rewrite.inputs).toEqual(['args_0']);
    const model = await runtime.loadModel(rewrite.bytes, 'predictor int64');
    try {
      const ids = new Int32Array(128);
      ids.set([0, 43, 102, 0]);
      const attn = new Float32Array(128).fill(1, 0, 4);
      const out = await model.run({ args_0: ids, args_1: new Float32Array(256), args_2: attn });
      expect(Array.from(out.output_0!)).toEqual(Array.from(duration));
    } finally {
      model.delete();
    }
  });
});
