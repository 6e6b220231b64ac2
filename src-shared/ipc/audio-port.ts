/**
 * The audio channel between the engine and one window: chunks with their timing spans flow to
 * the window; the window answers with how far playback has got, which is the engine's credit to
 * synthesise further ahead. In the app this is a MessagePort from the engine process straight
 * to the page; in browser mode the bridge carries the same messages over its WebSocket.
 */
import type { ErrorData } from '../errors/catalogue';
import type { AudioChunk } from '../speech/types';

/** Engine -> window. Every message names its reading session; a window ignores other sessions. */
export type AudioMessage =
  | { kind: 'chunk'; session: string; chunk: AudioChunk }
  | { kind: 'end'; session: string; chunks: number }
  | { kind: 'error'; session: string; error: ErrorData };

/** Window -> engine: chunk `sequence` of the session is playing now. */
export interface PlaybackReport {
  kind: 'playing';
  session: string;
  sequence: number;
}

/** The window's end of the audio channel, whatever carries it. */
export interface AudioLink {
  /** Subscribes to messages from the engine; returns the function that unsubscribes. */
  onMessage(listener: (message: AudioMessage) => void): () => void;
  report(report: PlaybackReport): void;
}

/**
 * In the app, the preload hands the page its audio channel by posting this to the page's own
 * window with the MessagePort transferred (contextBridge cannot pass ports).
 */
export const AUDIO_PORT_MESSAGE = 'kokoro-reader:audio-port';

/** The IPC channel on which main sends the preload a window's audio port. */
export const AUDIO_PORT_CHANNEL = 'audio:port';
