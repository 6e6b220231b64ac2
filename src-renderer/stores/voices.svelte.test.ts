import { describe, expect, it } from 'vitest';
import type { VoicePrefs } from '../../src-shared/ipc/contract';
import { StatusStore } from './status.svelte';
import { VoicesStore } from './voices.svelte';
import { FakeApi } from './testing/fake-api';

const VOICES = [
  { id: 'espeak:gmw/en-US', engine: 'espeak' as const, name: 'American', language: 'en-us' },
  { id: 'espeak:gmw/en', engine: 'espeak' as const, name: 'British', language: 'en-gb' },
];
const prefs = (voice: string, speed = 1, forDocument = false): VoicePrefs => ({ voice, speed, starred: [], forDocument });

function appWith(saved: VoicePrefs, hint?: string): FakeApi {
  return new FakeApi()
    .answer('app:info', () => ({ version: '0', defaultVoice: 'espeak:gmw/en-US', engines: ['espeak'], ...(hint ? { hint } : {}) }))
    .answer('voices:list', () => VOICES)
    .answer('prefs:get', () => saved);
}

describe('VoicesStore', () => {
  it('reads with the saved voice and speed, sorted voices to choose from', async () => {
    const voices = new VoicesStore(appWith(prefs('espeak:gmw/en', 1.5)), new StatusStore(undefined));
    expect(await voices.init()).toBe('');
    expect(voices.voice).toBe('espeak:gmw/en');
    expect(voices.speed).toBe(1.5);
    expect(voices.voices.map((v) => v.name)).toEqual(['American', 'British']);
  });

  it('says why a saved Kokoro voice cannot be used, with the app’s hint, and reads with the default', async () => {
    const hint = 'Natural Kokoro voices: The Kokoro model folder is incomplete… (/m is missing vocab.json)';
    const status = new StatusStore(undefined);
    const voices = new VoicesStore(appWith(prefs('kokoro:af_heart'), hint), status);
    const note = await voices.init();
    expect(note).toBe(`Your voice “af_heart” is not available, so American reads instead. ${hint}`);
    expect(voices.voice).toBe('espeak:gmw/en-US');
    expect(status.hint).toBe(hint);
  });

  it('saves for the open book only when asked, and says when going back to the defaults changes the voice', async () => {
    const api = appWith(prefs('espeak:gmw/en-US'));
    const voices = new VoicesStore(api, new StatusStore(undefined));
    await voices.init();
    voices.voice = 'espeak:gmw/en';
    voices.save(7);
    expect(api.paramsOf('prefs:set').at(-1)).toEqual({ voice: 'espeak:gmw/en', speed: 1 });
    api.answer('prefs:set', (change) => (change.clearDocument ? prefs('espeak:gmw/en-US') : prefs('espeak:gmw/en', 1, true)));
    expect(await voices.setForDocument(7, true)).toBe(false);
    expect(voices.forDocument).toBe(true);
    voices.save(7);
    expect(api.paramsOf('prefs:set').at(-1)).toEqual({ voice: 'espeak:gmw/en', speed: 1, documentId: 7 });
    expect(await voices.setForDocument(7, false)).toBe(true);
    expect(voices.voice).toBe('espeak:gmw/en-US');
  });

  it('saves a voice chosen while "this book only" is being saved for the book, not as the default', async () => {
    const api = appWith(prefs('espeak:gmw/en-US'));
    const waiting: (() => void)[] = [];
    api.answer('prefs:set', () => new Promise((resolve) => waiting.push(() => resolve(prefs('espeak:gmw/en-US', 1, true)))));
    const voices = new VoicesStore(api, new StatusStore(undefined));
    await voices.init();
    const pending = voices.setForDocument(7, true);
    voices.voice = 'espeak:gmw/en';
    voices.save(7);
    expect(api.paramsOf('prefs:set').at(-1)).toEqual({ voice: 'espeak:gmw/en', speed: 1, documentId: 7 });
    for (const answer of waiting) answer();
    await pending;
    expect(voices.forDocument).toBe(true);
  });

  it('keeps the voice when a blend is refused, and shows why', async () => {
    const status = new StatusStore(undefined);
    const api = appWith(prefs('')).answer('voices:blend', () => ({ ok: false, error: { code: 'UNKNOWN_VOICE', message: 'That voice is not installed. (zz_nobody)' } }));
    const voices = new VoicesStore(api, status);
    await voices.init();
    expect(await voices.createBlend('Nobody', 'af_heart*0.5+zz_nobody*0.5')).toBe(false);
    expect(voices.voice).toBe('espeak:gmw/en-US');
    expect(status.message).toContain('zz_nobody');
  });

  it('steps the speed by a tenth within the offered range, without drifting', () => {
    const voices = new VoicesStore(undefined, new StatusStore(undefined));
    voices.speed = 1.75;
    expect(voices.stepSpeed(1)).toBe(true);
    expect(voices.speed).toBe(1.85);
    voices.stepSpeed(1);
    voices.stepSpeed(1);
    expect(voices.speed).toBe(2);
    expect(voices.stepSpeed(1)).toBe(false);
    for (let i = 0; i < 20; i++) voices.stepSpeed(-1);
    expect(voices.speed).toBe(0.5);
    voices.stepSpeed(1);
    expect(voices.speed).toBe(0.6);
  });
});

describe('VoicesStore: stars and blends from the voice picker', () => {
  const BLEND = { id: 'kokoro:af_heart*0.6+bf_emma*0.4', engine: 'kokoro' as const, name: 'Warm narrator (blend)', language: 'en' };

  it('stars and unstars a voice other than the chosen one', async () => {
    const api = appWith(prefs('espeak:gmw/en-US'));
    let starred: string[] = [];
    api.answer('prefs:set', (change) => {
      if (change.star) starred = [...starred, change.star];
      if (change.unstar) starred = starred.filter((v) => v !== change.unstar);
      return { ...prefs('espeak:gmw/en-US'), starred };
    });
    const voices = new VoicesStore(api, new StatusStore(undefined));
    await voices.init();
    await voices.toggleStar('espeak:gmw/en');
    expect(voices.starred).toEqual(['espeak:gmw/en']);
    expect(voices.voice).toBe('espeak:gmw/en-US');
    await voices.toggleStar('espeak:gmw/en');
    expect(api.paramsOf('prefs:set')).toEqual([{ star: 'espeak:gmw/en' }, { unstar: 'espeak:gmw/en' }]);
    expect(voices.starred).toEqual([]);
  });

  it('deletes the chosen blend: the list is read again and the default voice reads instead', async () => {
    let listed = [...VOICES, BLEND];
    const api = appWith(prefs(BLEND.id))
      .answer('voices:list', () => listed)
      .answer('voices:blend-delete', ({ id }) => {
        listed = listed.filter((v) => v.id !== id);
        return { removed: true };
      });
    const status = new StatusStore(undefined);
    const voices = new VoicesStore(api, status);
    await voices.init();
    expect(voices.voice).toBe(BLEND.id);
    expect(await voices.deleteBlend(BLEND.id)).toBe(true);
    expect(api.paramsOf('voices:blend-delete')).toEqual([{ id: BLEND.id }]);
    expect(voices.voices.map((v) => v.id)).not.toContain(BLEND.id);
    expect(voices.voice).toBe('espeak:gmw/en-US');
    expect(status.message).toBe('Deleted the blend “Warm narrator”.');
  });
});
