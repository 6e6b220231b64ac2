/** The screen helper's settings in the library, and "clear the helper's audio" in its cache. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/services/app-services';
import type { AppServices } from '../../src-main/services/app-services';
import { childProcessTransport } from '../../src-main/services/engine/child-process-transport';
import type { ClientContext } from '../../src-main/services/handlers';
import { HELPER_AUDIO_OWNER } from '../../src-main/services/library/audio-cache';
import { dispatch } from '../../src-main/services/router';
import { DEFAULT_HELPER_SETTINGS } from '../../src-main/services/screen-helper/settings';
import { ENGINE_ENTRY, IMPORT_WORKER } from '../helpers/paths';

const opened: AppServices[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const services of opened.splice(0)) services.dispose();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(dataDir: string): AppServices {
  const services = createAppServices({ engineTransport: childProcessTransport(ENGINE_ENTRY, { stderr: 'ignore' }), importWorker: IMPORT_WORKER, version: 'test', dataDir, log: () => undefined });
  opened.push(services);
  return services;
}

const client: ClientContext = { id: 'window', emit: () => undefined };
const audio = { sampleRate: 24000, samples: new Float32Array(240), sentences: [], words: [] };

describe('screen helper settings and audio in the library', () => {
  it('remembers the settings across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-helper-lib-'));
    dirs.push(dataDir);
    const first = open(dataDir);
    expect(first.helper.state().settings).toEqual(DEFAULT_HELPER_SETTINGS);
    await dispatch(first.handlers, 'helper:configure', { keepInTray: true, cacheAudio: false, shortcuts: { stop: 'F8' } }, client);
    first.dispose();
    opened.splice(0);
    const second = open(dataDir);
    expect(second.helper.state().settings).toMatchObject({ keepInTray: true, cacheAudio: false, enabled: false, shortcuts: { stop: 'F8', faster: DEFAULT_HELPER_SETTINGS.shortcuts.faster } });
  });

  it("clears the helper's audio and keeps the rest, also a chunk a document shares with the helper", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-helper-lib-'));
    dirs.push(dataDir);
    const services = open(dataDir);
    const cache = services.library?.library.cache;
    if (!cache) throw new Error('no library');
    cache.put('helper-only', audio, { documentId: HELPER_AUDIO_OWNER });
    cache.put('reader-only', audio);
    cache.put('shared', audio, { documentId: 7 });
    cache.put('shared', audio, { documentId: HELPER_AUDIO_OWNER });
    expect(await dispatch(services.handlers, 'helper:cache-clear', null, client)).toEqual({ ok: true, value: { removed: 1 } });
    expect(['helper-only', 'reader-only', 'shared'].map((key) => cache.has(key))).toEqual([false, true, true]);
  });
});
