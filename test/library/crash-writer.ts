/**
 * Child process for crash.test.ts: writes (and reads, evicts, invalidates) audio cache entries
 * in a loop until it is killed. Entry n's audio is derived from n alone (crashEntry), so the
 * test can recompute what every surviving entry must contain.
 *
 * Usage: node --import tsx test/library/crash-writer.ts <dataDir> <firstN> <lastN>
 */
import { AudioCache, cacheKey } from '../../src-main/services/library';
import type { AudioWithTimings } from '../../src-main/services/library';
import { testAudio } from './fixtures';

export function crashKey(n: number): string {
  return cacheKey({ engine: 'kokoro', modelVersion: 'crash-test', voice: 'af_heart', speed: 1, ids: [0, n % 177, Math.floor(n / 177), 0] });
}

export function crashEntry(n: number): AudioWithTimings {
  const length = 2400 + ((n * 7919) % 40_000);
  return {
    sampleRate: 24_000,
    samples: testAudio(n + 1, length),
    sentences: [{ sentence: n, startSample: 0, endSample: length, start: 0, end: n % 97 }],
    words: [{ startSample: 0, endSample: length >> 1, start: 0, end: 3 }],
    tokenSpans: Int32Array.from([0, length >> 2, length >> 2, length]),
  };
}

/** Small enough that eviction (deletes) happens in the middle of the writes too. */
export const CRASH_CACHE_BYTES = 1_500_000;

const [dataDir, first, last] = process.argv.slice(2);
if (dataDir !== undefined && first !== undefined && last !== undefined) {
  const cache = AudioCache.open({ dataDir, maxBytes: CRASH_CACHE_BYTES, onProblem: (p) => process.stderr.write(`problem ${p.code}\n`) });
  let announced = false;
  for (let n = Number(first); n <= Number(last); n++) {
    cache.put(crashKey(n), crashEntry(n), { lexiconEntryIds: [n % 5], documentId: n % 3 });
    if (n % 4 === 0) cache.get(crashKey(n - 2));
    if (n % 25 === 0) cache.invalidateByLexiconEntry((n / 25) % 5);
    if (!announced) {
      process.stdout.write('writing\n');
      announced = true;
    }
  }
  cache.close();
  process.stdout.write('done\n');
}
