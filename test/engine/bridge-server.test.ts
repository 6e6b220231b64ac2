import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBridgeServer } from '../../src-main/services/bridge/bridge-server';
import type { BridgeServer } from '../../src-main/services/bridge/bridge-server';

let bridge: BridgeServer;
const staticDir = mkdtempSync(join(tmpdir(), 'kokoro-bridge-'));

beforeAll(async () => {
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><div id="app"></div>');
  bridge = await startBridgeServer({
    handlers: { 'voices:list': () => Promise.resolve([]) },
    staticDir,
  });
});
afterAll(() => bridge?.close());

/** Headers as the bridge's own page sends them (a browser always sends Origin on a WebSocket). */
const ownPage = () => ({ origin: `http://127.0.0.1:${bridge.port}` });

/** Opens a socket with a token; resolves to the socket, or to the HTTP status it was refused with. */
function connect(token: string, headers: { origin?: string; host?: string } = ownPage()): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${bridge.port}/bridge?token=${encodeURIComponent(token)}`, {
      ...(headers.origin === undefined ? {} : { origin: headers.origin }),
      ...(headers.host === undefined ? {} : { headers: { host: headers.host } }),
    });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

function call(ws: WebSocket, frame: string): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(String(data))));
    ws.send(frame);
  });
}

describe('dev/test bridge server', () => {
  it('listens on 127.0.0.1 only and serves the page', async () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    const page = await fetch(`http://127.0.0.1:${bridge.port}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('id="app"');
    expect((await fetch(`http://127.0.0.1:${bridge.port}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  it('refuses connections without the right token, including ones that would trip a byte-length check', async () => {
    const wrongAscii = 'a'.repeat(48);
    const sameLengthNonAscii = `é${bridge.token.slice(1)}`;
    for (const token of ['', wrongAscii, sameLengthNonAscii, `${bridge.token}x`]) expect(await connect(token)).toBe(403);
    // Still serving.
    expect(await connect(bridge.token)).toBeInstanceOf(WebSocket);
  });

  it('refuses a foreign Origin or Host even with the right token, and takes its own page by 127.0.0.1 or localhost', async () => {
    const port = bridge.port;
    const refused = [
      { origin: 'https://evil.example' },
      { origin: `http://evil.example:${port}` },
      { origin: `http://127.0.0.1:${port + 1}` },
      { origin: 'null' },
      {},
      // DNS rebinding: a foreign name resolving to 127.0.0.1, its page then same-origin with it.
      { origin: `http://evil.example:${port}`, host: `evil.example:${port}` },
      { origin: `http://127.0.0.1:${port}`, host: `evil.example:${port}` },
      { origin: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port + 1}` },
    ];
    for (const headers of refused) expect(await connect(bridge.token, headers), JSON.stringify(headers)).toBe(403);
    for (const headers of [ownPage(), { origin: `http://localhost:${port}`, host: `localhost:${port}` }]) {
      const ws = await connect(bridge.token, headers);
      expect(ws, JSON.stringify(headers)).toBeInstanceOf(WebSocket);
      if (ws instanceof WebSocket) {
        expect(await call(ws, JSON.stringify({ id: 1, channel: 'voices:list', params: null }))).toMatchObject({ result: { ok: true } });
        ws.close();
      }
    }
    // The page itself is served only under the bridge's own name.
    const rebound = await new Promise<number>((resolve) => {
      request({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', () => resolve(-1))
        .end();
    });
    expect(rebound).toBe(403);
  });

  it('answers requests with result data, ignores malformed frames, and survives them', async () => {
    const ws = (await connect(bridge.token)) as WebSocket;
    ws.send('null');
    ws.send('{"not json');
    ws.send(JSON.stringify({ id: 'x', channel: 'voices:list' }));
    expect(await call(ws, JSON.stringify({ id: 1, channel: 'voices:list', params: null }))).toEqual({ kind: 'result', id: 1, result: { ok: true, value: [] } });
    expect(await call(ws, JSON.stringify({ id: 2, channel: 'speech:speak', params: { text: 'x' } }))).toMatchObject({ id: 2, result: { ok: false, error: { code: 'UNKNOWN_METHOD' } } });
    ws.close();
  });
});
