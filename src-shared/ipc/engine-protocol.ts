/**
 * The envelope between the engine supervisor and the engine process (an Electron utility
 * process in the app, a Node child process in the CLI and tests):
 *   parent -> engine: {start: EngineConfig} (first, once) | {id, method, params} | {cancel: id}
 *                     | {attachAudio: {client}} with a window's audio channel transferred along
 *   engine -> parent: {id, result} | {id, error} | {event, id?, data}
 * Messages go by structured clone, so audio travels as Float32Array without copying to JSON.
 * A window's audio (`stream`) does not come back this way: it goes over that window's channel.
 */
import type { ErrorData } from '../errors/catalogue';
import type { LexiconEntry } from '../lexicon/types';
import type { EngineConfig, KokoroHostOptions } from './engine-config';
import type { AudioChunk, SynthesisRequest, SynthesisSummary, VoiceInfo } from '../speech/types';

/** A reading session for a window: its segments, spoken onto the window's audio channel. */
export interface StreamParams extends SynthesisRequest {
  engine: string;
  /** The window whose audio channel (`attachAudio`) carries the chunks. */
  client: string;
  session: string;
  /** Chunks made beyond the one playing before synthesis waits for the window. */
  chunksAhead: number;
  /** Characters of text per synthesis call. */
  batchChars: number;
  /** The number of this request's first chunk: a long session is read in several requests. */
  firstSequence: number;
  /** The session's last request: the window is told the end after it. */
  final: boolean;
}

export interface EngineMethods {
  /**
   * Speaks segments and answers with their chunks over this envelope (the CLI, files).
   * `background` (an export): each chunk waits while a window's reading is being synthesised.
   */
  synthesize: { params: SynthesisRequest & { engine: string; background?: boolean }; result: SynthesisSummary };
  /** Speaks a session onto a window's audio channel; answers when it is done. */
  stream: { params: StreamParams; result: SynthesisSummary };
  voices: { params: null; result: VoiceInfo[] };
  ping: { params: null; result: { pid: number; engines: string[] } };
  /** The user's pronunciation lexicon (entries as the library stores them). */
  lexicon: { params: { entries: LexiconEntry[] }; result: null };
  /**
   * Reads the model folder again (a model installed or repaired since the start); `kokoro`
   * changes Kokoro's options from then on (the app's precision setting).
   */
  reload: { params: { kokoro?: KokoroHostOptions } | null; result: OfferedEngines };
}

/** The engines a process offers, and those it cannot offer with the reason. */
export interface OfferedEngines {
  engines: string[];
  unavailable: UnavailableEngine[];
}

export type EngineMethod = keyof EngineMethods;

/** An engine the process could not offer, and why, with the fix (Kokoro without a complete model). */
export interface UnavailableEngine {
  engine: string;
  error: ErrorData;
}

export interface EngineEvents {
  /** The engine process is loaded and accepts requests. */
  ready: { pid: number; engines: string[]; unavailable?: UnavailableEngine[] };
  /** One chunk of a synthesize request (the request's id travels in the envelope). */
  chunk: AudioChunk;
}

export type EngineRequestMessage = { [M in EngineMethod]: { id: number; method: M; params: EngineMethods[M]['params'] } }[EngineMethod];
export interface EngineCancelMessage {
  cancel: number;
}
/** The first message to a new engine process: what to load. */
export interface EngineStartMessage {
  start: EngineConfig;
}
/**
 * A window's audio channel, transferred with this message (a MessagePort in the app, a socket
 * handle elsewhere); it replaces that window's previous one.
 */
export interface EngineAttachAudioMessage {
  attachAudio: { client: string };
}
export type ParentToEngine = EngineStartMessage | EngineAttachAudioMessage | EngineRequestMessage | EngineCancelMessage;

export type EngineEventMessage = { [E in keyof EngineEvents]: { event: E; id?: number; data: EngineEvents[E] } }[keyof EngineEvents];
export type EngineToParent = { id: number; result: unknown } | { id: number; error: ErrorData } | EngineEventMessage;
