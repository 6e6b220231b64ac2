import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { messagePortEnd } from '../../src-main/engine/audio-port-ends';
import type { MessagePortMainLike } from '../../src-main/engine/audio-port-ends';
import type { PlaybackReport } from '../../src-shared/ipc/audio-port';

/** MessagePortMain as the utility process gets it: queues until start(), Node-style events. */
class PortInEngine extends EventEmitter implements MessagePortMainLike {
  started = false;
  readonly posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    this.emit('close');
  }
  /** A message from the window. */
  fromWindow(data: unknown): void {
    this.emit('message', { data });
  }
}

describe('the engine’s end of a window’s MessagePort (the app)', () => {
  it('starts the port, takes well-formed reports only, remembers the latest per session, and says when it closes', () => {
    const port = new PortInEngine();
    const end = messagePortEnd(port);
    expect(port.started).toBe(true);
    const reports: PlaybackReport[] = [];
    end.onReport((report) => reports.push(report));
    port.fromWindow({ kind: 'playing', session: 's1', sequence: 2 });
    port.fromWindow({ kind: 'playing', session: 's1', sequence: 'x' });
    port.fromWindow({ kind: 'chunk', session: 's1' });
    port.fromWindow(null);
    port.fromWindow({ kind: 'playing', session: 's1', sequence: 1 });
    expect(reports.map((r) => r.sequence)).toEqual([2, 1]);
    expect(end.playing('s1')).toBe(2);
    expect(end.playing('s9')).toBe(-1);
    end.post({ kind: 'end', session: 's1', chunks: 3 });
    expect(port.posted).toEqual([{ kind: 'end', session: 's1', chunks: 3 }]);
    let closed = 0;
    end.onClose(() => closed++);
    port.close();
    expect(closed).toBe(1);
  });
});
