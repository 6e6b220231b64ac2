import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HelperAction, HelperState, ShortcutStatus } from '../../src-shared/screen-helper/types';
import { HELPER_ACTIONS } from '../../src-shared/screen-helper/types';
import { fakeChunk, installFakeAudioContext } from '../lib/testing/fake-web-audio';
import { HelperStore, MEDIA_TITLE } from './helper.svelte';
import type { MediaSessionLike } from './helper.svelte';
import { FakeApi } from './testing/fake-api';
import { readingAloud } from './testing/reading-aloud';

const helperState = (cacheAudio: boolean, taken?: HelperAction): HelperState => ({
  settings: {
    enabled: true,
    shortcuts: Object.fromEntries(HELPER_ACTIONS.map((a) => [a, ''])) as Record<HelperAction, string>,
    keepInTray: false,
    clipboardWatch: false,
    cacheAudio,
  },
  shortcuts: Object.fromEntries(
    HELPER_ACTIONS.map((a): [HelperAction, ShortcutStatus] => [a, a === taken ? { accelerator: 'Ctrl+Alt+R', state: 'taken', message: 'Ctrl+Alt+R is used by another program.' } : { accelerator: '', state: 'off' }]),
  ) as Record<HelperAction, ShortcutStatus>,
  available: true,
});

let api: FakeApi;
/** The reading stores the helper drives, and the fake audio clock's `at`. */
let aloud: ReturnType<typeof readingAloud>;
let helper: HelperStore;
let uninstall: () => void;

beforeEach(() => {
  uninstall = installFakeAudioContext();
  api = new FakeApi()
    .answer('prefs:set', () => ({ voice: '', speed: 1, starred: [], forDocument: false }))
    .answer('helper:state', () => helperState(false))
    .answer('helper:attach', () => null)
    .answer('helper:hide', () => null)
    .answer('helper:open-in-reader', () => null);
  aloud = readingAloud(api, { textId: (text) => `t-${text.length}`, sentenceCount: 3 });
  helper = new HelperStore({ api, status: aloud.status, reading: aloud.reading, playback: aloud.playback });
});

afterEach(() => uninstall());

describe('HelperStore in the mini player', () => {
  it('attaches after learning the settings, then reads a pushed text from its start without the cache when the person said so', async () => {
    await helper.attach();
    expect(api.calls.map((c) => c.channel)).toEqual(['helper:state', 'helper:attach']);
    api.push('helper:read', { text: 'First one. Second one. Third one.', source: 'clipboard' });
    await vi.waitFor(() => expect(api.paramsOf('speech:speak')).toHaveLength(1));
    expect(api.paramsOf('text:set')).toEqual([{ text: 'First one. Second one. Third one.' }]);
    expect(api.paramsOf('speech:speak')[0]).toMatchObject({ textId: 't-33', fromSentence: 0, cache: false });
    expect(aloud.reading.mode).toBe('read');
    aloud.audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 3) });
    aloud.at(1.5);
    expect(aloud.playback.current).toBe(1);
    expect(helper.truncationNote).toBe('');
  });

  it('stops what it read before when a new text comes, and the latest of texts sent at once wins', async () => {
    api.answer('helper:state', () => helperState(true));
    await helper.attach();
    await helper.read({ text: 'Old text here. More of it.', source: 'selection' });
    aloud.audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 2) });
    aloud.at(0.5);
    expect(aloud.playback.playState).toBe('playing');
    const second = helper.read({ text: 'Skipped.', source: 'clipboard' });
    const third = helper.read({ text: 'New text.', source: 'clipboard', truncatedFrom: 5_000_000 });
    await Promise.all([second, third]);
    expect(api.paramsOf('speech:stop')).toContainEqual({ session: 's1' });
    expect(api.paramsOf('text:set').map((p) => p.text)).toEqual(['Old text here. More of it.', 'New text.']);
    expect(api.paramsOf('speech:speak').at(-1)).toMatchObject({ fromSentence: 0, cache: true });
    expect(helper.truncationNote).toBe('Only the start is read (9 of 5,000,000 characters).');
  });

  it('follows the controls main sends: pause and resume, speed, next sentence, stop', async () => {
    await helper.attach();
    // Before any text, a stray "pause/resume" reads nothing (no empty-text error either).
    api.push('helper:control', { action: 'pause-resume' });
    expect(api.paramsOf('text:set')).toEqual([]);
    await helper.read({ text: 'One. Two. Three.', source: 'clipboard' });
    aloud.audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 3) });
    aloud.at(0.5);
    await helper.control('pause-resume');
    expect(aloud.playback.playState).toBe('paused');
    await helper.control('pause-resume');
    expect(aloud.playback.playState).toBe('playing');
    await helper.control('faster');
    await helper.control('faster');
    expect(aloud.voices.speed).toBe(1.2);
    expect(api.paramsOf('speech:speak').at(-1)).toMatchObject({ fromSentence: 1, speed: 1.2, cache: false });
    await helper.control('slower');
    expect(aloud.voices.speed).toBe(1.1);
    await helper.control('next');
    expect(api.paramsOf('speech:speak').at(-1)).toMatchObject({ fromSentence: 1 });
    await helper.control('stop');
    expect(aloud.playback.playState).toBe('idle');
  });

  it('shows a notice with its fix, and clears it when a text is read', async () => {
    await helper.attach();
    api.push('helper:notice', { error: { code: 'EMPTY_TEXT', message: 'There is no text to read.' } });
    expect(helper.notice).toBe('There is no text to read. Paste or type some text, then press Play.');
    await helper.read({ text: 'Now there is.', source: 'clipboard' });
    expect(helper.notice).toBe('');
  });

  it('stops before hiding, and opens the text in the reader at the sentence being heard', async () => {
    await helper.attach();
    await helper.read({ text: 'One. Two. Three.', source: 'clipboard' });
    aloud.audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 3) });
    aloud.at(2.5);
    await helper.openInReader();
    expect(api.paramsOf('helper:open-in-reader')).toEqual([{ text: 'One. Two. Three.', fromSentence: 2 }]);
    expect(aloud.playback.playState).toBe('idle');
    await helper.read({ text: 'Again.', source: 'clipboard' });
    await helper.hide();
    const channels = api.calls.map((c) => c.channel);
    expect(channels.lastIndexOf('speech:stop')).toBeLessThan(channels.lastIndexOf('helper:hide'));
    expect(aloud.playback.playState).toBe('idle');
  });

  it('holds the media keys while it reads and lets them go when it stops', async () => {
    const handlers = new Map<string, (() => void) | null>();
    const session: MediaSessionLike = { metadata: null, playbackState: 'none', setActionHandler: (action, handler) => handlers.set(action, handler) };
    await helper.attach();
    await helper.read({ text: 'One. Two.', source: 'clipboard' });
    aloud.audio.send({ kind: 'chunk', session: 's1', chunk: fakeChunk(0, 0, 2) });
    helper.reflectInMediaSession(session, (title) => ({ title }));
    expect(session.metadata).toEqual({ title: MEDIA_TITLE });
    expect(session.playbackState).toBe('playing');
    handlers.get('pause')?.();
    await vi.waitFor(() => expect(aloud.playback.playState).toBe('paused'));
    // "pause" while paused does not resume.
    handlers.get('pause')?.();
    handlers.get('play')?.();
    await vi.waitFor(() => expect(aloud.playback.playState).toBe('playing'));
    handlers.get('stop')?.();
    await vi.waitFor(() => expect(aloud.playback.playState).toBe('idle'));
    helper.reflectInMediaSession(session, (title) => ({ title }));
    expect(session.metadata).toBeNull();
    expect([...handlers.values()].every((handler) => handler === null)).toBe(true);
  });
});

