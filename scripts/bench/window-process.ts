/**
 * The window of bench-main-cpu.ts, in a process of its own: it takes its audio channel (a
 * socket handle), reports each chunk as playing at once, and tells the parent how many samples
 * the session it was told of brought, when that session ends.
 */
import type { Socket } from 'node:net';
import { FramedSocket } from '../../src-main/platform/framed-socket';
import type { AudioMessage } from '../../src-shared/ipc/audio-port';

let channel: FramedSocket | undefined;
let session = '';
let samples = 0;

process.on('message', (message: { audioChannel?: boolean; session?: string }, handle?: Socket) => {
  if (message.audioChannel && handle) {
    channel = new FramedSocket(handle);
    channel.onMessage((data) => {
      const audio = data as AudioMessage;
      if (audio.kind === 'chunk') {
        samples += audio.chunk.samples.length;
        channel?.send({ kind: 'playing', session: audio.session, sequence: audio.chunk.sequence });
      } else if (audio.session === session) {
        process.send?.({ samples });
        samples = 0;
      }
    });
  }
  if (message.session) session = message.session;
});
