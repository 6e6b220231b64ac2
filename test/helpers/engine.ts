import type { SupervisorOptions } from '../../src-main/services/engine/engine-supervisor';
import { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { childProcessTransport } from '../../src-main/services/engine/child-process-transport';
import type { AudioChunk, SpeechSegment } from '../../src-shared/speech/types';
import { planSegments } from '../../src-shared/speech/plan';
import { ENGINE_ENTRY, requireBuild } from './paths';

export function startTestEngine(options: SupervisorOptions = {}): EngineSupervisor {
  requireBuild();
  return new EngineSupervisor(childProcessTransport(ENGINE_ENTRY), { backoffMs: [50, 100], ...options });
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
