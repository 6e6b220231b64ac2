/**
 * #16's overlap lever, measured instead of built: would running the next chunk's predictor and
 * prosody beside the vocoder (a second LiteRT instance) make reading faster on this machine?
 * One chunk's graphs run `--runs` times:
 *   - in turn, as the engine runs them: predictor, prosody, vocoder, each with all the threads;
 *   - side by side, as an overlapped engine would: this process runs the vocoder while a second
 *     process (LiteRT's single-threaded variant, its own wasm heap, as a worker thread would
 *     have) runs the predictor and prosody of the next chunk; a chunk then costs the longer of
 *     the two.
 * Prints each, per chunk, and the gain.
 *   npm run bench:overlap [-- --model-dir DIR] [--runs N] [--bucket 384]
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KokoroGraphs } from '../src-main/engine/kokoro/graphs';
import type { PredictorInput, PredictorOutput, ProsodyInput, ProsodyOutput, VocoderInput, VocoderOutput } from '../src-main/engine/kokoro/graphs';
import { bucketCapacity, synthesizeChunk } from '../src-main/engine/kokoro/pipeline';
import type { KokoroGraphRunner } from '../src-main/engine/kokoro/pipeline';
import { modelFolder, sampleChunk } from './lib/bench-model';

const ROOT = resolve(import.meta.dirname, '..');

/** The inputs each graph got for one chunk, to run it again. */
interface ChunkInputs {
  predictor: PredictorInput;
  prosody: ProsodyInput;
  vocoder: VocoderInput;
}

type ToHelper = { kind: 'inputs'; inputs: Pick<ChunkInputs, 'predictor' | 'prosody'> } | { kind: 'run' };
type FromHelper = { kind: 'ready' } | { kind: 'ran'; ms: number } | { kind: 'failed'; message: string };

