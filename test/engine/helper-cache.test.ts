/**
 * The screen helper's privacy setting: with `cache: false` a reading neither reads nor writes
 * the audio cache; with it on, the helper's audio is tagged so "clear the helper's audio"
 * removes it and nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { AudioCache, HELPER_AUDIO_OWNER } from '../../src-main/services/library/audio-cache';
import { ReaderService } from '../../src-main/services/reader-service';
import { ReadingTexts } from '../../src-main/services/reading-texts';
import type { ClientContext } from '../../src-main/services/handlers';
import type { EngineMethods } from '../../src-shared/ipc/engine-protocol';
import { planSegments } from '../../src-shared/speech/plan';
import type { AudioChunk, SynthesisRequest } from '../../src-shared/speech/types';
import { startTestEngine } from '../helpers/engine';

let engine: EngineSupervisor | undefined;
const dirs: string[] = [];
afterEach(() => {
  engine?.dispose();
  engine = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function speak(text: string, cacheFields: Pick<SynthesisRequest, 'cache' | 'cacheOwner'>): Promise<AudioChunk[]> {
  const chunks: AudioChunk[] = [];
  await engine?.request('synthesize', { engine: 'espeak', voice: 'gmw/en-US', speed: 1, segments: planSegments(text), ...cacheFields }, (chunk) => chunks.push(chunk)).result;
  return chunks;
}

function cacheEntries(dataDir: string): { entries: number; helperKeys: number } {
  const cache = AudioCache.open({ dataDir });
  try {
    return { entries: cache.stats().entries, helperKeys: cache.keysForDocument(HELPER_AUDIO_OWNER).length };
  } finally {
    cache.close();
  }
}

describe('the audio cache and the screen helper', () => {
  it('cache:false neither writes nor reads the cache; the helper tag lets its audio be cleared apart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-helper-cache-'));
    dirs.push(dataDir);
    engine = startTestEngine({ config: { dataDir } });

    const privateChunks = await speak('A private sentence from the clipboard.', { cache: false });
    expect(privateChunks.length).toBeGreaterThan(0);
    expect(cacheEntries(dataDir).entries).toBe(0);

    // Cached by the reader: a helper reading with cache:false must not take it from the cache either.
    await speak('A sentence the reader has cached.', {});
    expect(cacheEntries(dataDir)).toEqual({ entries: 1, helperKeys: 0 });
    const uncached = await speak('A sentence the reader has cached.', { cache: false });
    expect(uncached.every((chunk) => chunk.cached === false)).toBe(true);
    const cachedAgain = await speak('A sentence the reader has cached.', {});
    expect(cachedAgain.every((chunk) => chunk.cached === true)).toBe(true);

    await speak('The helper may cache this one.', { cacheOwner: 'helper' });
    expect(cacheEntries(dataDir)).toEqual({ entries: 2, helperKeys: 1 });
    const cache = AudioCache.open({ dataDir });
    expect(cache.forgetDocument(HELPER_AUDIO_OWNER)).toBe(1);
    expect(cache.stats().entries).toBe(1);
    cache.close();
  });
});

describe('reader service policy for the mini player', () => {
  it("sends the mini player's readings with the helper's cache setting, whatever the page asks", async () => {
    const streams: EngineMethods['stream']['params'][] = [];
    let id = 0;
    const fakeEngine = {
      unavailable: [],
      engines: ['espeak'],
      offeredVersion: 1,
      cancel: () => undefined,
      request(method: string, params: unknown) {
        if (method === 'stream') streams.push(params as EngineMethods['stream']['params']);
        const result = method === 'voices' ? [{ id: 'espeak:gmw/en-US', engine: 'espeak', name: 'English', language: 'en-us' }] : { chunks: 1, samples: 1, sampleRate: 24000 };
        return { id: ++id, result: Promise.resolve(result) };
      },
    } as unknown as EngineSupervisor;
    let helperCaches = false;
    const mini: ClientContext = { id: 'mini', emit: () => undefined };
    const reader: ClientContext = { id: 'reader', emit: () => undefined };
    const service = new ReaderService(fakeEngine, new ReadingTexts(), {
      defaultVoice: 'espeak:gmw/en-US',
      readingPolicyOf: (client) => (client.id === 'mini' ? { cache: helperCaches, owner: 'helper', firstSentenceAlone: true } : undefined),
    });
    const speakAs = async (client: ClientContext, cache?: boolean) => {
      const { textId } = service.setText('One sentence.', client);
      await service.speak({ textId, ...(cache === undefined ? {} : { cache }) }, client);
      await expect.poll(() => streams.length).toBeGreaterThan(0);
      return streams.splice(0).at(-1);
    };
    // The page asks to cache; the helper's setting says no.
    expect(await speakAs(mini, true)).toMatchObject({ cache: false, cacheOwner: 'helper' });
    helperCaches = true;
    expect(await speakAs(mini)).not.toHaveProperty('cache');
    expect(await speakAs(mini, false)).toMatchObject({ cache: false });
    const fromReader = await speakAs(reader);
    expect(fromReader).not.toHaveProperty('cache');
    expect(fromReader).not.toHaveProperty('cacheOwner');
    expect(await speakAs(reader, false)).toMatchObject({ cache: false });

    // The mini player's first sentence goes alone, so its sound starts before the rest is made.
    const threeSentences = 'The first sentence. The second one. The third one.';
    const sentencesOfRequests = async (client: ClientContext) => {
      await service.speak({ textId: service.setText(threeSentences, client).textId }, client);
      await expect.poll(() => streams.some((stream) => stream.final)).toBe(true);
      return streams.splice(0).map((stream) => ({ sentences: [...new Set(stream.segments.map((s) => s.sentence))], final: stream.final, owner: stream.cacheOwner }));
    };
    expect(await sentencesOfRequests(mini)).toEqual([
      { sentences: [0], final: false, owner: 'helper' },
      { sentences: [1, 2], final: true, owner: 'helper' },
    ]);
    expect(await sentencesOfRequests(reader)).toEqual([{ sentences: [0, 1, 2], final: true, owner: undefined }]);
  });
});
