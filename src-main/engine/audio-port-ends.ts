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
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** Sessions whose playback is remembered: a window reads one at a time, and a stale one may still report. */
const REMEMBERED_SESSIONS = 4;

/** Only well-formed reports count: the window is less trusted than the engine. */
function asReport(data: unknown): PlaybackReport | undefined {
  const report = data as Partial<PlaybackReport> | null;
  return report?.kind === 'playing' && typeof report.session === 'string' && Number.isInteger(report.sequence) ? (report as PlaybackReport) : undefined;
}

interface RawChannel {
  post(message: AudioMessage): void;
  flushed?(): Promise<void>;
  onData(listener: (data: unknown) => void): void;
  onClosed(listener: () => void): void;
  close(): void;
}

/** A window's channel over whatever carries it: reports checked, the latest per session kept. */
function windowPort(channel: RawChannel): WindowAudioPort {
  const reportListeners = new Set<(report: PlaybackReport) => void>();
  const closeListeners = new Set<() => void>();
  const latest = new Map<string, number>();
  let closed = false;
  channel.onData((data) => {
    const report = asReport(data);
    if (!report) return;
    if (report.sequence > (latest.get(report.session) ?? -1)) {
      latest.delete(report.session);
      latest.set(report.session, report.sequence);
      for (const stale of [...latest.keys()].slice(0, Math.max(0, latest.size - REMEMBERED_SESSIONS))) latest.delete(stale);
    }
    for (const listener of reportListeners) listener(report);
  });
  channel.onClosed(() => {
    closed = true;
    for (const listener of closeListeners) listener();
  });
  return {
    post: (message) => channel.post(message),
    ...(channel.flushed ? { flushed: channel.flushed } : {}),
    onReport(listener) {
      reportListeners.add(listener);
      return () => reportListeners.delete(listener);
    },
    playing: (session) => latest.get(session) ?? -1,
    onClose(listener) {
      if (closed) listener();
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: () => channel.close(),
  };
}

/** A window's channel over a MessagePort (the app). */
export function messagePortEnd(port: MessagePortMainLike): WindowAudioPort {
  const end = windowPort({
    post: (message) => port.postMessage(message),
    onData: (listener) => port.on('message', (event) => listener(event.data)),
    onClosed: (listener) => port.on('close', listener),
    close: () => port.close(),
  });
  // A MessagePortMain queues what arrives until it is started.
  port.start();
  return end;
}

/** Resolves when the socket has written what it buffered (or can write no more). */
function drained(socket: Socket): Promise<void> {
  if (!socket.writableNeedDrain || socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done).off('close', done).off('error', done);
      resolve();
    };
    socket.on('drain', done).on('close', done).on('error', done);
  });
}

/** A window's channel over a socket handed to this process (browser mode, tests, benchmarks). */
export function socketEnd(socket: Socket): WindowAudioPort {
  const framed = new FramedSocket(socket);
  return windowPort({
    post: (message) => framed.send(message),
    flushed: () => drained(socket),
    onData: (listener) => framed.onMessage(listener),
    onClosed: (listener) => framed.onClose(listener),
    close: () => framed.close(),
  });
}
