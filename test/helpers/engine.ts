import type { SupervisorOptions } from '../../src-main/services/engine/engine-supervisor';
import { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { childProcessTransport } from '../../src-main/services/engine/child-process-transport';
import type { EngineToParent } from '../../src-shared/ipc/engine-protocol';
import type { AudioChunk, SpeechSegment } from '../../src-shared/speech/types';
import { planSegments } from '../../src-shared/speech/plan';
import { ENGINE_ENTRY, requireBuild } from './paths';

/**
 * A supervised engine process. `onEngineMessage` sees everything the engine sends, also what the
 * supervisor drops (a cancelled request's chunks and answer).
 */
export function startTestEngine(options: SupervisorOptions = {}, onEngineMessage?: (message: EngineToParent) => void): EngineSupervisor {
  requireBuild();
  const start = childProcessTransport(ENGINE_ENTRY);
  const observed = (): ReturnType<typeof start> => {
    const transport = start();
    const onMessage = transport.onMessage.bind(transport);
    transport.onMessage = (listener) =>
      onMessage((message) => {
        onEngineMessage?.(message);
        listener(message);
      });
    return transport;
  };
  return new EngineSupervisor(onEngineMessage ? observed : start, { backoffMs: [50, 100], ...options });
}

export function synthesizeAll(engine: EngineSupervisor, text: string, voice = 'gmw/en-US'): { id: number; chunks: AudioChunk[]; done: Promise<unknown> } {
  const chunks: AudioChunk[] = [];
  const segments: SpeechSegment[] = planSegments(text);
  const handle = engine.request('synthesize', { engine: 'espeak', voice, speed: 1, segments }, (chunk) => chunks.push(chunk));
  return { id: handle.id, chunks, done: handle.result };
}

/** A long text of distinct sentences, for cancel and crash tests. */
export function longText(sentences: number): string {
  return Array.from({ length: sentences }, (_, i) => `This is sentence number ${i + 1} of a long text that keeps the engine busy.`).join(' ');
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}
