import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FramedSocket } from '../../src-main/platform/framed-socket';
import { createSocketPair } from '../../src-main/platform/socket-pair';

const received = (framed: FramedSocket, count: number): Promise<unknown[]> =>
  new Promise((resolve) => {
    const got: unknown[] = [];
    framed.onMessage((message) => {
      got.push(message);
      if (got.length === count) resolve(got);
    });
  });

describe('socket pairs and framed messages (the audio channel outside Electron)', () => {
  for (const via of ['unix', 'tcp'] as const) {
    it(`connects two ends over ${via}, and messages keep their types and order, whatever the pieces they arrive in`, async () => {
      const [a, b] = await createSocketPair(via);
      const left = new FramedSocket(a);
      const right = new FramedSocket(b);
      const big = new Float32Array(400_000).map((_, i) => i / 7);
      const arriving = received(right, 3);
      left.send({ kind: 'chunk', samples: big });
      left.send({ kind: 'end', chunks: 1 });
      left.send('last');
      const [chunk, end, last] = await arriving;
      expect((chunk as { samples: Float32Array }).samples).toBeInstanceOf(Float32Array);
      expect(Array.from((chunk as { samples: Float32Array }).samples.subarray(0, 3))).toEqual(Array.from(big.subarray(0, 3)));
      expect((chunk as { samples: Float32Array }).samples.length).toBe(big.length);
      expect([end, last]).toEqual([{ kind: 'end', chunks: 1 }, 'last']);
      left.close();
      right.close();
    });
  }

  it('hands one end to a child process, which speaks on it directly', async () => {
    const [toChild, ours] = await createSocketPair();
    const script = join(mkdtempSync(join(tmpdir(), 'kokoro-pair-child-')), 'child.cjs');
    writeFileSync(script, "process.on('message', (m, s) => { s.end('hello'); process.disconnect(); });");
    const child = fork(script, [], { execArgv: [] });
    child.send('take it', toChild);
    const text = await new Promise<string>((resolve) => {
      let all = Buffer.alloc(0);
      ours.on('data', (d: Buffer) => (all = Buffer.concat([all, d])));
      ours.on('end', () => resolve(all.toString()));
    });
    expect(text).toBe('hello');
    await new Promise((resolve) => child.once('exit', resolve));
  });
});