/** Keeps the inputs of the graphs' calls. */
class RecordingGraphs implements KokoroGraphRunner {
  readonly inputs: Partial<ChunkInputs> = {};
  constructor(private readonly inner: KokoroGraphs) {}
  get vocoderBuckets(): readonly number[] {
    return this.inner.vocoderBuckets;
  }
  predict(input: PredictorInput): Promise<PredictorOutput> {
    this.inputs.predictor = input;
    return this.inner.predict(input);
  }
  prosody(input: ProsodyInput): Promise<ProsodyOutput> {
    this.inputs.prosody = input;
    return this.inner.prosody(input);
  }
  vocode(input: VocoderInput): Promise<VocoderOutput> {
    this.inputs.vocoder = input;
    return this.inner.vocode(input);
  }
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** The second process: the predictor and prosody, single-threaded, run on request. */
async function helper(dir: string): Promise<void> {
  const send = (message: FromHelper): void => void process.send?.(message);
  // The vocoder loads too (KokoroGraphs loads all three); its smallest copy, to save time.
  const graphs = await KokoroGraphs.load(dir, { vocoderBuckets: [128], log: () => undefined });
  let inputs: Pick<ChunkInputs, 'predictor' | 'prosody'> | undefined;
  process.on('message', (message: ToHelper) => {
    if (message.kind === 'inputs') {
      inputs = message.inputs;
      send({ kind: 'ready' });
      return;
    }
    const chunk = inputs;
    if (!chunk) return send({ kind: 'failed', message: 'asked to run before it had the inputs' });
    timed(async () => {
      await graphs.predict(chunk.predictor);
      await graphs.prosody(chunk.prosody);
    }).then(
      (ms) => send({ kind: 'ran', ms }),
      (err: unknown) => send({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.on('disconnect', () => {
    graphs.dispose();
    process.exit(0);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'model-dir': { type: 'string', default: join(ROOT, 'shadow-model') },
      runs: { type: 'string', default: '3' },
      bucket: { type: 'string', default: '384' },
      helper: { type: 'boolean', default: false },
    },
  });
  if (values.helper) return helper(resolve(values['model-dir']));
  const dir = modelFolder(values['model-dir']);
  const runs = Number(values.runs);
  const bucket = Number(values.bucket);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs must be a whole number of at least 1, got "${values.runs}"`);
  console.log(`model: ${dir}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const graphs = await KokoroGraphs.load(dir, { vocoderBuckets: [bucket], log: () => undefined });
  const [loaded] = graphs.vocoderBuckets;
  console.log(`vocoder bucket ${loaded} frames; this process: LiteRT ${graphs.runtime.variant} variant, ${graphs.runtime.threads} thread(s)`);
  // One chunk, slowed or sped up to fill about 90% of the bucket, as a full chunk would.
  const { ids, refS, host } = await sampleChunk(dir);
  const probe = await synthesizeChunk(graphs, ids, refS, 1, host);
  const speed = probe.frames / (0.9 * bucketCapacity(loaded!));
  const recording = new RecordingGraphs(graphs);
  const chunk = await synthesizeChunk(recording, ids, refS, speed, host);
  if (!chunk.ok) throw new Error(`the sample chunk lasts ${chunk.frames} frames at speed ${speed.toFixed(2)}, more than the bucket holds`);
  const inputs = recording.inputs as ChunkInputs;
  console.log(`chunk: ${ids.length} tokens, ${chunk.frames} frames`);

  const child = fork(import.meta.filename, ['--helper', '--model-dir', dir], {
    env: { ...process.env, KOKORO_LITERT_VARIANT: 'simd' },
    serialization: 'advanced',
  });
  // One request out at a time: each reply answers the oldest. A helper that fails or dies ends the bench.
  const replies: { resolve: (message: FromHelper) => void; reject: (err: Error) => void }[] = [];
  child.on('message', (message: FromHelper) => {
    const reply = replies.shift();
    if (message.kind === 'failed') reply?.reject(new Error(`the second process failed: ${message.message}`));
    else reply?.resolve(message);
  });
  child.on('exit', (code) => {
    for (const reply of replies.splice(0)) reply.reject(new Error(`the second process exited (code ${code}) before it answered`));
  });
  const ask = (message: ToHelper): Promise<FromHelper> =>
    new Promise((resolve, reject) => {
      replies.push({ resolve, reject });
      child.send(message);
    });
  try {
    await ask({ kind: 'inputs', inputs: { predictor: inputs.predictor, prosody: inputs.prosody } });

    const inTurn = { front: [] as number[], vocoder: [] as number[], helperAlone: [] as number[] };
    for (let i = 0; i < runs; i++) {
      inTurn.front.push(
        await timed(async () => {
          await graphs.predict(inputs.predictor);
          await graphs.prosody(inputs.prosody);
        }),
      );
      inTurn.vocoder.push(await timed(() => graphs.vocode(inputs.vocoder)));
      const alone = await ask({ kind: 'run' });
      if (alone.kind === 'ran') inTurn.helperAlone.push(alone.ms);
    }
    const sideBySide = { vocoder: [] as number[], front: [] as number[], chunk: [] as number[] };
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const [front, vocoder] = await Promise.all([ask({ kind: 'run' }), timed(() => graphs.vocode(inputs.vocoder))]);
      sideBySide.chunk.push(performance.now() - started);
      sideBySide.vocoder.push(vocoder);
      if (front.kind === 'ran') sideBySide.front.push(front.ms);
    }
    const serial = mean(inTurn.front) + mean(inTurn.vocoder);
    const overlapped = mean(sideBySide.chunk);
    console.log(`in turn (the engine today): predictor + prosody ${seconds(mean(inTurn.front))} s, vocoder ${seconds(mean(inTurn.vocoder))} s: ${seconds(serial)} s a chunk`);
    console.log(`predictor + prosody alone in the second process (1 thread): ${seconds(mean(inTurn.helperAlone))} s`);
    console.log(`side by side: vocoder ${seconds(mean(sideBySide.vocoder))} s while the second process ran predictor + prosody in ${seconds(mean(sideBySide.front))} s: ${seconds(overlapped)} s a chunk`);
    const change = 100 * (overlapped / serial - 1);
    console.log(`overlap: ${seconds(serial)} -> ${seconds(overlapped)} s a chunk (${Math.abs(change).toFixed(1)}% ${change <= 0 ? 'less' : 'more'}), ${runs} run(s) each`);
  } finally {
    if (child.connected) child.disconnect();
    graphs.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(`bench:overlap: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
