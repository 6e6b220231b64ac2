import { describe, expect, it } from 'vitest';
import { createEngineHost } from '../../src-main/engine/engine-host';
import type { SpeechEngine } from '../../src-main/engine/speech-engine';
import { AppError } from '../../src-shared/errors/catalogue';
import type { EngineToParent } from '../../src-shared/ipc/engine-protocol';

/** An engine whose synthesis fails the way LiteRT does when its wasm heap is exhausted. */
function failingEngine(error: AppError): SpeechEngine {
  return {
    id: 'kokoro',
    voices: () => Promise.resolve([]),
    synthesize: () => Promise.reject(error),
  };
}

function host(error: AppError) {
  const sent: EngineToParent[] = [];
  let fatal = 0;
  const handle = createEngineHost({
    engines: () => new Map([['kokoro', failingEngine(error)]]),
    send: (m) => sent.push(m),
    onLexicon: () => undefined,
    onReload: () => ({ engines: ['kokoro'], unavailable: [] }),
    onFatal: () => fatal++,
  });
  return { sent, handle, fatalCount: () => fatal };
}

const request = { id: 1, method: 'synthesize' as const, params: { engine: 'kokoro', voice: 'af_heart', speed: 1, segments: [] } };

describe('engine host', () => {
  it('answers an out-of-memory with its catalogue error first, then asks for a fresh process', async () => {
    const h = host(AppError.of('OUT_OF_MEMORY', '(wasm heap)'));
    await h.handle(request);
    expect(h.sent).toEqual([{ id: 1, error: expect.objectContaining({ code: 'OUT_OF_MEMORY' }) as unknown }]);
    expect(h.fatalCount()).toBe(1);
  });

  it('asks for a fresh process after a wasm trap marked for restart, but not after an ordinary failure', async () => {
    const trap = host(new AppError({ code: 'ENGINE_FAILED', message: 'trap', data: { restart: true } }));
    await trap.handle(request);
    expect(trap.fatalCount()).toBe(1);
    const ordinary = host(AppError.of('MODEL_INVALID', '(kokoro_vocoder.tflite)'));
    await ordinary.handle(request);
    expect(ordinary.sent).toEqual([{ id: 1, error: expect.objectContaining({ code: 'MODEL_INVALID' }) as unknown }]);
    expect(ordinary.fatalCount()).toBe(0);
  });

  it('refuses unknown engines and methods with catalogue errors', async () => {
    const h = host(AppError.of('INTERNAL'));
    await h.handle({ ...request, params: { ...request.params, engine: 'nope' } });
    await h.handle({ id: 2, method: 'frobnicate', params: null } as never);
    expect(h.sent.map((m) => ('error' in m ? m.error.code : 'ok'))).toEqual(['UNKNOWN_VOICE', 'UNKNOWN_METHOD']);
  });
});
