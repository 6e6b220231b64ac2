/**
 * Whether the vocoder's smaller-bucket copies give a model folder's 512-frame audio: runs one
 * chunk at speeds that put it in each bucket, through the app's copies and through the
 * downloaded 512-frame graph, and prints how far the audio differs. The tests check this on the
 * shadow graphs; the real weights are to be checked with it once they can be downloaded (their
 * AdaIN statistics must use frame_mask for the copies to be exact).
 *   npm run check:buckets [-- --model-dir DIR]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KokoroGraphs } from '../src-main/engine/kokoro/graphs';
import { loadLiteRtRuntime } from '../src-main/engine/kokoro/litert-runtime';
import { synthesizeChunk } from '../src-main/engine/kokoro/pipeline';
import { FRAME_BUCKET } from '../src-shared/kokoro/constants';
import { modelFolder, sampleChunk } from './lib/bench-model';

const ROOT = resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'model-dir': { type: 'string', default: join(ROOT, 'shadow-model') } } });
  const dir = modelFolder(values['model-dir']);
  const runtime = await loadLiteRtRuntime({ log: () => undefined });
  const { ids, refS, host } = await sampleChunk(dir);

  // One set at a time: two real-size sets do not fit the 2 GiB heap. The chunk's frames at
  // speed 1 set the speeds that make it last about 60 % of each bucket.
  const copies = await KokoroGraphs.load(dir, { runtime, log: (line) => console.log(line) });
  const buckets = copies.vocoderBuckets.filter((b) => b !== FRAME_BUCKET);
  if (buckets.length === 0) throw new Error('no smaller-bucket copy was loaded: the log above says why');
  const results: { speed: number; bucket: number; samples: Float32Array }[] = [];
  try {
    const normal = await synthesizeChunk(copies, ids, refS, 1, host);
    if (!normal.ok) throw new Error(`the sample chunk overflows (${normal.frames} frames)`);
    for (const bucket of buckets) {
      const speed = normal.frames / (0.6 * bucket);
      const chunk = await synthesizeChunk(copies, ids, refS, speed, host);
      if (!chunk.ok) throw new Error(`at speed ${speed.toFixed(2)} the chunk lasts ${chunk.frames} frames, more than the copies hold`);
      results.push({ speed, bucket: chunk.bucket, samples: chunk.samples });
    }
  } finally {
    copies.dispose();
  }
  const downloaded = await KokoroGraphs.load(dir, { runtime, vocoderBuckets: [FRAME_BUCKET], log: () => undefined });
  try {
    for (const { speed, bucket, samples } of results) {
      const full = await synthesizeChunk(downloaded, ids, refS, speed, host);
      if (!full.ok) throw new Error('the 512-frame graph overflowed');
      let largest = 0;
      let peak = 0;
      for (let i = 0; i < samples.length; i++) {
        largest = Math.max(largest, Math.abs(samples[i]! - full.samples[i]!));
        peak = Math.max(peak, Math.abs(full.samples[i]!));
      }
      const verdict = largest === 0 ? 'equal sample for sample' : `largest difference ${largest.toExponential(2)} (peak ${peak.toFixed(3)})`;
      console.log(`${bucket}-frame copy, ${full.frames} frames (speed ${speed.toFixed(2)}): ${verdict}`);
      if (largest !== 0) process.exitCode = 1;
    }
  } finally {
    downloaded.dispose();
  }
}

main().catch((err: unknown) => {
  console.error(`check:buckets: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
