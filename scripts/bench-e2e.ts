/**
 * Kokoro end to end on a model folder, the shadow graphs by default (`npm run shadow:make`
 * first): reads scripts/bench/passage.txt through the Kokoro engine as the app does (G2P,
 * chunk planning, the three graphs and the host steps; no audio cache) and prints per graph
 * load and run time, the host steps, time to first audio, the real-time factor, bucket fill,
 * peak RSS, wasm heap, and the LiteRT variant and threads.
 *   npm run bench:e2e [-- --model-dir DIR] [--chunks N] [--voice af_heart] [--precision exact|fast] [--vocoder-buckets 128,512]
 * --vocoder-buckets lists the frame buckets to compile the vocoder for (default the app's,
 * VOCODER_BUCKETS; 512 alone is the downloaded graph only, without the quick start).
 * --chunks N stops after N chunks (today's planner makes 116 chunks of the passage: at real size
 * well over half an hour on two quiet cores). The passage is the opening of Jane Austen's Pride and Prejudice (1813,
 * public domain): chapters 1 and 2 and the start of chapter 3, 1,989 words, written out from
 * memory (it may differ from a printed edition in a word or a comma).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FRAME_BUCKET } from '../src-shared/kokoro/constants';
import { planSegments } from '../src-shared/speech/plan';
import { APP_SAMPLE_RATE } from '../src-shared/speech/types';
import { isKokoroPrecision, KOKORO_PRECISIONS } from '../src-shared/ipc/engine-config';
import { loadKokoroResources } from '../src-main/engine/kokoro/create-engine';
import type { PredictorInput, PredictorOutput, ProsodyInput, ProsodyOutput, VocoderInput, VocoderOutput } from '../src-main/engine/kokoro/graphs';
import { KokoroEngine } from '../src-main/engine/kokoro/kokoro-engine';
import { loadLiteRtRuntime } from '../src-main/engine/kokoro/litert-runtime';
import type { KokoroGraphRunner } from '../src-main/engine/kokoro/pipeline';
import { REBUCKET_MARGIN_FRAMES } from '../src-main/engine/kokoro/tflite-rebucket';
import { KokoroVoicePacks } from '../src-main/engine/kokoro/voices';
import { modelFolder } from './lib/bench-model';

const ROOT = resolve(import.meta.dirname, '..');
const PASSAGE = join(ROOT, 'scripts', 'bench', 'passage.txt');

type GraphName = 'predictor' | 'prosody' | 'vocoder';

/** The engine's graphs with a stopwatch on each call, and the frames and vocoder bucket of every chunk. */
class TimedGraphs implements KokoroGraphRunner {
  readonly runs: Record<GraphName, number[]> = { predictor: [], prosody: [], vocoder: [] };
  readonly frames: number[] = [];
  readonly buckets: number[] = [];

  constructor(private readonly inner: KokoroGraphRunner) {}

  get vocoderBuckets(): readonly number[] | undefined {
    return this.inner.vocoderBuckets;
  }

  private async timed<T>(graph: GraphName, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await run();
    this.runs[graph].push(performance.now() - started);
    return result;
  }

  predict(input: PredictorInput): Promise<PredictorOutput> {
    return this.timed('predictor', () => this.inner.predict(input));
  }

  prosody(input: ProsodyInput): Promise<ProsodyOutput> {
    this.frames.push(input.frameMask.reduce((a, b) => a + b, 0));
    return this.timed('prosody', () => this.inner.prosody(input));
  }

  vocode(input: VocoderInput): Promise<VocoderOutput> {
    this.buckets.push(input.frameMask.length);
    return this.timed('vocoder', () => this.inner.vocode(input));
  }

