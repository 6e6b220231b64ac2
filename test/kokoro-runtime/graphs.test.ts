import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KokoroGraphs } from '../../src-main/engine/kokoro/graphs';
import { loadLiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import type { LiteRtRuntime } from '../../src-main/engine/kokoro/litert-runtime';
import { AppError } from '../../src-shared/errors/catalogue';
import { maxAbsDiff } from '../helpers/goldens';
import { FIXTURE_CASES, FIXTURE_STYLES, writeKokoroFixture } from '../helpers/kokoro-fixtures';
import type { FixtureDir } from '../helpers/kokoro-fixtures';

let root: string;
let runtime: LiteRtRuntime;
const logs: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kokoro-graphs-'));
  runtime = await loadLiteRtRuntime({ log: (line) => logs.push(line) });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function fixture(style: (typeof FIXTURE_STYLES)[number]): FixtureDir {
  return writeKokoroFixture(mkdtempSync(join(root, `${style}-`)), style);
}

/** Inputs as the pipeline makes them for a 5-token chunk. */
function chunkInputs(): { ids: Int32Array; refS: Float32Array; attn: Float32Array; aln: Float32Array; frameMask: Float32Array; har: Float32Array } {
  const ids = new Int32Array(128);
  ids.set([0, 50, 83, 156, 0]);
  const attn = new Float32Array(128).fill(1, 0, 5);
  const refS = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i));
  const aln = new Float32Array(128 * 512);
  const frameMask = new Float32Array(512).fill(1, 0, 40);
  const har = Float32Array.from({ length: 22 * 61441 }, (_, i) => (i % 7) / 7);
  return { ids, refS, attn, aln, frameMask, har };
}

