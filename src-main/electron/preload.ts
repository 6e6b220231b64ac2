// The only bridge between the sandboxed page and the app: `window.api`, typed by the contract.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { PUSH_CHANNELS, isRequestChannel } from '../../src-shared/ipc/contract';
import type { FileGrant, ParamsOf, PushChannel, PushMap, ReaderApi, RequestChannel, ResultOf } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/ipc/result';
import { fail } from '../../src-shared/ipc/result';
import { AUDIO_PORT_CHANNEL, AUDIO_PORT_MESSAGE } from '../../src-shared/ipc/audio-port';
import { GRANT_DROPPED_FILE } from './file-channels';

/** The path on disk behind a File the user dropped or picked; '' for any other (Electron throws for a non-File). */
function pathOnDisk(file: unknown): string {
  try {
    return webUtils.getPathForFile(file as File);
  } catch {
    return '';
  }
}

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
  // Pages never send file paths: a File the user dropped or picked becomes a handle
  // main grants for its path on disk (see GRANT_DROPPED_FILE in app-main.ts for why main trusts it).
  grantFile: async (file: unknown): Promise<Result<FileGrant>> => {
    const path = pathOnDisk(file);
    // A File the page made itself, or not a File at all: the page sends the file's bytes instead.
    if (!path) return fail('FILE_NOT_CHOSEN', '(the file has no path on disk)');
    return (await ipcRenderer.invoke(GRANT_DROPPED_FILE, path)) as Result<FileGrant>;
  },
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
