import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { childProcessTransport } from '../../src-main/services/engine/child-process-transport';
import { VoiceDirectory } from '../../src-main/services/speech-request';
import { planSegments } from '../../src-shared/speech/plan';
import { writeKokoroFixture } from '../helpers/kokoro-fixtures';
import { ENGINE_ENTRY, IMPORT_WORKER, ROOT, requireBuild } from '../helpers/paths';
import { createAppServices } from '../../src-main/services/app-services';
import type { ClientContext } from '../../src-main/services/handlers';

const dir = mkdtempSync(join(tmpdir(), 'kokoro-reload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine.reload', () => {
  it('offers Kokoro once its model appears in the model folder, without restarting the engine', async () => {
    requireBuild();
    const modelDir = join(dir, 'models');
    mkdirSync(modelDir);
    const engine = new EngineSupervisor(childProcessTransport(ENGINE_ENTRY, { stderr: 'ignore' }), { config: { modelDir } });
    const voices = new VoiceDirectory(engine);
    try {
      const before = await voices.installed();
      expect(before.voices.some((v) => v.engine === 'kokoro')).toBe(false);
      expect(before.unavailable?.map((u) => u.engine)).toEqual(['kokoro']);
      const pid = engine.pid;

      // The model is installed (downloaded, imported or repaired) while the app runs.
      writeKokoroFixture(modelDir, 'descriptive');
      copyFileSync(join(ROOT, '..', 'shared', 'kokoro', 'vocab.json'), join(modelDir, 'vocab.json'));
      await engine.reload();

      const after = await voices.installed();
      expect(after.voices.map((v) => v.id)).toContain('kokoro:af_heart');
      expect(after.unavailable).toEqual([]);
      expect(engine.engines).toEqual(['kokoro', 'espeak']);
      const chunks: unknown[] = [];
      await engine.request('synthesize', { engine: 'kokoro', voice: 'af_heart', speed: 1, segments: planSegments('Hello world.') }, (chunk) => chunks.push(chunk)).result;
      expect(chunks).toHaveLength(1);
      expect(engine.pid).toBe(pid);
    } finally {
      engine.dispose();
    }
  }, 60_000);
});

describe('a window that loads after a model was installed elsewhere (the CLI)', () => {
  it('gets the Kokoro voices without restarting the app, and the hint says how to pick them up', async () => {
    requireBuild();
    const modelDir = join(dir, 'models-app');
    mkdirSync(modelDir);
    const services = createAppServices({
      engineTransport: childProcessTransport(ENGINE_ENTRY, { stderr: 'ignore' }),
      engineConfig: { modelDir },
      importWorker: IMPORT_WORKER,
      version: 'test',
    });
    const window: ClientContext = { id: 'w', emit: () => undefined };
    try {
      const before = await services.handlers['app:info'](null, window);
      expect(before.hint).toContain('Then reload the window (Ctrl+R).');
      expect(before.hint).not.toContain('restart');
      writeKokoroFixture(modelDir, 'descriptive');
      copyFileSync(join(ROOT, '..', 'shared', 'kokoro', 'vocab.json'), join(modelDir, 'vocab.json'));
      // The window reloads: it asks for the app's info again.
      const after = await services.handlers['app:info'](null, window);
      expect(after.hint).toBeUndefined();
      expect(after.defaultVoice).toBe('kokoro:af_heart');
    } finally {
      services.dispose();
    }
  }, 60_000);
});
