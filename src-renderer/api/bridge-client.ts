import type { AudioLink, AudioMessage } from '../../src-shared/ipc/audio-port';
import type { BridgeReportFrame, BridgeRequestFrame, BridgeTextFrame } from '../../src-shared/ipc/bridge-frames';
import { decodeChunkFrame, stringifyWithBytes } from '../../src-shared/ipc/bridge-frames';
import type { ParamsOf, PushChannel, PushMap, ReaderApi, RequestChannel, ResultOf } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/ipc/result';
import { fail } from '../../src-shared/ipc/result';

/**
 * `ReaderApi` over the dev/test bridge's WebSocket: the same contract the preload implements
 * over Electron IPC, so the UI cannot tell which host it runs in. The same socket carries the
 * window's audio channel, which the app gives a MessagePort of its own.
 */
export function connectBridge(url: string): { api: ReaderApi; audio: AudioLink } {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  const opened = new Promise<boolean>((resolve) => {
    socket.addEventListener('open', () => resolve(true), { once: true });
    socket.addEventListener('error', () => resolve(false), { once: true });
  });
  const waiting = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<PushChannel, Set<(data: never) => void>>();
  const audioListeners = new Set<(message: AudioMessage) => void>();
  let nextId = 1;
  const hearAudio = (message: AudioMessage): void => {
    for (const listener of audioListeners) listener(message);
  };

  const emit = (event: PushChannel, data: unknown): void => {
    for (const listener of listeners.get(event) ?? []) (listener as (data: unknown) => void)(data);
  };

  socket.addEventListener('message', (message: MessageEvent<string | ArrayBuffer>) => {
    if (typeof message.data !== 'string') {
      hearAudio({ kind: 'chunk', ...decodeChunkFrame(message.data) });
      return;
    }
    const frame = JSON.parse(message.data) as BridgeTextFrame;
    if (frame.kind === 'result') {
      waiting.get(frame.id)?.(frame.result);
      waiting.delete(frame.id);
    } else if (frame.kind === 'audio') {
      hearAudio(frame.message);
    } else {
      emit(frame.event, frame.data);
    }
  });
  socket.addEventListener('close', () => {
    for (const resolve of waiting.values()) resolve(fail('ENGINE_UNAVAILABLE', '(the connection to the app closed)'));
    waiting.clear();
  });

  const api: ReaderApi = {
    async invoke<C extends RequestChannel>(channel: C, params: ParamsOf<C>): Promise<Result<ResultOf<C>>> {
      if (!(await opened) || socket.readyState !== WebSocket.OPEN) return fail('ENGINE_UNAVAILABLE', '(cannot reach the app)');
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve as (result: Result<unknown>) => void);
        socket.send(stringifyWithBytes({ id, channel, params } satisfies BridgeRequestFrame));
      });
    },
    on<E extends PushChannel>(event: E, listener: (data: PushMap[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (data: never) => void);
      return () => set.delete(listener as (data: never) => void);
    },
  };
  const audio: AudioLink = {
    onMessage(listener) {
      audioListeners.add(listener);
      return () => audioListeners.delete(listener);
    },
    report(report) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ report } satisfies BridgeReportFrame));
    },
  };
  return { api, audio };
}
