import type { ReaderApi } from '../../src-shared/ipc/contract';
import { connectBridge } from './bridge-client';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the page is served by the dev/test bridge. */
    api?: ReaderApi;
  }
}

/** The app's API, or why the page has none (a browser opened without the bridge's token). */
export type ApiConnection = { api: ReaderApi; problem?: undefined } | { api: undefined; problem: string };

/**
 * The app's API: the preload's in Electron, else the bridge named by the page's token.
 * Call it once per page: in a browser each call opens a WebSocket.
 */
export function connectApi(): ApiConnection {
  if (window.api) return { api: window.api };
  const token = new URLSearchParams(location.search).get('token');
  if (!token) {
    return {
      api: undefined,
      problem: 'This page’s address is missing its token, so it cannot reach the app. Open the full address that `npm run dev:web` printed (it ends in ?token=…).',
    };
  }
  return { api: connectBridge(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`) };
}
