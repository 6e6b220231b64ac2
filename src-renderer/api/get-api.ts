import type { ReaderApi } from '../../src-shared/ipc/contract';
import { connectBridge } from './bridge-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the page is served by the dev/test bridge. */
    api?: ReaderApi;
  }
}

/** The app's API: the preload's in Electron, else the bridge named by the page's token. */
export function getApi(): ReaderApi | undefined {
  if (window.api) return window.api;
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return undefined;
  return connectBridge(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
}
