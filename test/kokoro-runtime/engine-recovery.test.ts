import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { childProcessTransport } from '../../src-main/services/engine/child-process-transport';
import { AppError } from '../../src-shared/errors/catalogue';
import { planSegments } from '../../src-shared/speech/plan';
import type { AudioChunk } from '../../src-shared/speech/types';
import { writeKokoroFixture } from '../helpers/kokoro-fixtures';
import { ENGINE_ENTRY, ROOT, requireBuild } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'kokoro-recovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function speak(engine: EngineSupervisor, text: string): Promise<AudioChunk[]> {
  const chunks: AudioChunk[] = [];
  await engine.request('synthesize', { engine: 'kokoro', voice: 'af_heart', speed: 1, segments: planSegments(text) }, (c) => chunks.push(c)).result;
  return chunks;
}

describe('Kokoro engine process with damaged model files', () => {
  it('answers a corrupt graph with a catalogue error, and works once the file is repaired, without a restart', async () => {
    requireBuild();
    writeKokoroFixture(dir, 'descriptive');
    copyFileSync(join(ROOT, '..', 'shared', 'kokoro', 'vocab.json'), join(dir, 'vocab.json'));
    const good = readFileSync(join(dir, 'kokoro_vocoder.tflite'));
    // Garbage of the right size: present, so Kokoro is offered, but not a model.
    writeFileSync(join(dir, 'kokoro_vocoder.tflite'), Buffer.alloc(good.length, 0x5a));

    const engine = new EngineSupervisor(childProcessTransport(ENGINE_ENTRY, { stderr: 'ignore' }), { config: { modelDir: dir } });
    try {
      await engine.ready();
      expect(engine.engines).toEqual(['kokoro', 'espeak']);
      const pid = engine.pid;
      const error = await speak(engine, 'Hello world.').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(['MODEL_INVALID', 'MODEL_LOAD_FAILED']).toContain((error as AppError).code);
      expect((error as AppError).message).toMatch(/kokoro_vocoder\.tflite/);

      // The user repairs the folder (e.g. `models download` again); the next request loads it.
      writeFileSync(join(dir, 'kokoro_vocoder.tflite'), good);
      const chunks = await speak(engine, 'Hello world.');
      expect(chunks).toHaveLength(1);
      expect(chunks[0]?.samples.length).toBeGreaterThan(0);
      expect(engine.pid).toBe(pid);
      // eSpeak NG kept working throughout.
      await engine.request('synthesize', { engine: 'espeak', voice: 'gmw/en-US', speed: 1, segments: planSegments('Still here.') }).result;
    } finally {
      engine.dispose();
    }
  }, 60_000);
});
