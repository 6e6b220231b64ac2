import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import type { ErrorData } from '../../src-shared/errors/catalogue';
import { AudioCache, AudioEncoding, CACHE_FILE, cacheKey, decodeAudio, encodeAudio } from '../../src-main/services/library';
import type { AudioWithTimings } from '../../src-main/services/library';
import { testAudio, useTempDirs } from './helpers';

const tempDir = useTempDirs();

function chunk(seed: number, length = 4800): AudioWithTimings {
  return {
    sampleRate: 24_000,
    samples: testAudio(seed, length),
    sentences: [{ sentence: seed, startSample: 0, endSample: length, start: 0, end: 11 }],
    words: [
      { startSample: 0, endSample: length / 2, start: 0, end: 5 },
      { startSample: length / 2, endSample: length, start: 6, end: 11 },
    ],
    tokenSpans: Int32Array.from([0, 600, 600, 1800, 1800, length]),
  };
}

const key = (n: number): string => cacheKey({ engine: 'kokoro', modelVersion: 'v1.0-fp32', voice: 'af_heart', speed: 1, ids: [0, 50, 83, 156, n, 0] });

describe('cacheKey', () => {
  it('is the sha256 of engine, model version, voice, speed and phoneme ids', () => {
    const base = { engine: 'kokoro', modelVersion: 'v1', voice: 'af_heart*0.6+bf_emma*0.4', speed: 1, ids: [0, 1, 2, 0] };
    expect(cacheKey(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey(base)).toBe(cacheKey({ ...base, ids: BigInt64Array.from([0n, 1n, 2n, 0n]) }));
    const variants = [{ engine: 'espeak' }, { modelVersion: 'v2' }, { voice: 'af_heart' }, { speed: 1.1 }, { ids: [0, 1, 2, 3, 0] }, { ids: [0, 2, 1, 0] }];
    const keys = new Set([cacheKey(base), ...variants.map((v) => cacheKey({ ...base, ...v }))]);
    expect(keys.size).toBe(variants.length + 1);
  });
});

describe('audio encoding', () => {
  it('round-trips samples and all timing tables in every encoding', () => {
    const audio = chunk(7, 24_000);
    for (const encoding of [AudioEncoding.Float32, AudioEncoding.Pcm16, AudioEncoding.Pcm16DeltaDeflate]) {
      const back = decodeAudio(encodeAudio(audio, encoding));
      expect(back.samples).toEqual(audio.samples); // test audio sits on the 16-bit grid
      expect(back.words).toEqual(audio.words);
      expect(back.sentences).toEqual(audio.sentences);
      expect(back.tokenSpans).toEqual(audio.tokenSpans);
      expect(back.sampleRate).toBe(24_000);
    }
  });

  it('keeps arbitrary float audio within half a 16-bit step, clipping beyond full scale', () => {
    const samples = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 0.0123) * 0.97 + Math.cos(i * 1.7) * 1e-4);
    samples[10] = 1.5;
    samples[11] = -3;
    const back = decodeAudio(encodeAudio({ sampleRate: 24_000, samples, words: [], sentences: [] })).samples;
    for (let i = 0; i < samples.length; i++) {
      const expected = Math.max(-1, Math.min(1, samples[i] ?? 0));
      expect(Math.abs((back[i] ?? 0) - expected)).toBeLessThanOrEqual(0.5 / 32767 + 1e-7);
    }
  });

  it('compresses speech-like audio well below 16-bit PCM', () => {
    const audio = chunk(1, 48_000);
    expect(encodeAudio(audio).length).toBeLessThan(encodeAudio(audio, AudioEncoding.Pcm16).length * 0.9);
  });
});

