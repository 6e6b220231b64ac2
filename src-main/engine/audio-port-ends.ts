import type { Socket } from 'node:net';
import type { AudioMessage, PlaybackReport } from '../../src-shared/ipc/audio-port';
import { FramedSocket } from '../platform/framed-socket';
import type { AudioPortEnd } from './audio-stream';

/** The engine's end of a window's audio channel, which the window may replace (a reload). */
export interface WindowAudioPort extends AudioPortEnd {
  close(): void;
}

/** Electron's MessagePortMain, as the utility process receives it. */
export interface MessagePortMainLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** Only well-formed reports count: the window is less trusted than the engine. */
function asReport(data: unknown): PlaybackReport | undefined {
  const report = data as Partial<PlaybackReport> | null;
  return report?.kind === 'playing' && typeof report.session === 'string' && Number.isInteger(report.sequence) ? (report as PlaybackReport) : undefined;
}

/** A window's channel over a MessagePort (the app). */
export function messagePortEnd(port: MessagePortMainLike): WindowAudioPort {
  const listeners = new Set<(report: PlaybackReport) => void>();
  port.on('message', (event) => {
    const report = asReport(event.data);
    if (report) for (const listener of listeners) listener(report);
  });
  // A MessagePortMain queues what arrives until it is started.
  port.start();
  return {
    post: (message: AudioMessage) => port.postMessage(message),
    onReport(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => port.close(),
  };
}

/** A window's channel over a socket handed to this process (the CLI's dev mode, tests, benchmarks). */
export function socketEnd(socket: Socket): WindowAudioPort {
  const framed = new FramedSocket(socket);
  return {
    post: (message: AudioMessage) => framed.send(message),
    onReport(listener) {
      return framed.onMessage((data) => {
        const report = asReport(data);
        if (report) listener(report);
      });
    },
    close: () => framed.close(),
  };
}
