import type { AudioLink, AudioMessage } from '../../src-shared/ipc/audio-port';
import type { ReaderApi } from '../../src-shared/ipc/contract';

/** The audio channel carried by the app's push events and `speech:progress` requests. */
export function eventAudioLink(api: ReaderApi): AudioLink {
  return {
    onMessage(listener: (message: AudioMessage) => void) {
      const off = [
        api.on('speech:chunk', (data) => listener({ kind: 'chunk', ...data })),
        api.on('speech:end', (data) => listener({ kind: 'end', ...data })),
        api.on('speech:error', (data) => listener({ kind: 'error', ...data })),
      ];
      return () => off.forEach((unsubscribe) => unsubscribe());
    },
    report(report) {
      void api.invoke('speech:progress', { session: report.session, playingSequence: report.sequence });
    },
  };
}
