import type { AudioLink } from '../../src-shared/ipc/audio-port';
import type { ReaderApi } from '../../src-shared/ipc/contract';
import { connectBridge } from './bridge-client';
import { windowPortAudioLink } from './port-audio-link';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the page is served by the dev/test bridge. */
    api?: ReaderApi;
  }
}

/** The app's API and the window's audio channel, or why the page has none (a browser opened without the bridge's token). */
export type ApiConnection = { api: ReaderApi; audio: AudioLink; problem?: undefined } | { api: undefined; audio?: undefined; problem: string };

/**
 * The app's API: the preload's in Electron (audio on a MessagePort it hands over), else the
 * bridge named by the page's token. Call it once per page: in a browser each call opens a WebSocket.
 */
export function connectApi(): ApiConnection {
  if (window.api) return { api: window.api, audio: windowPortAudioLink(window) };
  const token = new URLSearchParams(location.search).get('token');
  if (!token) {
    return {
      api: undefined,
      problem: 'This page’s address is missing its token, so it cannot reach the app. Open the full address that `npm run dev:web` printed (it ends in ?token=…).',
    };
  }
  return connectBridge(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
}
