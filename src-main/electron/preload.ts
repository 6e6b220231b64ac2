// The only bridge between the sandboxed page and the app: `window.api`, typed by the contract.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { PUSH_CHANNELS, isRequestChannel } from '../../src-shared/ipc/contract';
import type { ParamsOf, PushChannel, PushMap, ReaderApi, RequestChannel, ResultOf } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/ipc/result';
import { fail } from '../../src-shared/ipc/result';
import { AUDIO_PORT_CHANNEL, AUDIO_PORT_MESSAGE } from '../../src-shared/ipc/audio-port';

const api: ReaderApi = {
  invoke<C extends RequestChannel>(channel: C, params: ParamsOf<C>): Promise<Result<ResultOf<C>>> {
    if (!isRequestChannel(channel)) return Promise.resolve(fail('UNKNOWN_METHOD', `(${String(channel)})`));
    return ipcRenderer.invoke(channel, params) as Promise<Result<ResultOf<C>>>;
  },
  on<E extends PushChannel>(event: E, listener: (data: PushMap[E]) => void): () => void {
    if (!(PUSH_CHANNELS as readonly string[]).includes(event)) return () => undefined;
    const handler = (_event: IpcRendererEvent, data: PushMap[E]): void => listener(data);
    ipcRenderer.on(event, handler);
    return () => ipcRenderer.removeListener(event, handler);
  },
  // Pages no longer see file paths; the app needs them to reopen recent documents.
  pathForFile: (file: unknown): string => (file instanceof File ? webUtils.getPathForFile(file) : ''),
};

contextBridge.exposeInMainWorld('api', api);

// The window's audio channel to the engine arrives as a MessagePort, which contextBridge cannot
// pass: it goes to the page's own window by postMessage, after the page has loaded (Electron's
// documented way to reach the main world of an isolated page).
// (The preload is typed against Node, so the page's window is described here by what is used.)
const page = globalThis as unknown as {
  addEventListener(type: 'load', listener: () => void, options: { once: boolean }): void;
  postMessage(message: unknown, targetOrigin: string, transfer: readonly unknown[]): void;
};
const loaded = new Promise<void>((resolve) => page.addEventListener('load', () => resolve(), { once: true }));
ipcRenderer.on(AUDIO_PORT_CHANNEL, (event) => {
  // '*' as in Electron's example: the message goes to this very window, whose origin is ours.
  void loaded.then(() => page.postMessage(AUDIO_PORT_MESSAGE, '*', event.ports));
});
