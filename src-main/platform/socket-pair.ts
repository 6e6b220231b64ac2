import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Two connected stream sockets, like a MessageChannel's two ports: one end can be handed to a
 * child process (`child.send(message, socket)`), so what goes over it does not pass through
 * this process. Made over a Unix socket in a private folder (a named pipe on Windows) that
 * accepts one connection and is gone before this returns.
 */
export async function createSocketPair(): Promise<[Socket, Socket]> {
  const folder = process.platform === 'win32' ? undefined : await mkdtemp(join(tmpdir(), 'kokoro-reader-pair-'));
  const address = folder ? join(folder, 's') : `\\\\.\\pipe\\kokoro-reader-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const server = createServer();
  try {
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address, resolve);
    });
    const connected = createConnection(address);
    await new Promise<void>((resolve, reject) => {
      connected.once('connect', resolve);
      connected.once('error', reject);
    });
    return [await accepted, connected];
  } finally {
    server.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}
