import { describe, expect, it } from 'vitest';
import { createEngineHost } from '../../src-main/engine/engine-host';
import type { SpeechEngine } from '../../src-main/engine/speech-engine';
import type { AudioPortEnd } from '../../src-main/engine/audio-stream';
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

describe('engine host: reading before exporting', () => {
  /**
   * An engine that makes one chunk per segment and records the order; a segment named "hold"
   * waits until released, as a slow Kokoro chunk would.
   */
  function recordingEngine() {
    const made: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const engine: SpeechEngine = {
      id: 'espeak',
      voices: () => Promise.resolve([]),
      async synthesize(request, _signal, onChunk) {
        for (const segment of request.segments) {
          if (segment.text === 'hold') {
            holding();
            await released;
          }
          await new Promise<void>((resolve) => setImmediate(resolve));
          made.push(segment.text);
          await onChunk({ sequence: made.length, sampleRate: 24000, samples: new Float32Array(1), sentences: [], words: [] });
        }
        return { chunks: request.segments.length, samples: request.segments.length, sampleRate: 24000 };
      },
    };
    return { engine, made, release, held };
  }

  const segments = (...texts: string[]) => texts.map((text, i) => ({ sentence: i, start: 0, end: text.length, text }));
  const windowPort: AudioPortEnd = { post: () => undefined, onReport: () => () => undefined, playing: () => -1, onClose: () => () => undefined };
  const stream = (id: number, texts: string[]) => ({
    id,
    method: 'stream' as const,
    params: { engine: 'espeak', client: 'w', session: 's', voice: 'v', speed: 1, segments: segments(...texts), chunksAhead: 100, batchChars: 2000, firstSequence: 0, final: true },
  });
  const background = (id: number, texts: string[]) => ({ id, method: 'synthesize' as const, params: { engine: 'espeak', voice: 'v', speed: 1, segments: segments(...texts), background: true } });

  function hostOver(engine: SpeechEngine, onSend: (m: EngineToParent) => void = () => undefined) {
    return createEngineHost({
      engines: () => new Map([['espeak', engine]]),
      send: onSend,
      audioPort: () => windowPort,
      onLexicon: () => undefined,
      onReload: () => ({ engines: ['espeak'], unavailable: [] }),
      onFatal: () => undefined,
    });
  }

  it('holds an export until the reading being synthesised is made', async () => {
    const { engine, made, release, held } = recordingEngine();
    const handle = hostOver(engine);
    const reading = handle(stream(1, ['hold', 'read-1']));
    await held;
    const exporting = handle(background(2, ['export-0', 'export-1']));
    // The export gets many turns while the reading is held; it must not use them.
    for (let turn = 0; turn < 20; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(made).toEqual([]);
    release();
    await Promise.all([reading, exporting]);
    expect(made).toEqual(['hold', 'read-1', 'export-0', 'export-1']);
  });

  it('lets reading that starts during an export go before the next exported chunk', async () => {
    const { engine, made, release } = recordingEngine();
    release();
    let reading: Promise<void> | undefined;
    const handle = hostOver(engine, (m) => {
      // The first exported chunk is out: a window starts reading now.
      if ('event' in m && m.event === 'chunk' && !reading) reading = handle(stream(3, ['read-0', 'read-1']));
    });
    await handle(background(2, ['export-0', 'export-1', 'export-2']));
    await reading;
    expect(made).toEqual(['export-0', 'read-0', 'read-1', 'export-1', 'export-2']);
  });
});