describe('KokoroGraphs', () => {
  it('logs the variant it chose, once', () => {
    const variantLines = logs.filter((l) => l.includes('variant'));
    expect(variantLines.length).toBeLessThanOrEqual(1);
    expect(['threaded', 'simd', 'compat', 'unknown']).toContain(runtime.variant);
  });

  for (const style of FIXTURE_STYLES) {
    it(`runs the ${style} fixture through the three graphs and replays the goldens`, async () => {
      const fx = fixture(style);
      expect(fx.expected.cases).toEqual(FIXTURE_CASES);
      const loadLog: string[] = [];
      const graphs = await KokoroGraphs.load(fx.dir, { runtime, log: (l) => loadLog.push(l) });
      try {
        expect(loadLog).toHaveLength(5);
        // The fixture's spec and phase are constants of the whole bucket: no smaller copies, said why.
        expect(loadLog[2]).toMatch(/^\[kokoro\] kokoro_vocoder\.tflite: no 384-frame copy \(output ".+" would be \[1,11,61441\] with 384 frames, not \[1,11,46081\]: it does not follow the frames\)$/);
        expect(loadLog[3]).toMatch(/^\[kokoro\] kokoro_vocoder\.tflite: no 128-frame copy \(output ".+" would be \[1,11,61441\] with 128 frames, not \[1,11,15361\]: it does not follow the frames\)$/);
        expect(loadLog[4]).toMatch(/^\[kokoro\] kokoro_vocoder\.tflite: inputs /);
        expect(graphs.vocoderBuckets).toEqual([512]);
        expect(loadLog[0]).toMatch(/^\[kokoro\] kokoro_predictor\.tflite: inputs ids <- /);
        if (style === 'int64') expect(loadLog[0]).toContain('(int64 args_0 passed as int32 through a CAST)');
        expect(graphs.binding('vocoder').inputs.map((b) => b.by)).toEqual(style === 'descriptive' ? ['name', 'name', 'name', 'name', 'name', 'name'] : ['shape', 'order', 'order', 'shape', 'shape', 'shape']);

        const x = chunkInputs();
        const p = await graphs.predict({ ids: x.ids, refS: x.refS, attn: x.attn });
        expect(p.duration).toEqual(fx.expected.duration);
        expect(p.d.length).toBe(128 * 640);
        expect(p.d[4 * 640 + 639]).toBe(1); // d[i, :] = attn[i]
        expect(p.d[5 * 640]).toBe(0);
        expect(p.tEn.length).toBe(512 * 128);

        const q = await graphs.prosody({ d: p.d, tEn: p.tEn, aln: x.aln, refS: x.refS, frameMask: x.frameMask });
        expect(q.f0).toEqual(fx.expected.f0);
        expect(q.n).toEqual(fx.expected.n);
        expect(q.asr.length).toBe(512 * 512);
        expect(q.asr[39 * 512]).toBe(1); // asr[f, :] = frame_mask[f]
        expect(q.asr[40 * 512]).toBe(0);

        const v = await graphs.vocode({ asr: q.asr, f0: q.f0, n: q.n, har: x.har, refS: x.refS, frameMask: x.frameMask });
        expect(maxAbsDiff(v.spec, fx.expected.spec)).toBe(0);
        expect(maxAbsDiff(v.phase, fx.expected.phase)).toBe(0);

        // F0 and N fed the wrong way round change the output: the fixture would catch a swapped binding.
        const swapped = await graphs.vocode({ asr: q.asr, f0: q.n, n: q.f0, har: x.har, refS: x.refS, frameMask: x.frameMask });
        expect(maxAbsDiff(swapped.spec, fx.expected.spec)).toBeGreaterThan(1);
      } finally {
        graphs.dispose();
      }
    });
  }

  it('deletes every tensor: the wasm heap does not grow over repeated runs', async () => {
    const graphs = await KokoroGraphs.load(fixture('descriptive').dir, { runtime, log: () => undefined });
    const deleteSpy = vi.spyOn(runtime.core.Tensor.prototype, 'delete');
    try {
      const x = chunkInputs();
      const once = async (): Promise<void> => {
        const p = await graphs.predict({ ids: x.ids, refS: x.refS, attn: x.attn });
        const q = await graphs.prosody({ d: p.d, tEn: p.tEn, aln: x.aln, refS: x.refS, frameMask: x.frameMask });
        await graphs.vocode({ asr: q.asr, f0: q.f0, n: q.n, har: x.har, refS: x.refS, frameMask: x.frameMask });
      };
      await once();
      // 3+3 predictor, 5+3 prosody, 6+2 vocoder tensors.
      expect(deleteSpy).toHaveBeenCalledTimes(22);
      await once();
      const heap = runtime.heapBytes();
      // A leaked spec/phase pair alone would be 5.4 MB a run.
      for (let i = 0; i < 8; i++) await once();
      expect(runtime.heapBytes()).toBe(heap);
      expect(deleteSpy).toHaveBeenCalledTimes(22 * 10);
    } finally {
      deleteSpy.mockRestore();
      graphs.dispose();
    }
  });

  it('checks input lengths before running', async () => {
    const graphs = await KokoroGraphs.load(fixture('positional').dir, { runtime, log: () => undefined });
    try {
      const x = chunkInputs();
      const error = await graphs.predict({ ids: new Int32Array(127), refS: x.refS, attn: x.attn }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toContain('predictor input ids: 127 values, expected 128');
    } finally {
      graphs.dispose();
    }
  });

  it('turns a missing or corrupt file into a catalogue error, not a crash', async () => {
    const fx = fixture('descriptive');
    writeFileSync(join(fx.dir, 'kokoro_prosody.tflite'), Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 255));
    const corrupt = await KokoroGraphs.load(fx.dir, { runtime, log: () => undefined }).catch((e: unknown) => e);
    expect(corrupt).toBeInstanceOf(AppError);
    expect((corrupt as AppError).code).toBe('MODEL_INVALID');
    expect((corrupt as AppError).message).toMatch(/kokoro_prosody\.tflite: not a TFLite model/);

    unlinkSync(join(fx.dir, 'kokoro_vocoder.tflite'));
    writeFileSync(join(fx.dir, 'kokoro_prosody.tflite'), new Uint8Array(0));
    const empty = await KokoroGraphs.load(fx.dir, { runtime, log: () => undefined }).catch((e: unknown) => e);
    expect((empty as AppError).code).toBe('MODEL_INVALID');

    const other = fixture('positional');
    unlinkSync(join(other.dir, 'kokoro_vocoder.tflite'));
    const missing = await KokoroGraphs.load(other.dir, { runtime, log: () => undefined }).catch((e: unknown) => e);
    expect((missing as AppError).code).toBe('MODEL_MISSING');
    expect((missing as AppError).message).toContain('kokoro_vocoder.tflite is not in');

    // Bytes that get past the flatbuffer check fail inside LiteRT as MODEL_LOAD_FAILED.
    const garbage = await runtime.loadModel(Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 255), 'garbage').catch((e: unknown) => e);
    expect((garbage as AppError).code).toBe('MODEL_LOAD_FAILED');

    // The runtime still works afterwards.
    const graphs = await KokoroGraphs.load(fixture('int64').dir, { runtime, log: () => undefined });
    graphs.dispose();
  });
});