  dispose(): void {
    this.inner.dispose?.();
  }
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'model-dir': { type: 'string', default: join(ROOT, 'shadow-model') },
      chunks: { type: 'string' },
      voice: { type: 'string', default: 'af_heart' },
      precision: { type: 'string', default: 'exact' },
      'vocoder-buckets': { type: 'string' },
    },
  });
  const precision = values.precision;
  if (!isKokoroPrecision(precision)) throw new Error(`--precision must be ${KOKORO_PRECISIONS.join(' or ')}, got "${precision}"`);
  const dir = modelFolder(values['model-dir']);
  const chunkLimit = values.chunks === undefined ? Infinity : Number(values.chunks);
  if (!(chunkLimit >= 1)) throw new Error(`--chunks must be a whole number of at least 1, got "${values.chunks}"`);
  const vocoderBuckets = values['vocoder-buckets']?.split(',').map(Number);
  if (vocoderBuckets && !vocoderBuckets.every((b) => Number.isInteger(b) && b > REBUCKET_MARGIN_FRAMES && b <= FRAME_BUCKET)) {
    throw new Error(`--vocoder-buckets must list whole numbers of frames from ${REBUCKET_MARGIN_FRAMES + 1} to ${FRAME_BUCKET}, got "${values['vocoder-buckets']}"`);
  }
  const passage = readFileSync(PASSAGE, 'utf8');
  // The machine may be shared: its load says how far the figures are from a quiet one.
  console.log(`model: ${dir}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`passage: ${PASSAGE} (${passage.split(/\s+/).filter(Boolean).length} words), voice ${values.voice}, precision ${precision}${Number.isFinite(chunkLimit) ? `, first ${chunkLimit} chunk(s)` : ''}`);

  let started = performance.now();
  const runtime = await loadLiteRtRuntime({ log: () => undefined });
  console.log(`LiteRT: ${runtime.variant} variant, ${runtime.threads} thread(s), loaded in ${seconds(performance.now() - started)} s`);

  // Each graph logs its binding once loaded: the time between lines is its load time.
  started = performance.now();
  let previous = started;
  const loads: string[] = [];
  const resources = await loadKokoroResources(dir, {
    precision,
    ...(vocoderBuckets ? { vocoderBuckets } : {}),
    log: (line) => {
      const file = /^\[kokoro\] (\S+\.tflite):/.exec(line)?.[1];
      if (!file) return;
      const now = performance.now();
      const copy = / a (\d+)-frame copy /.exec(line)?.[1];
      loads.push(`${file}${copy ? ` (${copy}-frame copy: rewrite and compile)` : ''} ${seconds(now - previous)} s`);
      if (/: no \d+-frame copy/.test(line)) console.log(line);
      previous = now;
    },
  });
  console.log(`load: ${loads.join(', ')} (with vocabulary and G2P: ${seconds(performance.now() - started)} s); wasm heap ${mib(runtime.heapBytes())} MiB`);

  const graphs = new TimedGraphs(resources.graphs);
  const engine = new KokoroEngine(() => Promise.resolve({ ...resources, graphs }), new KokoroVoicePacks());
  const controller = new AbortController();
  let samples = 0;
  let chunks = 0;
  let firstAudio: number | undefined;
  started = performance.now();
  await engine.synthesize({ segments: planSegments(passage), voice: values.voice, speed: 1 }, controller.signal, (chunk) => {
    const now = performance.now() - started;
    firstAudio ??= now;
    samples += chunk.samples.length;
    chunks++;
    console.log(`chunk ${chunk.sequence}: ${chunk.samples.length / 600} frames, ${(chunk.samples.length / APP_SAMPLE_RATE).toFixed(1)} s of audio, out at ${seconds(now)} s`);
    if (chunks >= chunkLimit) controller.abort();
  });
  const synthesis = performance.now() - started;
  engine.retire();

  const audioSeconds = samples / APP_SAMPLE_RATE;
  const graphTime = sum(Object.values(graphs.runs).flat());
  for (const [graph, runs] of Object.entries(graphs.runs)) {
    console.log(`run ${graph}: ${runs.length} run(s), mean ${seconds(sum(runs) / Math.max(1, runs.length))} s, total ${seconds(sum(runs))} s`);
  }
  for (const bucket of new Set(graphs.buckets)) {
    const runs = graphs.runs.vocoder.filter((_, i) => graphs.buckets[i] === bucket);
    console.log(`  vocoder at ${bucket} frames: ${runs.length} run(s), mean ${seconds(sum(runs) / runs.length)} s`);
  }
  const resplits = graphs.runs.predictor.length - graphs.runs.prosody.length;
  console.log(`host steps (G2P, planning, alignment, source STFT, inverse STFT: all but the graphs): ${seconds(synthesis - graphTime)} s, ${seconds((synthesis - graphTime) / Math.max(1, chunks))} s per chunk`);
  console.log(`chunks: ${chunks}, ${audioSeconds.toFixed(1)} s of audio in ${seconds(synthesis)} s; ${resplits} chunk(s) re-split after the predictor`);
  // #16's fill is the mean L / 512; a chunk in the small copy pays for its own bucket, so also print the frames spoken per frame vocoded.
  const fill = sum(graphs.frames) / Math.max(1, graphs.frames.length) / FRAME_BUCKET;
  console.log(`frames spoken per frame vocoded: ${((100 * sum(graphs.frames.slice(0, graphs.buckets.length))) / Math.max(1, sum(graphs.buckets))).toFixed(0)}%`);
  const rtf = synthesis / 1000 / audioSeconds;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(`memory: peak rss ${mib(peakRss)} MiB, wasm heap ${mib(runtime.heapBytes())} MiB`);
  // On a shared machine the wall-clock figures depend on what else runs: the CPU time says how much of it this process got.
  const cpu = process.cpuUsage();
  console.log(`cpu: user ${seconds(cpu.user / 1000)} s, system ${seconds(cpu.system / 1000)} s in ${seconds(performance.now())} s since start; load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`e2e: rtf ${rtf.toFixed(2)}, first audio ${seconds(firstAudio ?? NaN)} s, fill ${(fill * 100).toFixed(0)}%, peak rss ${mib(peakRss)} MiB`);
}

main().catch((err: unknown) => {
  console.error(`bench:e2e: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
