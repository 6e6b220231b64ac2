/**
 * The app's precision setting (models:settings, models:configure): kept in the library, handed
 * to the running engine at once, and the one the engine starts with after a restart. The audio
 * cache shows which precision spoke: each has cache entries of its own.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/services/app-services';
import type { AppServices } from '../../src-main/services/app-services';
import { childProcessTransport } from '../../src-main/services/engine/child-process-transport';
import type { ClientContext } from '../../src-main/services/handlers';
import { dispatch } from '../../src-main/services/router';
import { planSegments } from '../../src-shared/speech/plan';
import type { AudioChunk } from '../../src-shared/speech/types';
import { writeKokoroFixture } from '../helpers/kokoro-fixtures';
import { ENGINE_ENTRY, IMPORT_WORKER, ROOT, requireBuild } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'kokoro-precision-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const client: ClientContext = { id: 'window', emit: () => undefined };

function open(modelDir: string, dataDir: string): AppServices {
  return createAppServices({
    engineTransport: childProcessTransport(ENGINE_ENTRY, { stderr: 'ignore' }),
    engineConfig: { modelDir, dataDir },
    importWorker: IMPORT_WORKER,
    version: 'test',
    dataDir,
    log: () => undefined,
  });
}

/** Speaks one sentence with Kokoro; true when its chunk came from the audio cache. */
async function spokenFromCache(services: AppServices, text: string): Promise<boolean> {
  const chunks: AudioChunk[] = [];
  await services.engine.request('synthesize', { engine: 'kokoro', voice: 'af_heart', speed: 1, segments: planSegments(text) }, (chunk) => chunks.push(chunk)).result;
  expect(chunks).toHaveLength(1);
  return chunks[0]!.cached === true;
}

describe("the app's precision setting", () => {
  it('is exact until changed, reaches the running engine, and is the one the engine starts with next time', async () => {
    requireBuild();
    const modelDir = join(dir, 'models');
    const dataDir = join(dir, 'data');
    mkdirSync(modelDir);
    writeKokoroFixture(modelDir, 'descriptive');
    copyFileSync(join(ROOT, '..', 'shared', 'kokoro', 'vocab.json'), join(modelDir, 'vocab.json'));

    const first = open(modelDir, dataDir);
    try {
      expect(await dispatch(first.handlers, 'models:settings', null, client)).toEqual({ ok: true, value: { precision: 'exact' } });
      expect(await spokenFromCache(first, 'Hello world.')).toBe(false);
      expect(await spokenFromCache(first, 'Hello world.')).toBe(true);
      expect(await dispatch(first.handlers, 'models:configure', { precision: 'fast' }, client)).toEqual({ ok: true, value: { precision: 'fast' } });
      // The engine now speaks 'fast': audio of its own, not exact's from the cache.
      expect(await spokenFromCache(first, 'Hello world.')).toBe(false);
      // Only 'fast' has spoken this one.
      expect(await spokenFromCache(first, 'Good morning.')).toBe(false);
    } finally {
      first.dispose();
    }

    const again = open(modelDir, dataDir);
    try {
      expect(await dispatch(again.handlers, 'models:settings', null, client)).toEqual({ ok: true, value: { precision: 'fast' } });
      // Started with 'fast': the audio 'fast' cached before the restart.
      expect(await spokenFromCache(again, 'Good morning.')).toBe(true);
      await dispatch(again.handlers, 'models:configure', { precision: 'exact' }, client);
      expect(await spokenFromCache(again, 'Good morning.')).toBe(false);
      expect(await spokenFromCache(again, 'Hello world.')).toBe(true);
    } finally {
      again.dispose();
    }
  }, 120_000);

  it('refuses another value, naming the setting and what it takes', async () => {
    const services = open(join(dir, 'no-models'), join(dir, 'data-refuse'));
    try {
      const refused = await dispatch(services.handlers, 'models:configure', { precision: 'turbo' }, client);
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.message).toMatch(/precision.*"exact" or "fast"/);
      expect(await dispatch(services.handlers, 'models:settings', null, client)).toEqual({ ok: true, value: { precision: 'exact' } });
    } finally {
      services.dispose();
    }
  });
});
