/**
 * The audio cache as the engines see it: a chunk's samples and per-token (or per-word) sample
 * spans, keyed by what determines them. Source offsets are not cached: the same chunk can stand
 * anywhere in any text, so the engine maps spans back to the text it is reading each time.
 */
import type { TimedSpan } from '../../src-shared/speech/types';
import { APP_SAMPLE_RATE } from '../../src-shared/speech/types';
import { AudioCache, cacheKey } from '../services/library/audio-cache';
import type { CacheKeyInput } from '../services/library/audio-cache';

export interface CachedChunk {
  samples: Float32Array;
  /** Kokoro: [start0, end0, ...] per token. */
  tokenSpans: Int32Array;
  /** eSpeak NG: word spans with offsets relative to the segment. */
  words: TimedSpan[];
}

export interface ChunkCache {
  get(key: CacheKeyInput): CachedChunk | undefined;
  put(key: CacheKeyInput, chunk: CachedChunk, lexiconEntryIds?: Iterable<number>): void;
  /** Closes the database cleanly (so the next start need not check it). */
  close(): void;
}

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
    put(key, chunk, lexiconEntryIds) {
      try {
        cache.put(
          cacheKey(key),
          { sampleRate: APP_SAMPLE_RATE, samples: chunk.samples, sentences: [], words: chunk.words, tokenSpans: chunk.tokenSpans },
          lexiconEntryIds ? { lexiconEntryIds } : {},
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
