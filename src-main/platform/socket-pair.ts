import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long the two ends may take to find each other. */
const PAIRING_TIMEOUT_MS = 10_000;

/**
 * Two connected stream sockets, like a MessageChannel's two ports: one end can be handed to a
 * child process (`child.send(message, socket)`), so what goes over it does not pass through
 * this process. On POSIX over a Unix socket in a private folder; on Windows, which can hand
 * over only TCP sockets, over loopback TCP, where the connecting end proves itself with a
 * random token first (another local program could connect too). The listener is gone before
 * this returns.
 */
export async function createSocketPair(via: 'unix' | 'tcp' = process.platform === 'win32' ? 'tcp' : 'unix'): Promise<[Socket, Socket]> {
  const folder = via === 'unix' ? await mkdtemp(join(tmpdir(), 'kokoro-reader-pair-')) : undefined;
  const token = randomBytes(32);
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      if (folder) server.listen(join(folder, 's'), resolve);
      else server.listen(0, '127.0.0.1', resolve);
    });
    const accepted = acceptOwn(server, folder ? undefined : token);
    const address = server.address();
    const connected = typeof address === 'string' ? createConnection(address) : createConnection(address?.port ?? 0, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      connected.once('connect', resolve);
      connected.once('error', reject);
    });
    if (!folder) connected.write(token);
    return [await accepted, connected];
  } finally {
    server.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}

/** The first connection that shows the token (any first connection when none is needed); others are dropped. */
function acceptOwn(server: Server, token: Buffer | undefined): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the two ends of an audio channel did not meet')), PAIRING_TIMEOUT_MS);
    server.on('connection', (socket) => {
      if (!token) {
        clearTimeout(timer);
        resolve(socket);
        return;
      }
      let got = Buffer.alloc(0);
      const onData = (data: Buffer): void => {
        got = Buffer.concat([got, data]);
        if (got.length < token.length) return;
        socket.off('data', onData);
        if (!got.subarray(0, token.length).equals(token)) {
          socket.destroy();
          return;
        }
        clearTimeout(timer);
        // Whatever came after the token is the first message: put it back.
        if (got.length > token.length) socket.unshift(got.subarray(token.length));
        resolve(socket);
      };
      socket.on('data', onData);
    });
  });
}
