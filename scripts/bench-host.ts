/**
 * Times the Kokoro host steps for one full 512-frame chunk (12.8 s of audio), then shows the
 * engine's memory with the fixture graphs loaded and run once:
 *   npx tsx scripts/bench-host.ts [runs]
 * Uses the reference vectors (KOKORO_GOLDENS or ../shared/goldens/kokoro-host) when present,
 * synthetic inputs of the same size otherwise. Prints figures only.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KokoroGraphs } from '../src-main/engine/kokoro/graphs';
import { loadLiteRtRuntime } from '../src-main/engine/kokoro/litert-runtime';
import { writeKokoroFixture } from '../test/helpers/kokoro-fixtures';
import {
  CHUNK_SAMPLES,
  F0_LENGTH,
  FRAME_BUCKET,
  HAR_ROWS,
  N_BINS,
  SAMPLE_RATE,
  STFT_FRAMES,
  TOKEN_BUCKET,
  buildAlignment,
  createRandom,
  definedInverseBases,
  harmonicSource,
  istftBases,
  istftTorch,
  predictDurations,
  sourceStft,
  tokenSampleSpans,
} from '../src-shared/kokoro/index';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const goldens = process.env.KOKORO_GOLDENS
  ? resolve(process.cwd(), process.env.KOKORO_GOLDENS)
  : resolve(root, '..', 'shared', 'goldens', 'kokoro-host');
const runs = Math.max(1, Number(process.argv[2] ?? 7) | 0);

interface Ref {
  file: string;
  shape: number[];
}
interface Case {
  kind: string;
  name: string;
  L: number;
  [key: string]: unknown;
}

function readF32(ref: Ref): Float32Array {
  const b = readFileSync(resolve(goldens, ref.file));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

interface Inputs {
  label: string;
  duration: Float32Array;
  tokens: number;
  speed: number;
  f0: Float32Array;
  lLinear: Float32Array;
  spec: Float32Array;
  phase: Float32Array;
}

function loadInputs(): Inputs {
  const rnd = createRandom(2024);
  // Synthetic defaults of full size: 128 tokens of ~4 frames, a gliding pitch with gaps.
  const duration = Float32Array.from({ length: TOKEN_BUCKET }, () => 1 + rnd.uniform() * 5);
  const f0 = Float32Array.from({ length: F0_LENGTH }, (_, i) => (i % 200 < 170 ? 150 + 60 * Math.sin(i / 90) : 0));
  const lLinear = Float32Array.from({ length: 10 }, () => rnd.normal() * 0.4);
  const spec = Float32Array.from({ length: N_BINS * STFT_FRAMES }, () => Math.exp(rnd.normal() - 2));
  const phase = Float32Array.from({ length: N_BINS * STFT_FRAMES }, () => Math.sin(rnd.normal() * 3));
  const out: Inputs = { label: 'synthetic inputs', duration, tokens: TOKEN_BUCKET, speed: 1.25, f0, lLinear, spec, phase };
  const manifestPath = resolve(goldens, 'manifest.json');
  if (!existsSync(manifestPath)) return out;
  const cases = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { cases: Case[] }).cases;
  // The fullest chunk of each kind that fits the bucket.
  const pick = (kind: string) =>
    cases.filter((c) => c.kind === kind && !c.overflow && c.L <= FRAME_BUCKET).sort((a, b) => b.L - a.L)[0];
  const al = pick('alignment');
  const har = pick('har');
  const ist = pick('istft');
  const names: string[] = [];
  if (al) {
    out.duration = readF32(al.duration as Ref);
    out.tokens = al.T as number;
    out.speed = al.speed as number;
    names.push(al.name);
  }
  if (har) {
    out.f0 = readF32(har.f0 as Ref);
    out.lLinear = readF32(har.l_linear as Ref);
    names.push(har.name);
  }
  if (ist) {
    out.spec = readF32(ist.spec as Ref);
    out.phase = readF32(ist.phase as Ref);
    names.push(ist.name);
  }
  out.label = `golden inputs (${names.join(', ')}) from ${goldens}`;
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function time(fn: () => unknown): number {
  fn(); // warm-up (JIT)
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const input = loadInputs();
const bases = definedInverseBases();
const chunkSeconds = CHUNK_SAMPLES / SAMPLE_RATE;
let sink = 0;

const tAlign = time(() => {
  const pred = predictDurations(input.duration, input.tokens, input.speed);
  const aln = buildAlignment(pred, input.tokens);
  sink += tokenSampleSpans(pred).length + (aln.ok ? aln.frames : 0);
});
const tSource = time(() => {
  sink += harmonicSource(input.f0, input.lLinear, { random: { noise: true, seed: 7 } })[0]!;
});
const tSourceClean = time(() => {
  sink += harmonicSource(input.f0, input.lLinear)[0]!;
});
const source = harmonicSource(input.f0, input.lLinear, { random: { noise: true, seed: 7 } });
const tStft = time(() => {
  sink += sourceStft(source, 'reflect')[0]!;
});
const tIstft = time(() => {
  sink += istftTorch(input.spec, input.phase, CHUNK_SAMPLES)[0]!;
});
const tIstftBases = time(() => {
  sink += istftBases(input.spec, input.phase, bases, CHUNK_SAMPLES)[0]!;
});

const total = tAlign + tSource + tStft + tIstft;
const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
console.log(`Kokoro host steps, one ${FRAME_BUCKET}-frame chunk (${chunkSeconds} s of audio), median of ${runs} runs`);
console.log(`inputs: ${input.label}`);
console.log(`alignment (pred_dur, aln, spans)   ${fmt(tAlign)}`);
console.log(`source (SineGen + noise, seeded)   ${fmt(tSource)}`);
console.log(`  (source, noise off              ${fmt(tSourceClean)})`);
console.log(`STFT (reflect, 61441 frames)       ${fmt(tStft)}`);
console.log(`source + STFT                      ${fmt(tSource + tStft)}`);
console.log(`inverse STFT (torch.istft)         ${fmt(tIstft)}`);
console.log(`  (inverse STFT, bases           ${fmt(tIstftBases)})`);
console.log(`total                              ${fmt(total)}`);
console.log(`total / audio duration             ${(total / 1000 / chunkSeconds).toFixed(4)} (real-time factor of the host steps)`);

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
function memoryLine(label: string, wasmHeap?: number): string {
  const m = process.memoryUsage();
  const wasm = wasmHeap === undefined ? '' : `, LiteRT wasm heap ${mb(wasmHeap)}`;
  return (
    `${label.padEnd(34)} rss ${mb(m.rss)}, js heap ${mb(m.heapUsed)} used / ${mb(m.heapTotal)}, ` +
    `external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)})${wasm}`
  );
}

/**
 * The engine's footprint with the three fixture graphs (test/helpers/kokoro-fixtures) loaded
 * and run once on zero inputs of the graphs' sizes (see src-main/engine/kokoro/graphs.ts).
 * The fixture graphs are tiny: with the real bundles the wasm heap is ~0.8 GB.
 */
