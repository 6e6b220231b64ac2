/**
 * A tiny file server on 127.0.0.1 for the model manager tests: Range and If-Range like a CDN,
 * a log of every request, and one-shot faults (cut the connection after N bytes, stall after
 * N bytes, answer with an error status, trickle a few bytes at a time up to N then stall).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Strong ETag sent with the file; null sends none. */
  etag: string | null;
  lastModified: string | null;
}

export interface LoggedRequest {
  path: string;
  range: string | undefined;
  ifRange: string | undefined;
  status: number;
}

type Fault =
  | { kind: 'cut'; after: number }
  | { kind: 'stall'; after: number }
  | { kind: 'status'; status: number }
  /** `chunk` bytes every `everyMs` up to `after` bytes, then nothing: a slow line whose progress can be watched. */
  | { kind: 'trickle'; after: number; chunk: number; everyMs: number };

export class FixtureServer {
  readonly files = new Map<string, ServedFile>();
  readonly requests: LoggedRequest[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private server: Server | undefined;
  private base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  serve(path: string, body: Buffer, etag: string | null = `"${path.length}-${body.length}-${body[0] ?? 0}"`): void {
    this.files.set(path, { body, etag, lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT' });
  }

  /** The next request for `path` gets a fault; several queue up in order. */
  fault(path: string, fault: Fault): void {
    const list = this.faults.get(path) ?? [];
    list.push(fault);
    this.faults.set(path, list);
  }

  /** Drops the faults no request took (a download cancelled before it asked for that file). */
  clearFaults(): void {
    this.faults.clear();
  }

  requestsFor(path: string): LoggedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', this.base).pathname;
    const range = req.headers.range;
    const ifRange = req.headers['if-range'] as string | undefined;
    const log = (status: number): void => {
      this.requests.push({ path, range, ifRange, status });
    };
    const fault = this.faults.get(path)?.shift();
    const file = this.files.get(path);
    if (fault?.kind === 'status') {
      log(fault.status);
      res.writeHead(fault.status, { 'content-type': 'text/plain' }).end(`fault ${fault.status}`);
      return;
    }
    if (!file) {
      log(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const size = file.body.length;
    const validators = new Set([file.etag, file.lastModified].filter((v): v is string => v !== null));
    let start = 0;
    let end = size - 1;
    let status = 200;
    const rangeMatch = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    // If-Range: a range is honoured only while the validator still matches; otherwise the whole file.
    if (rangeMatch && (ifRange === undefined || validators.has(ifRange))) {
      start = Number(rangeMatch[1]);
      if (rangeMatch[2]) end = Math.min(Number(rangeMatch[2]), size - 1);
      if (start >= size) {
        log(416);
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      status = 206;
    }
    const headers: Record<string, string> = { 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream', 'content-length': String(end - start + 1) };
    if (file.etag) headers.etag = file.etag;
    if (file.lastModified) headers['last-modified'] = file.lastModified;
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    log(status);
    res.writeHead(status, headers);
    const body = file.body.subarray(start, end + 1);
    if (fault?.kind === 'cut') {
      // Close a little later, so the client has read every byte sent: the partial size is then exact.
      res.write(body.subarray(0, fault.after), () => setTimeout(() => res.destroy(), 50));
      return;
    }
    if (fault?.kind === 'trickle') {
      let sent = 0;
      const timer = setInterval(() => {
        const next = Math.min(fault.after, sent + fault.chunk);
        if (next > sent && !res.destroyed) res.write(body.subarray(sent, next));
        sent = next;
        if (sent >= fault.after || res.destroyed) clearInterval(timer);
      }, fault.everyMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (fault?.kind === 'stall') {
      res.write(body.subarray(0, fault.after));
      return; // never ends; the client gives up or the server closes
    }
    res.end(body);
  }
}
