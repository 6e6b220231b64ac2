/**
 * How the supervisor talks to an engine process, whatever started it. The app passes a
 * transport over Electron's `utilityProcess`; the CLI and tests use `child_process.fork`.
 * Services never import `electron`, so the Electron one is built in src-main/electron.
 */
import type { Socket } from 'node:net';
import type { EngineToParent, ParentToEngine } from '../../../src-shared/ipc/engine-protocol';

/**
 * A window's end of its audio channel to the engine: a MessagePortMain to hand to the page
 * (the app: Electron's type, opaque here), or a socket (the child-process engine).
 */
export type ClientAudioEnd = { kind: 'port'; port: object } | { kind: 'socket'; socket: Socket };

/** Why an engine process ended, as the platform reports it (Electron's 'child-process-gone'). */
export interface ProcessGone {
  /** 'crashed', 'oom', 'killed', 'abnormal-exit', 'launch-failed', … */
  reason: string;
  exitCode: number;
}

export interface EngineTransport {
  readonly pid: number | undefined;
  send(message: ParentToEngine): void;
  onMessage(listener: (message: EngineToParent) => void): void;
  /** Called once when the process has gone, for whatever reason. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /**
   * Called once with the platform's reason when the process ended abnormally and the transport
   * did not end it itself. Electron reports it just after the exit, so it may come after onExit.
   */
  onGone?(listener: (gone: ProcessGone) => void): void;
  /**
   * Opens an audio channel between the engine and a window: one end goes to the engine with an
   * `attachAudio` message (sent before anything sent after this call), the other is returned.
   */
  openAudioChannel?(client: string): Promise<ClientAudioEnd>;
  /** Ends the process at once (a hung or broken engine). */
  kill(): void;
  /** Asks the process to finish (it closes its files), ending it at once if it has not within a grace period. */
  stop(): void;
}

export type TransportFactory = () => EngineTransport;
