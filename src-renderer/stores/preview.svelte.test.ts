import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { audioClock, fakeChunk, installFakeAudioContext } from '../lib/testing/fake-web-audio';
import { PreviewStore, SAMPLE_SENTENCE } from './preview.svelte';
import { FakeApi } from './testing/fake-api';
import { readingAloud } from './testing/reading-aloud';

let api: FakeApi;
let stores: ReturnType<typeof readingAloud>;
let preview: PreviewStore;
let uninstall: () => void;

beforeEach(async () => {
  uninstall = installFakeAudioContext();
  api = new FakeApi()
    .answer('app:info', () => ({ version: '0', defaultVoice: 'espeak:gmw/en-US', engines: ['espeak'] }))
    .answer('voices:list', () => [{ id: 'espeak:gmw/en-US', engine: 'espeak', name: 'American', language: 'en-us' }]);
  stores = readingAloud(api, { textId: (text) => (text === SAMPLE_SENTENCE || text === 'tomato' ? 'sample' : 'pasted') });
  preview = new PreviewStore({ api, audio: stores.audio, status: stores.status, voices: stores.voices, playback: stores.playback });
  await stores.voices.init();
});

afterEach(() => uninstall());

describe('PreviewStore', () => {
  it('speaks the same sample sentence in the voice asked for, through the cache, beside the pasted text', async () => {
    await preview.voice('espeak:gmw/en');
    expect(api.paramsOf('text:set')).toEqual([{ text: SAMPLE_SENTENCE, sample: true }]);
    expect(api.paramsOf('speech:speak')).toEqual([{ textId: 'sample', voice: 'espeak:gmw/en', speed: 1, cache: true }]);
    expect(preview.playing).toBe('espeak:gmw/en');
    stores.audio.send({ kind: 'chunk', session: 's1', chunk: { ...fakeChunk(0, 0, 1), cached: true } });
    stores.audio.send({ kind: 'end', session: 's1', chunks: 1 });
    expect(preview.source).toBe('cache');
    // Reading was not started by the sample's audio.
    expect(stores.playback.playState).toBe('idle');
    audioClock().advanceTo(2);
    expect(preview.playing).toBeUndefined();
  });

  it('says the engine made it when any piece was synthesised, and stops reading first', async () => {
    stores.reading.draft = 'One here. Two here.';
    await stores.playback.play();
    expect(stores.playback.playState).toBe('starting');
    await preview.word('tomato');
    expect(stores.playback.playState).toBe('idle');
    expect(api.paramsOf('speech:speak').at(-1)).toEqual({ textId: 'sample', voice: 'espeak:gmw/en-US', speed: 1, cache: true });
    stores.audio.send({ kind: 'chunk', session: 's2', chunk: { ...fakeChunk(0, 0, 1), cached: true } });
    stores.audio.send({ kind: 'chunk', session: 's2', chunk: fakeChunk(1, 0, 1) });
    expect(preview.source).toBe('engine');
    // The engine hears how far the sample has played (its credit to go on).
    audioClock().advanceTo((audioClock().sources[0]?.startAt ?? 0) + 1.01);
    expect(stores.audio.reports.at(-1)).toEqual({ kind: 'playing', session: 's2', sequence: 1 });
  });

  it('keeps audio that overtakes the answer, and shows the engine’s error', async () => {
    let answer: (() => void) | undefined;
    api.answer('speech:speak', () => new Promise((resolve) => (answer = () => resolve({ session: 's9', voice: 'x', sentenceCount: 1 }))));
    const speaking = preview.voice('espeak:gmw/en');
    await expect.poll(() => answer).toBeDefined();
    stores.audio.send({ kind: 'error', session: 's9', error: { code: 'UNKNOWN_VOICE', message: 'No such voice.' } });
    answer?.();
    await speaking;
    expect(preview.playing).toBeUndefined();
    expect(stores.status.error?.code).toBe('UNKNOWN_VOICE');
  });
});