describe('audio cache', () => {
  it('stores and returns audio with its spans, across a restart', () => {
    const dir = tempDir();
    const cache = AudioCache.open({ dataDir: dir });
    const result = cache.put(key(1), chunk(1));
    expect(result).toMatchObject({ stored: true, evicted: 0 });
    cache.close();
    const again = AudioCache.open({ dataDir: dir });
    const got = again.get(key(1));
    expect(got?.samples).toEqual(chunk(1).samples);
    expect(got?.tokenSpans).toEqual(chunk(1).tokenSpans);
    expect(again.get(key(2))).toBeUndefined();
    expect(again.stats()).toEqual({ entries: 1, bytes: result.bytes, maxBytes: 2 * 1024 ** 3 });
    again.close();
  });

  it('evicts least recently used entries first, a get counting as a use', () => {
    const cache = AudioCache.open({ dataDir: tempDir() });
    const size = cache.put(key(0), chunk(0)).bytes;
    cache.delete(key(0));
    cache.setMaxBytes(Math.floor(size * 3.5)); // room for three (sizes differ a little per chunk)
    const present = (): string[] => ['a', 'b', 'c', 'd', 'e'].filter((_, i) => cache.has(key(i + 1)));
    cache.put(key(1), chunk(1)); // a
    cache.put(key(2), chunk(2)); // b
    cache.put(key(3), chunk(3)); // c
    expect(cache.get(key(1))).toBeDefined(); // a is now the most recent: b, c, a
    expect(cache.put(key(4), chunk(4)).evicted).toBe(1); // d evicts b
    expect(present()).toEqual(['a', 'c', 'd']);
    cache.get(key(3)); // a, d, c
    cache.put(key(5), chunk(5)); // e evicts a
    expect(present()).toEqual(['c', 'd', 'e']);
    expect(cache.stats().entries).toBe(3);
    expect(cache.stats().bytes).toBeLessThanOrEqual(size * 3.5);
    cache.close();
  });

  it('applies a new cap at once and remembers it; refuses an entry larger than the cap', () => {
    const dir = tempDir();
    const cache = AudioCache.open({ dataDir: dir });
    for (let n = 1; n <= 4; n++) cache.put(key(n), chunk(n));
    const one = cache.stats().bytes / 4;
    expect(cache.setMaxBytes(Math.ceil(one * 2))).toBe(2);
    expect([1, 2, 3, 4].map((n) => cache.has(key(n)))).toEqual([false, false, true, true]);
    expect(cache.put(key(9), chunk(9, 48_000))).toMatchObject({ stored: false });
    expect(cache.has(key(9))).toBe(false);
    cache.close();
    const again = AudioCache.open({ dataDir: dir });
    expect(again.stats().maxBytes).toBe(Math.ceil(one * 2));
    again.close();
  });

  it('gives the space of evicted entries back to the file system', () => {
    const cache = AudioCache.open({ dataDir: tempDir() });
    for (let n = 1; n <= 8; n++) cache.put(key(n), chunk(n, 24_000));
    const pages = (): number => Number(cache.db.connection.pragma('page_count', { simple: true }));
    const full = pages();
    cache.setMaxBytes(cache.stats().bytes / 4);
    expect(cache.stats().entries).toBeLessThanOrEqual(2);
    expect(pages()).toBeLessThan(full / 2);
    expect(cache.db.connection.pragma('freelist_count', { simple: true })).toBe(0);
    cache.close();
  });

  it('deletes an entry that fails its checksum and reports a miss, never the damaged audio', () => {
    const problems: ErrorData[] = [];
    const cache = AudioCache.open({ dataDir: tempDir(), onProblem: (p) => problems.push(p) });
    cache.put(key(1), chunk(1));
    cache.put(key(2), chunk(2));
    // Flip one byte of the stored blob, behind the cache's back.
    const c = cache.db.connection;
    const blob = c.prepare('SELECT blob FROM entries WHERE key = ?').pluck().get(key(1)) as Buffer;
    blob[blob.length - 100] = (blob[blob.length - 100] ?? 0) ^ 0x01;
    c.prepare('UPDATE entries SET blob = ? WHERE key = ?').run(blob, key(1));

    expect(cache.get(key(1))).toBeUndefined();
    expect(cache.has(key(1))).toBe(false);
    expect(problems.map((p) => p.code)).toEqual(['CACHE_ENTRY_CORRUPT']);
    expect(cache.get(key(2))?.samples).toEqual(chunk(2).samples);
    expect(cache.stats().entries).toBe(1);
    cache.close();
  });

  it('treats a blob that checks out but does not decode as damaged too', () => {
    const problems: string[] = [];
    const cache = AudioCache.open({ dataDir: tempDir(), onProblem: (p) => problems.push(p.code) });
    cache.put(key(1), chunk(1));
    const junk = Buffer.from('KRAC but not really a blob');
    cache.db.connection.prepare('UPDATE entries SET blob = ?, checksum = ? WHERE key = ?').run(junk, crc32(junk) >>> 0, key(1));
    expect(cache.get(key(1))).toBeUndefined();
    expect(cache.has(key(1))).toBe(false);
    expect(problems).toEqual(['CACHE_ENTRY_CORRUPT']);
    cache.close();
  });

  it('replaces an entry on a second put, with the new lexicon references', () => {
    const cache = AudioCache.open({ dataDir: tempDir() });
    cache.put(key(1), chunk(1), { lexiconEntryIds: [10, 11] });
    cache.put(key(1), chunk(2), { lexiconEntryIds: [12] });
    expect(cache.get(key(1))?.samples).toEqual(chunk(2).samples);
    expect(cache.invalidateByLexiconEntry(10)).toBe(0);
    expect(cache.stats().entries).toBe(1);
    expect(cache.invalidateByLexiconEntry(12)).toBe(1);
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
    cache.close();
  });

  it('reports DATABASE_DISK_FULL on a full disk and keeps the entries stored before', () => {
    const cache = AudioCache.open({ dataDir: tempDir() });
    cache.put(key(1), chunk(1));
    const c = cache.db.connection;
    c.pragma(`max_page_count = ${Number(c.pragma('page_count', { simple: true }))}`);
    let error: unknown;
    try {
      cache.put(key(2), chunk(2, 240_000));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('DATABASE_DISK_FULL');
    expect(cache.has(key(2))).toBe(false);
    expect(cache.get(key(1))?.samples).toEqual(chunk(1).samples);
    expect(cache.stats().entries).toBe(1);
    expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
    cache.close();
  });

  it('sets a damaged cache file aside and starts empty', () => {
    const dir = tempDir();
    writeFileSync(join(dir, CACHE_FILE), Buffer.alloc(8192, 0x42));
    const problems: ErrorData[] = [];
    const cache = AudioCache.open({ dataDir: dir, onProblem: (p) => problems.push(p) });
    expect(problems.map((p) => p.code)).toEqual(['DATABASE_CORRUPT']);
    expect(readFileSync(String(problems[0]?.data?.['setAsidePath']))).toEqual(Buffer.alloc(8192, 0x42));
    cache.put(key(1), chunk(1));
    expect(cache.has(key(1))).toBe(true);
    cache.close();
  });
});