describe('HelperStore in the reader window', () => {
  it('follows the helper state pushed by main and shows a shortcut that is taken', async () => {
    helper.watch();
    await vi.waitFor(() => expect(helper.state?.settings.cacheAudio).toBe(false));
    api.push('helper:state', helperState(true, 'read-clipboard'));
    expect(helper.state?.shortcuts['read-clipboard']).toMatchObject({ state: 'taken', message: 'Ctrl+Alt+R is used by another program.' });
    // The reader window's own reading is not the helper's: its cache setting is left alone.
    expect(aloud.playback.cacheAudio).toBeUndefined();
    // With no mini player, a shortcut's notice shows here.
    api.push('helper:notice', { error: { code: 'EMPTY_TEXT', message: 'There is no text to read.' } });
    expect(aloud.status.error?.code).toBe('EMPTY_TEXT');
  });

  it('shows a text opened from the mini player as pasted text, at its sentence, ready to play', async () => {
    helper.watch();
    aloud.reading.draft = 'What was typed before.';
    api.push('helper:open-text', { text: 'One. Two. Three.', fromSentence: 1 });
    await vi.waitFor(() => expect(aloud.reading.mode).toBe('read'));
    expect(aloud.reading.text?.pasted?.text).toBe('One. Two. Three.');
    expect(aloud.playback.current).toBe(1);
    expect(aloud.playback.playState).toBe('idle');
    expect(aloud.status.message).toContain('press Play');
  });

  it('configures, says why a change was refused, and reports the cleared cache', async () => {
    api.answer('helper:configure', (changes) => ({ ...helperState(changes.cacheAudio ?? true), available: false }));
    expect(await helper.configure({ cacheAudio: false })).toBe('');
    expect(helper.state?.available).toBe(false);
    api.answer('helper:configure', () => ({ ok: false, error: { code: 'UNKNOWN_METHOD', message: 'No such request.' } }));
    expect(await helper.configure({ enabled: true })).toContain('No such request.');
    api.answer('helper:cache-clear', () => ({ removed: 3 }));
    expect(await helper.clearCache()).toBe('Removed 3 pieces of the helper’s audio from the cache.');
  });
});
