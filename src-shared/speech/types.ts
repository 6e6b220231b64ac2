/** What every speech engine consumes and produces, whatever its model. */

/** A piece of source text to speak: a sentence, or part of a long one. Offsets are UTF-16, [start, end). */
export interface SpeechSegment {
  /** Index of the sentence in the whole text; a long sentence split in parts repeats its index. */
  sentence: number;
  start: number;
  end: number;
  text: string;
}

export interface SynthesisRequest {
  segments: SpeechSegment[];
  /** A voice id as listed by the engine, without the engine prefix. */
  voice: string;
  /** 1 is normal; 0.5 to 2 are accepted. */
  speed: number;
  /** False: the audio cache is neither read nor written (the screen helper with its cache setting off). */
  cache?: boolean;
  /** Whose audio this is, recorded with what goes into the cache so that it can be cleared apart ("clear the helper's audio"). */
  cacheOwner?: CacheOwner;
}

/** A reading whose cached audio is kept apart: the screen helper's. */
export type CacheOwner = 'helper';

/** A stretch of audio that belongs to a stretch of source text. Samples are relative to the chunk. */
export interface TimedSpan {
  startSample: number;
  endSample: number;
  start: number;
  end: number;
}

export interface SentenceSpan extends TimedSpan {
  sentence: number;
}

export interface AudioChunk {
  /** 0, 1, 2, ... within one synthesis request. */
  sequence: number;
  sampleRate: number;
  samples: Float32Array;
  sentences: SentenceSpan[];
  words: TimedSpan[];
  /** True when the audio came from the audio cache rather than the model. */
  cached?: boolean;
}

export interface SynthesisSummary {
  chunks: number;
  samples: number;
  sampleRate: number;
}

export type EngineId = 'espeak' | 'kokoro';

export interface VoiceInfo {
  /** Globally unique: "<engine>:<voice>", e.g. "espeak:en-us". */
  id: string;
  engine: EngineId;
  name: string;
  /** BCP-47 style language tag, e.g. "en-US". */
  language: string;
}

/** The sample rate of everything the app plays and writes (Kokoro's native rate). */
export const APP_SAMPLE_RATE = 24_000;

export const MIN_SPEED = 0.5;
export const MAX_SPEED = 2;

export function splitVoiceId(id: string): { engine: string; voice: string } {
  const colon = id.indexOf(':');
  return colon < 0 ? { engine: '', voice: id } : { engine: id.slice(0, colon), voice: id.slice(colon + 1) };
}
