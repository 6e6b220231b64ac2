/** The engine's chunk cache over the library's SQLite audio cache (wired in by the engine process entry). */
import { APP_SAMPLE_RATE } from '../../src-shared/speech/types';
import type { ChunkCache } from '../engine/chunk-cache';
import { AudioCache, HELPER_AUDIO_OWNER, cacheKey } from '../services/library/audio-cache';

/** The SQLite audio cache of a data folder, for the engine process. Failures only cost a miss. */
export function openChunkCache(dataDir: string, log: (line: string) => void): ChunkCache | undefined {
  let cache: AudioCache;
  try {
    cache = AudioCache.open({ dataDir, onProblem: (problem) => log(`audio cache: ${problem.message}`) });
  } catch (thrown) {
    log(`audio cache unavailable: ${(thrown as Error).message}`);
    return undefined;
  }
  return {
    get(key) {
      try {
        const hit = cache.get(cacheKey(key));
        return hit ? { samples: hit.samples, tokenSpans: hit.tokenSpans, words: hit.words } : undefined;
      } catch (thrown) {
        log(`audio cache read failed: ${(thrown as Error).message}`);
        return undefined;
      }
    },
    put(key, chunk, lexiconEntryIds, owner) {
      try {
        cache.put(
          cacheKey(key),
          { sampleRate: APP_SAMPLE_RATE, samples: chunk.samples, sentences: [], words: chunk.words, tokenSpans: chunk.tokenSpans },
          { ...(lexiconEntryIds ? { lexiconEntryIds } : {}), ...(owner === 'helper' ? { documentId: HELPER_AUDIO_OWNER } : {}) },
        );
      } catch (thrown) {
        // A full disk or a locked file must not stop the reading: the chunk is just not cached.
        log(`audio cache write failed: ${(thrown as Error).message}`);
      }
    },
    close() {
      cache.close();
    },
  };
}
