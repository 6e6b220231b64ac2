import { describe, expect, it } from 'vitest';
import { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import type { EngineTransport } from '../../src-main/services/engine/transport';
import { VoiceDirectory } from '../../src-main/services/speech-request';
import { parseEngineConfig } from '../../src-shared/ipc/engine-config';
import type { EngineConfig } from '../../src-shared/ipc/engine-config';
import type { EngineToParent, ParentToEngine } from '../../src-shared/ipc/engine-protocol';

/** Engine processes in memory: each records what it is sent, says ready when started, lists one voice named after it, and can crash. */
function fakeProcesses() {
  const started: { sent: ParentToEngine[]; crash: () => void }[] = [];
  const factory = (): EngineTransport => {
    const sent: ParentToEngine[] = [];
    let onMessage: (message: EngineToParent) => void = () => undefined;
    let onExit: (code: number | null, signal: string | null) => void = () => undefined;
    started.push({ sent, crash: () => onExit(null, 'SIGKILL') });
    return {
      pid: started.length,
      send(message) {
        sent.push(message);
        const pid = started.length;
        if ('start' in message) queueMicrotask(() => onMessage({ event: 'ready', data: { pid, engines: ['espeak'] } }));
        if ('method' in message && message.method === 'reload') queueMicrotask(() => onMessage({ id: message.id, result: { engines: ['espeak'], unavailable: [] } }));
        if ('method' in message && message.method === 'voices') {
          queueMicrotask(() => onMessage({ id: message.id, result: [{ id: `espeak:process-${pid}`, engine: 'espeak', name: `Process ${pid}`, language: 'en' }] }));
        }
      },
      onMessage: (listener) => void (onMessage = listener),
      onExit: (listener) => void (onExit = listener),
      kill: () => undefined,
      stop: () => undefined,
    };
  };
  return { started, factory };
}

describe('typed engine start', () => {
  it('sends the config as the first message to every process, the same after a crash', async () => {
    const config: EngineConfig = { modelDir: '/models', dataDir: '/data', cacheDir: '/data/cache', kokoro: { inverse: 'bases', noise: false } };
    const { started, factory } = fakeProcesses();
    const engine = new EngineSupervisor(factory, { config, backoffMs: [0] });
    try {
      await engine.ready();
      started[0]?.crash();
      await expect.poll(() => started.length).toBe(2);
      await engine.ready();
      expect(started.map((process) => process.sent[0])).toEqual([{ start: config }, { start: config }]);
    } finally {
      engine.dispose();
    }
  });

  it("hands a change of Kokoro's options to the running process, and starts the next one (after a crash) with them", async () => {
    const config: EngineConfig = { modelDir: '/models', kokoro: { inverse: 'bases', noise: false } };
    const { started, factory } = fakeProcesses();
    const engine = new EngineSupervisor(factory, { config, backoffMs: [0] });
    try {
      await engine.ready();
      await engine.reconfigureKokoro({ precision: 'fast' });
      expect(started[0]?.sent.filter((m) => 'method' in m && m.method === 'reload').map((m) => 'params' in m && m.params)).toEqual([{ kokoro: { precision: 'fast' } }]);
      started[0]?.crash();
      await expect.poll(() => started.length).toBe(2);
      await engine.ready();
      expect(started[1]?.sent[0]).toEqual({ start: { modelDir: '/models', kokoro: { inverse: 'bases', noise: false, precision: 'fast' } } });
    } finally {
      engine.dispose();
    }
  });

  it('asks for the voice list again from a restarted engine, and only then', async () => {
    const { started, factory } = fakeProcesses();
    const engine = new EngineSupervisor(factory, { backoffMs: [0] });
    const voices = new VoiceDirectory(engine);
    try {
      expect((await voices.list()).map((v) => v.id)).toEqual(['espeak:process-1']);
      expect((await voices.list()).map((v) => v.id)).toEqual(['espeak:process-1']);
      started[0]?.crash();
      await expect.poll(() => started.length).toBe(2);
      await engine.ready();
      expect((await voices.list()).map((v) => v.id)).toEqual(['espeak:process-2']);
      const asked = started.flatMap((process) => process.sent.filter((m) => 'method' in m && m.method === 'voices'));
      expect(asked).toHaveLength(2);
    } finally {
      engine.dispose();
    }
  });

  it('checks the config that arrives in the engine, naming a wrong field', () => {
    expect(parseEngineConfig({ modelDir: '/m', kokoro: { noise: false } })).toEqual({ modelDir: '/m', kokoro: { noise: false } });
    expect(parseEngineConfig({})).toEqual({});
    expect(() => parseEngineConfig(null)).toThrow(/the config must be an object/);
    expect(() => parseEngineConfig({ modelDir: 42 })).toThrow(/modelDir must be a folder path/);
    expect(() => parseEngineConfig({ dataDir: '' })).toThrow(/dataDir must be a folder path/);
    expect(() => parseEngineConfig({ kokoro: { inverse: 'fft' } })).toThrow(/kokoro.inverse/);
    expect(() => parseEngineConfig({ kokoro: { noise: 'off' } })).toThrow(/kokoro.noise/);
  });
});
