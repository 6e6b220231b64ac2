import type { PlayState } from '../stores/playback.svelte';

/** What the handlers of the system's media keys need of a page's `navigator.mediaSession`. */
export interface MediaSessionLike {
  metadata: unknown;
  playbackState: 'none' | 'paused' | 'playing';
  setActionHandler(action: MediaAction, handler: (() => void) | null): void;
}

export type MediaAction = 'play' | 'pause' | 'stop' | 'nexttrack' | 'previoustrack';
const MEDIA_ACTIONS: readonly MediaAction[] = ['play', 'pause', 'stop', 'nexttrack', 'previoustrack'];

/** What the media keys do: `play` and `pause` are only called in the state they change. */
export interface MediaControls {
  togglePause: () => void;
  stop: () => void;
  next: () => void;
  previous: () => void;
}

/**
 * Reflects a window's reading in the system's media overlay and media keys while it reads
 * (paused included); when it is idle they are handed back, so that another player gets them.
 * `metadata` is asked for only while reading (a MediaMetadata in a page; plain data in specs).
 */
export function reflectInMediaSession(session: MediaSessionLike, state: PlayState, readState: () => PlayState, metadata: () => unknown, controls: MediaControls): void {
  if (state === 'idle') {
    session.metadata = null;
    session.playbackState = 'none';
    for (const action of MEDIA_ACTIONS) session.setActionHandler(action, null);
    return;
  }
  session.metadata = metadata();
  session.playbackState = state === 'paused' ? 'paused' : 'playing';
  // A "play" key while already playing (or "pause" while paused) must not toggle.
  const toggleFrom = (from: PlayState) => () => {
    if (readState() === from) controls.togglePause();
  };
  session.setActionHandler('play', toggleFrom('paused'));
  session.setActionHandler('pause', toggleFrom('playing'));
  session.setActionHandler('stop', controls.stop);
  session.setActionHandler('nexttrack', controls.next);
  session.setActionHandler('previoustrack', controls.previous);
}
