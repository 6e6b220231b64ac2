/**
 * LiteRT.js runtime check: which variant loads here, how long the fixture graphs take to load
 * and run, and the process memory. `npx tsx scripts/bench-runtime.ts [style] [runs]`
 * ($KOKORO_LITERT_VARIANT forces a variant). With KOKORO_MODEL_DIR set, runs that folder's
 * graphs instead of the fixtures (real bundles: expect ~0.8 GB and seconds per vocoder run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KokoroGraphs } from '../src-main/engine/kokoro/graphs';
import { loadLiteRtRuntime } from '../src-main/engine/kokoro/litert-runtime';
import { FIXTURE_STYLES, writeKokoroFixture } from '../test/helpers/kokoro-fixtures';
import type { FixtureStyle } from '../test/helpers/kokoro-fixtures';
import { FRAME_BUCKET } from '../src-shared/kokoro/constants';

function mb(n: number): string {
  return `${(n / 1e6).toFixed(0)} MB`;
}

function memory(label: string, heap: number): void {
  const m = process.memoryUsage();
  console.log(`${label}: rss ${mb(m.rss)}, js heap ${mb(m.heapUsed)}, array buffers ${mb(m.arrayBuffers)}, wasm heap ${mb(heap)}`);
}

async function main(): Promise<void> {
  const style = (process.argv[2] ?? 'descriptive') as FixtureStyle;
  if (!FIXTURE_STYLES.includes(style)) throw new Error(`style must be one of ${FIXTURE_STYLES.join(', ')}`);
  const runs = Number(process.argv[3] ?? 5);

  let t = performance.now();
  const runtime = await loadLiteRtRuntime({ log: (line) => console.log(line) });
  console.log(`runtime: ${runtime.variant}, ${runtime.threads} thread(s), ${(performance.now() - t).toFixed(0)} ms`);
  memory('after runtime', runtime.heapBytes());

  const modelDir = process.env.KOKORO_MODEL_DIR;
  const temp = modelDir ? undefined : mkdtempSync(join(tmpdir(), 'kokoro-bench-'));
  try {
    const dir = modelDir ?? temp!;
    if (temp) writeKokoroFixture(temp, style);
    t = performance.now();
    const graphs = await KokoroGraphs.load(dir, { runtime, vocoderBuckets: [FRAME_BUCKET], log: (line) => console.log(line) });
    console.log(`load (3 graphs): ${(performance.now() - t).toFixed(0)} ms`);
    memory('after load', runtime.heapBytes());

    const ids = new Int32Array(128);
    ids.set([0, 50, 83, 156, 57, 135, 0]);
    const attn = new Float32Array(128).fill(1, 0, 7);
    const refS = new Float32Array(256).fill(0.1);
    const times = { predict: 0, prosody: 0, vocode: 0 };
    for (let i = 0; i < runs; i++) {
      t = performance.now();
      const p = await graphs.predict({ ids, refS, attn });
      times.predict += performance.now() - t;
      const aln = new Float32Array(128 * 512);
      const frameMask = new Float32Array(512).fill(1, 0, 100);
      t = performance.now();
      const q = await graphs.prosody({ d: p.d, tEn: p.tEn, aln, refS, frameMask });
      times.prosody += performance.now() - t;
      t = performance.now();
      await graphs.vocode({ asr: q.asr, f0: q.f0, n: q.n, har: new Float32Array(22 * 61441), refS, frameMask });
      times.vocode += performance.now() - t;
    }
    console.log(`per run (mean of ${runs}): ${Object.entries(times).map(([k, v]) => `${k} ${(v / runs).toFixed(1)} ms`).join(', ')}`);
    memory('after runs', runtime.heapBytes());
    graphs.dispose();
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
