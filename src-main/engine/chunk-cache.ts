/**
 * The audio cache as the engines see it: a chunk's samples and per-token (or per-word) sample
 * spans, keyed by what determines them. Source offsets are not cached: the same chunk can stand
 * anywhere in any text, so the engine maps spans back to the text it is reading each time.
 * The engine is given an implementation at start (the SQLite cache of the data folder).
 */
import type { CacheKeyInput } from '../../src-shared/speech/cache-key';
import type { CacheOwner, SynthesisRequest, TimedSpan } from '../../src-shared/speech/types';

export interface CachedChunk {
  samples: Float32Array;
  /** Kokoro: [start0, end0, ...] per token. */
  tokenSpans: Int32Array;
  /** eSpeak NG: word spans with offsets relative to the segment. */
  words: TimedSpan[];
}

export interface ChunkCache {
  get(key: CacheKeyInput): CachedChunk | undefined;
  /**
   * `lexiconEntryIds`: the user's entries that shaped the chunk; editing one drops it.
   * `owner`: the reading is the screen helper's, whose audio can be cleared apart.
   */
  put(key: CacheKeyInput, chunk: CachedChunk, lexiconEntryIds?: Iterable<number>, owner?: CacheOwner): void;
  /** Closes the database cleanly (so the next start need not check it). */
  close(): void;
}

/** The cache a request may use: none when it asked for no caching (the helper's privacy setting). */
export function cacheFor(cache: ChunkCache | undefined, request: SynthesisRequest): ChunkCache | undefined {
  return request.cache === false ? undefined : cache;
}
