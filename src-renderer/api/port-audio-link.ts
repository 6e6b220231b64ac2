import { AUDIO_PORT_MESSAGE } from '../../src-shared/ipc/audio-port';
import type { AudioLink, AudioMessage } from '../../src-shared/ipc/audio-port';

/**
 * The window's audio channel in the app: a MessagePort straight to the engine process, which
 * the preload posts to this window (again after an engine restart: the newest one is used).
 */
export function windowPortAudioLink(target: Window): AudioLink {
  const listeners = new Set<(message: AudioMessage) => void>();
  let port: MessagePort | undefined;
  target.addEventListener('message', (event: MessageEvent) => {
    // Only the preload posts to this window itself; frames and other windows cannot.
    const [next] = event.ports;
    if (event.source !== target || event.data !== AUDIO_PORT_MESSAGE || !next) return;
    port?.close();
    port = next;
    // Setting onmessage starts the port: what the engine sent meanwhile was queued.
    next.onmessage = (message: MessageEvent<AudioMessage>) => {
      for (const listener of listeners) listener(message.data);
    };
  });
  return {
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report(report) {
      port?.postMessage(report);
    },
  };
}
