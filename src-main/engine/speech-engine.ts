import type { AudioChunk, EngineId, SynthesisRequest, SynthesisSummary, VoiceInfo } from '../../src-shared/speech/types';

/**
 * One speech engine inside the engine process. Engines stream chunks as they are made and
 * check `signal` between chunks, so a cancel takes effect within one chunk's work. A chunk
 * callback that returns a promise holds the next chunk until it settles (background work
 * waiting for reading).
 */
export type OnChunk = (chunk: AudioChunk) => void | Promise<void>;

export interface SpeechEngine {
  readonly id: EngineId;
  voices(): Promise<VoiceInfo[]>;
  synthesize(request: SynthesisRequest, signal: AbortSignal, onChunk: OnChunk): Promise<SynthesisSummary>;
  /** No longer offered (a reload replaced it): free what it holds once its running requests end. */
  retire?(): void;
}