async function engineMemory(): Promise<void> {
  console.log('');
  console.log('Engine memory, fixture graphs (descriptive)');
  console.log(memoryLine('before LiteRT'));
  const runtimeLog: string[] = [];
  const runtime = await loadLiteRtRuntime({ log: (line) => runtimeLog.push(line) });
  console.log(memoryLine(`LiteRT loaded (${runtime.variant}, ${runtime.threads} thr.)`, runtime.heapBytes()));
  const dir = mkdtempSync(join(tmpdir(), 'kokoro-bench-host-'));
  try {
    writeKokoroFixture(dir, 'descriptive');
    const graphs = await KokoroGraphs.load(dir, { runtime, vocoderBuckets: [FRAME_BUCKET], log: () => undefined });
    try {
      console.log(memoryLine('3 graphs loaded', runtime.heapBytes()));
      const refS = new Float32Array(256);
      const frameMask = new Float32Array(FRAME_BUCKET);
      const p = await graphs.predict({ ids: new Int32Array(TOKEN_BUCKET), refS, attn: new Float32Array(TOKEN_BUCKET) });
      const aln = new Float32Array(TOKEN_BUCKET * FRAME_BUCKET);
      const q = await graphs.prosody({ d: p.d, tEn: p.tEn, aln, refS, frameMask });
      const har = new Float32Array(HAR_ROWS * STFT_FRAMES);
      const v = await graphs.vocode({ asr: q.asr, f0: q.f0, n: q.n, har, refS, frameMask });
      sink += v.spec.length;
      console.log(memoryLine('after predict/prosody/vocode', runtime.heapBytes()));
    } finally {
      graphs.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await engineMemory();
if (Number.isNaN(sink)) console.log('');
