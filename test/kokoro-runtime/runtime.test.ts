import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLoaderCacheDir, LiteRtRuntime, litertVersion, litertWasmDir, loadLiteRtRuntime, probeVariants, toRuntimeError } from '../../src-main/engine/kokoro/litert-runtime';
import { AppError } from '../../src-shared/errors/catalogue';
import { PROJECT_ROOT } from '../helpers/goldens';
import { TfliteGraphWriter } from '../../scripts/lib/tflite-writer';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'kokoro-runtime-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

interface ChildResult {
  variant?: string;
  threads?: number;
  y?: number[];
  error?: string;
  message?: string;
  logs: string[];
  cache: string;
}

async function child(variant: string, prepare?: (cache: string) => void): Promise<ChildResult> {
  const cache = mkdtempSync(join(root, `${variant}-`));
  prepare?.(cache);
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'test/kokoro-runtime/variant-child.ts'), cache], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, KOKORO_LITERT_VARIANT: variant },
    timeout: 60_000,
  });
  return { ...(JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<ChildResult, 'cache'>), cache };
}

describe('LiteRT runtime', () => {
  it('is loaded once per process and logs its variant once', async () => {
    const logs: string[] = [];
    const a = await loadLiteRtRuntime({ log: (l) => logs.push(l) });
    const b = await loadLiteRtRuntime({ log: (l) => logs.push(l) });
    expect(b).toBe(a);
    expect(logs.length).toBeLessThanOrEqual(1);
    if (logs[0]) expect(logs[0]).toMatch(/^\[kokoro\] LiteRT\.js \d+\.\d+\.\d+: (threaded|simd|compat) variant, \d+ threads?, loaded in \d+ ms/);
  });

  it('picks the fastest variant this runtime supports', async () => {
    const probe = await probeVariants();
    const runtime = await loadLiteRtRuntime({ log: () => undefined });
    const best = probe.threads ? 'threaded' : probe.relaxedSimd ? 'simd' : 'compat';
    if (runtime.variant !== 'unknown') expect(runtime.variant).toBe(best);
    if (runtime.variant === 'threaded') {
      // The glue copy for worker threads lands in the per-user cache folder, never in node_modules.
      expect(readdirSync(litertWasmDir()).some((f) => f.endsWith('.cjs'))).toBe(false);
      expect(existsSync(join(defaultLoaderCacheDir(), `litert-${litertVersion()}`, 'litert_wasm_threaded_internal.cjs'))).toBe(true);
    }
  });

  it('loads each variant when forced, and runs a graph with it', async () => {
    // One after the other: the machines running this have few cores.
    const results: ChildResult[] = [];
    for (const v of ['compat', 'simd', 'threaded']) results.push(await child(v));
    for (const [i, v] of ['compat', 'simd', 'threaded'].entries()) {
      const r = results[i]!;
      expect(r.error, r.message).toBeUndefined();
      expect(r.variant).toBe(v);
      expect(r.y).toEqual([3, 6, 9]);
      expect(r.logs).toHaveLength(1);
    }
    expect(results[2]!.threads).toBeGreaterThanOrEqual(1);
    // The threaded build's glue copy goes to the given cache folder.
    expect(existsSync(join(results[2]!.cache, `litert-${litertVersion()}`, 'litert_wasm_threaded_internal.cjs'))).toBe(true);
    expect(existsSync(join(results[0]!.cache, `litert-${litertVersion()}`))).toBe(false);
    const bogus = await child('turbo');
    expect(bogus.error).toBe('LITERT_UNAVAILABLE');
    expect(bogus.message).toContain('unknown variant "turbo"');
  }, 120_000);

  it('never runs a loader from a cache folder that is a link or that it did not write', async () => {
    const elsewhere = mkdtempSync(join(root, 'elsewhere-'));
    // Someone else's folder where the copy would go: the threaded variant must not use it.
    const linked = await child('threaded', (cache) => symlinkSync(elsewhere, join(cache, `litert-${litertVersion()}`)));
    expect(linked.variant).toBeUndefined();
    expect(linked.message ?? linked.error).toMatch(/private folder|threaded/);
    expect(readdirSync(elsewhere)).toEqual([]);
    // A planted file of the right size is replaced by the package's own bytes.
    const planted = await child('threaded', (cache) => {
      const folder = join(cache, `litert-${litertVersion()}`);
      mkdirSync(folder, { mode: 0o700 });
      const name = readdirSync(litertWasmDir()).find((f) => f.includes('threaded') && f.endsWith('.js'));
      if (!name) throw new Error('no threaded glue in the package');
      const size = statSync(join(litertWasmDir(), name)).size;
      writeFileSync(join(folder, `${name.replace(/\.js$/, '')}.cjs`), 'process.exit(9);'.padEnd(size, ' '));
    });
    expect(planted.variant).toBe('threaded');
    expect(planted.y).toEqual([3, 6, 9]);
  });

  it('maps wasm failures to catalogue errors', () => {
    const RuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new (m: string) => Error } }).WebAssembly.RuntimeError;
    expect(toRuntimeError(new RuntimeError('memory access out of bounds'), 'run', 'running x').code).toBe('OUT_OF_MEMORY');
    expect(toRuntimeError(new Error('Aborted(OOM)'), 'load', 'loading x').code).toBe('OUT_OF_MEMORY');
    expect(toRuntimeError(new Error('Element type INT64 is not supported.'), 'load', 'loading x').message).toContain('int64');
    expect(toRuntimeError(new Error('Failed to load model from buffer'), 'load', 'loading x').code).toBe('MODEL_LOAD_FAILED');
    expect(toRuntimeError(new Error('ERROR: [a.h:1]\n└ ERROR: [b.h:2]'), 'run', 'running x').message).toContain('(running x: ERROR: [a.h:1] └ ERROR: [b.h:2])');
    const own = AppError.of('CANCELLED');
    expect(toRuntimeError(own, 'run', 'x')).toBe(own);
  });

  it('refuses further work after a wasm trap (the heap may be inconsistent)', async () => {
    const shared = await loadLiteRtRuntime({ log: () => undefined });
    const runtime = new LiteRtRuntime(shared.core, shared.liteRt, 'compat', 1);
    const RuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new (m: string) => Error } }).WebAssembly.RuntimeError;
    const error = runtime.fail(new RuntimeError('memory access out of bounds'), 'run', 'running vocoder');
    expect(error.code).toBe('OUT_OF_MEMORY');
    await expect(runtime.loadModel(new Uint8Array(8))).rejects.toBe(error);
  });

  it('fails a run whose tensors LiteRT could not allocate, instead of returning the output buffers as they were, and runs the next model', async () => {
    const runtime = await loadLiteRtRuntime({ log: () => undefined });
    // TFLite's FULLY_CONNECTED cannot fuse TANH: the op fails to prepare at the first run.
    const graph = (fused: 'tanh' | 'relu'): Uint8Array => {
      const w = new TfliteGraphWriter();
      w.output(w.fullyConnected(w.input('x', 'float32', [1, 2]), w.constant(Float32Array.of(1, 2, 3, 4), [2, 2]), undefined, fused), 'y');
      return w.build();
    };
    const bad = await runtime.loadModel(graph('tanh'), 'unpreparable graph');
    await expect(bad.run({ x: Float32Array.of(1, 1) })).rejects.toMatchObject({ code: 'ENGINE_FAILED', message: expect.stringContaining('Failed to allocate tensors') });
    bad.delete();
    const good = await runtime.loadModel(graph('relu'), 'graph');
    expect(Array.from(Object.values(await good.run({ x: Float32Array.of(1, 1) }))[0]!)).toEqual([3, 7]);
    good.delete();
  });
});
