import { beforeAll, describe, expect, it } from 'vitest';
import { loadLiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import type { LiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import { readTfliteSummary, TfliteFormatError } from '../../src-main/engine/kokoro/tflite-model';
import { broadcastShape, TfliteGraphWriter } from '../../scripts/lib/tflite-writer';

let runtime: LiteRtRuntime;
beforeAll(async () => {
  runtime = await loadLiteRtRuntime({ log: () => undefined });
});

/** y = reshape(x * k + c) sliced, plus an int path through CAST: every op the fixtures use. */
function sampleGraph(): Uint8Array {
  const w = new TfliteGraphWriter();
  const x = w.input('x', 'float32', [1, 6]);
  const ids = w.input('ids', 'int32', [1, 6]);
  const k = w.constant(Float32Array.of(2), [1, 1]);
  const c = w.constant(Float32Array.of(1, 2, 3, 4, 5, 6), [1, 6]);
  const scaled = w.add(w.mul(x, k), c);
  const fromIds = w.cast(ids, 'float32');
  const diff = w.sub(scaled, fromIds);
  w.output(w.reshape(diff, [1, 2, 3]), 'grid');
  w.output(w.slice(scaled, [0, 2], [1, 3]), 'middle');
  return w.build();
}

describe('TFLite writer', () => {
  it('writes graphs that LiteRT.js loads and runs with the expected results', async () => {
    const model = await runtime.loadModel(sampleGraph(), 'sample');
    try {
      expect(model.inputs).toEqual([
        { name: 'x', dtype: 'float32', shape: [1, 6] },
        { name: 'ids', dtype: 'int32', shape: [1, 6] },
      ]);
      expect(model.outputs.map((o) => [o.name, o.shape])).toEqual([
        ['grid', [1, 2, 3]],
        ['middle', [1, 3]],
      ]);
      const out = await model.run({ x: Float32Array.of(0, 1, 2, 3, 4, 5), ids: Int32Array.of(1, 1, 1, 1, 1, 10) });
      // 2x + c - ids
      expect(Array.from(out.grid!)).toEqual([0, 3, 6, 9, 12, 6]);
      expect(Array.from(out.middle!)).toEqual([7, 10, 13]);
    } finally {
      model.delete();
    }
  });

  it('reads back names, dtypes and shapes, with the signature in subgraph order', () => {
    const summary = readTfliteSummary(sampleGraph());
    expect(summary.version).toBe(3);
    expect(summary.signatureKey).toBe('serving_default');
    // The SignatureDef is sorted by name (ids, x) as the converter writes it; the subgraph order wins.
    expect(summary.inputs.map((t) => [t.name, t.tensorName, t.dtype, t.shape])).toEqual([
      ['x', 'serving_default_x:0', 'float32', [1, 6]],
      ['ids', 'serving_default_ids:0', 'int32', [1, 6]],
    ]);
    expect(summary.outputs.map((t) => t.name)).toEqual(['grid', 'middle']);
  });

  it('without a SignatureDef, tensors go by their own names (as LiteRT.js reports them)', async () => {
    const w = new TfliteGraphWriter();
    const x = w.input('x', 'float32', [1, 2]);
    w.output(w.add(x, w.constant(Float32Array.of(1, 1), [1, 2]), 'sum'), 'y');
    const bytes = w.build({ noSignature: true });
    const summary = readTfliteSummary(bytes);
    expect(summary.signatureKey).toBeNull();
    const model = await runtime.loadModel(bytes, 'nosig');
    try {
      expect(summary.inputs.map((t) => t.name)).toEqual(model.inputs.map((t) => t.name));
      expect(summary.outputs.map((t) => t.name)).toEqual(model.outputs.map((t) => t.name));
    } finally {
      model.delete();
    }
  });

  it('writes the layer ops with their options (fully connected, dilated and strided convs, transpose conv, split, reductions) as LiteRT computes them', async () => {
    const w = new TfliteGraphWriter();
    const x = w.input('x', 'float32', [1, 1, 6, 1]);
    const ones = (shape: number[]): number => w.constant(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape);
    const zero = w.constant(Float32Array.of(0), [1]);
    // y[t] = x[t-2] + x[t] + x[t+2] (zero outside), then stride 2 picks t = 0, 2, 4.
    w.output(w.conv2d(x, ones([1, 1, 3, 1]), zero, { dilation: 2 }), 'dilated');
    w.output(w.conv2d(x, ones([1, 1, 2, 1]), zero, { stride: 2, padding: 'valid' }), 'strided');
    // Each step spread over two outputs (kernel 2, stride 2): every value twice.
    w.output(w.transposeConv(x, ones([1, 1, 2, 1]), undefined, 2), 'spread');
    const rows = w.reshape(x, [3, 2]);
    w.output(w.fullyConnected(rows, w.constant(Float32Array.of(1, 10, -1, 0), [2, 2]), w.constant(Float32Array.of(0.5, 0), [2])), 'fc');
    const [left, right] = w.split(rows, 1, 2) as [number, number];
    w.output(w.concat([right, left], 1), 'swapped');
    w.output(w.reduce('SUM', w.reshape(x, [1, 6]), [1]), 'total');
    const model = await runtime.loadModel(w.build(), 'layers');
    try {
      const out = await model.run({ x: Float32Array.of(1, 2, 3, 4, 5, 6) });
      expect(Array.from(out.dilated!)).toEqual([4, 6, 9, 12, 8, 10]);
      expect(Array.from(out.strided!)).toEqual([3, 7, 11]);
      expect(Array.from(out.spread!)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
      expect(Array.from(out.fc!)).toEqual([21.5, -1, 43.5, -3, 65.5, -5]);
      expect(Array.from(out.swapped!)).toEqual([2, 1, 4, 3, 6, 5]);
      expect(Array.from(out.total!)).toEqual([21]);
    } finally {
      model.delete();
    }
  });

  it('rejects truncated and foreign bytes with a reason', () => {
    const bytes = sampleGraph();
    expect(() => readTfliteSummary(bytes.subarray(0, bytes.length - 40))).toThrow(TfliteFormatError);
    expect(() => readTfliteSummary(new TextEncoder().encode('<html>not a model</html>'))).toThrow(/not a TFLite model/);
    expect(() => readTfliteSummary(new Uint8Array(3))).toThrow(/only 3 bytes/);
  });

  it('broadcasts shapes as NumPy does', () => {
    expect(broadcastShape([1, 11, 61441], [1, 1])).toEqual([1, 11, 61441]);
    expect(broadcastShape([1, 128, 1], [1, 1, 640])).toEqual([1, 128, 640]);
    expect(() => broadcastShape([1, 3], [1, 4])).toThrow();
  });
});
