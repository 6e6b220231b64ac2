import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { AudioMessage } from '../../../src-shared/ipc/audio-port';
import type { BridgeReportFrame, BridgeRequestFrame, BridgeTextFrame } from '../../../src-shared/ipc/bridge-frames';
import { FramedSocket } from '../../platform/framed-socket';
import type { ClientAudioEnd } from '../engine/transport';
import { encodeChunkFrame, parseWithBytes } from '../../../src-shared/ipc/bridge-frames';
import type { PushChannel, PushMap } from '../../../src-shared/ipc/contract';
import { fail } from '../../../src-shared/ipc/result';
import { dispatch } from '../router';
import type { ClientContext, Handlers } from '../handlers';
import { contentTypeOf, resolveInside } from '../static-files';

/** Where a page's audio channel comes from: the window's end of a channel to the engine, now and after restarts. */
export type AudioSource = (client: ClientContext, deliver: (end: ClientAudioEnd) => void) => () => void;

export interface BridgeServerOptions {
  handlers: Partial<Handlers>;
  /** The pages' audio: relayed between the engine's channel and the page's WebSocket. */
  audio?: AudioSource;
  /** The built renderer, served at / so a browser can load the same UI. */
  staticDir: string;
  onDisconnect?: (client: ClientContext) => void;
  port?: number;
}

export interface BridgeServer {
  /** The page to open, with the session token in its query. */
  readonly url: string;
  readonly token: string;
  readonly port: number;
  broadcast<E extends PushChannel>(event: E, data: PushMap[E]): void;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * The renderer's `window.api` over a WebSocket, for browser tests and `npm run dev:web`.
 * It listens on 127.0.0.1 only; every connection must come from its own page (Host and Origin
 * 127.0.0.1 or localhost on its port) and present the random token.
 */
export async function startBridgeServer(options: BridgeServerOptions): Promise<BridgeServer> {
  const token = randomBytes(24).toString('hex');
  const clients = new Set<ClientContext>();
  let nextClient = 1;
  /** host:port forms that name this bridge; set once it listens (no request comes before). */
  let own = new Set<string>();

  const server: Server = createServer((req, res) => {
    if (!toOwnHost(req, own)) res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
    else void serveStatic(options.staticDir, req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.pathname !== '/bridge' || !fromOwnPage(req, own) || !tokenMatches(url.searchParams.get('token'), token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    const client: ClientContext = {
      id: `ws${nextClient++}`,
      emit(event, data) {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'event', event, data } satisfies BridgeTextFrame));
      },
    };
    clients.add(client);
    // A browser has no MessagePort to the engine: the bridge carries the channel's messages.
    let channel: FramedSocket | undefined;
    const stopAudio = options.audio?.(client, (end) => {
      channel?.close();
      if (end.kind !== 'socket') return;
      const current = new FramedSocket(end.socket);
      channel = current;
      current.onMessage((message) => relayAudio(ws, message as AudioMessage));
    });
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      let frame: BridgeRequestFrame | BridgeReportFrame;
      try {
        frame = parseWithBytes(String(raw)) as BridgeRequestFrame | BridgeReportFrame;
      } catch {
        return;
      }
      if (typeof frame !== 'object' || frame === null) return;
      if ('report' in frame) {
        channel?.send(frame.report);
        return;
      }
      if (typeof frame.id !== 'number') return;
      void dispatch(options.handlers, frame.channel, frame.params, client).then(
        (result) => reply(ws, frame.id, result),
        () => reply(ws, frame.id, fail('INTERNAL')),
      );
    });
    ws.on('close', () => {
      clients.delete(client);
      stopAudio?.();
      channel?.close();
      options.onDisconnect?.(client);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  own = ownHosts(port);

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    token,
    port,
    broadcast(event, data) {
      for (const client of clients) client.emit(event, data);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An audio channel message to the page: a chunk as one binary frame, the rest as text. */
function relayAudio(ws: WebSocket, message: AudioMessage): void {
  if (ws.readyState !== ws.OPEN) return;
  if (message.kind === 'chunk') ws.send(encodeChunkFrame(message.session, message.chunk));
  else ws.send(JSON.stringify({ kind: 'audio', message } satisfies BridgeTextFrame));
}

function reply(ws: WebSocket, id: number, result: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'result', id, result }));
}

/** The bridge's own addresses: loopback by IP or by name, on its own port only. */
function ownHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/**
 * Only the page the bridge served may connect: its Host and Origin name the bridge itself.
 * Another site's page (a foreign Origin), or one reached through DNS rebinding (a foreign
 * Host), is refused even with the token, which may have leaked through a link or history.
 */
function fromOwnPage(req: IncomingMessage, own: Set<string>): boolean {
  const origin = req.headers.origin?.toLowerCase() ?? '';
  return toOwnHost(req, own) && origin.startsWith('http://') && own.has(origin.slice('http://'.length));
}

/** The request names the bridge in its Host (a DNS-rebound name does not). */
function toOwnHost(req: IncomingMessage, own: Set<string>): boolean {
  return own.has(req.headers.host?.toLowerCase() ?? '');
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // Compare byte lengths first: timingSafeEqual throws on unequal ones (a non-ASCII token).
  return a.length === b.length && timingSafeEqual(a, b);
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = new URL(req.url ?? '/', `http://${HOST}`).pathname;
  const file = resolveInside(root, pathname === '/' ? '/index.html' : pathname);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': contentTypeOf(file), 'cache-control': 'no-store' });
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
