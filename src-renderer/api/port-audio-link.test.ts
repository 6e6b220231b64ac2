import { describe, expect, it } from 'vitest';
import { AUDIO_PORT_MESSAGE } from '../../src-shared/ipc/audio-port';
import type { AudioMessage, PlaybackReport } from '../../src-shared/ipc/audio-port';
import { windowPortAudioLink } from './port-audio-link';

/** A window as the link sees it: something that gets 'message' events from itself (the preload). */
function fakeWindow(): Window {
  return new EventTarget() as unknown as Window;
}

/** What the preload does: posts the port to the window itself. */
function handOver(target: Window, port: MessagePort, from: unknown = target): void {
  // (Node's MessageEvent takes only ports as its source, so the event is dressed by hand.)
  const event = new Event('message');
  Object.defineProperties(event, { data: { value: AUDIO_PORT_MESSAGE }, ports: { value: [port] }, source: { value: from } });
  target.dispatchEvent(event);
}

const next = (port: MessagePort): Promise<unknown> => new Promise((resolve) => (port.onmessage = (event) => resolve(event.data)));

describe('the window’s audio link in the app (a MessagePort from the preload)', () => {
  it('takes the port the preload posts, hears the engine on it and reports on it; a newer port replaces it', async () => {
    const target = fakeWindow();
    const link = windowPortAudioLink(target);
    const heard: AudioMessage[] = [];
    link.onMessage((message) => heard.push(message));
    const first = new MessageChannel();
    handOver(target, first.port2);
    const reported = next(first.port1);
    link.report({ kind: 'playing', session: 's1', sequence: 0 });
    expect(await reported).toEqual({ kind: 'playing', session: 's1', sequence: 0 } satisfies PlaybackReport);
    const end = { kind: 'end', session: 's1', chunks: 1 } as const;
    const arrived = new Promise<void>((resolve) => link.onMessage(() => resolve()));
    first.port1.postMessage(end);
    await arrived;
    expect(heard).toEqual([end]);

    // After an engine restart the preload posts a new port: reports go there.
    const second = new MessageChannel();
    handOver(target, second.port2);
    const onSecond = next(second.port1);
    link.report({ kind: 'playing', session: 's2', sequence: 3 });
    expect(await onSecond).toMatchObject({ session: 's2' });
    second.port1.close();
    first.port1.close();
  });

  it('ignores ports posted by anything but the window itself', () => {
    const target = fakeWindow();
    windowPortAudioLink(target);
    const stranger = new MessageChannel();
    handOver(target, stranger.port2, {});
    // The link listens on the ports it takes; this one it left alone.
    expect(stranger.port2.onmessage).toBeNull();
    stranger.port1.close();
  });
});
