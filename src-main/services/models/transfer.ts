/**
 * One file over HTTP into `<target>.partial`, continued across runs with Range requests.
 * The partial file only ever holds a prefix of the source: bytes are appended in order, and a
 * resumed transfer is accepted only when the server confirms it continues the same file
 * (If-Range with the ETag or Last-Modified of the first response, then Content-Range checks).
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadableStreamReadResult } from 'node:stream/web';
import { AppError } from '../../../src-shared/errors/catalogue';
import { fileSizeOrNull, fsError } from './file-checks';
import type { FileDigest } from './file-checks';
import type { ModelFileEntry } from './manifest';

export interface PartialPaths {
  partial: string;
  meta: string;
}

export function partialPaths(target: string): PartialPaths {
  return { partial: `${target}.partial`, meta: `${target}.partial.json` };
}

/** What the first response said about the file, to check that a later run resumes the same one. */
interface PartialMeta {
  url: string;
  etag: string | null;
  lastModified: string | null;
  total: number | null;
}

export interface TransferOptions {
  fetch: typeof globalThis.fetch;
  signal: AbortSignal | undefined;
  /** Give up on a connection that sends nothing for this long. */
  idleTimeoutMs: number;
  /** Attempts in all (1 = no retry); network failures and 5xx answers are retried, resuming. */
  attempts: number;
  retryDelayMs: number;
  /** Bytes of the file on disk so far (including a resumed prefix), and its total when known. */
  onBytes: (done: number, total: number | null) => void;
}

const retryable = new WeakSet<AppError>();

function retryableError(error: AppError): AppError {
  retryable.add(error);
  return error;
}

function cancelled(name: string): AppError {
  return AppError.of('DOWNLOAD_CANCELLED', '', { file: name });
}

async function readMeta(path: string): Promise<PartialMeta | null> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<PartialMeta> | null;
    if (typeof value?.url !== 'string') return null;
    return {
      url: value.url,
      etag: typeof value.etag === 'string' ? value.etag : null,
      lastModified: typeof value.lastModified === 'string' ? value.lastModified : null,
      total: typeof value.total === 'number' ? value.total : null,
    };
  } catch {
    return null;
  }
}

export async function discardPartial(paths: PartialPaths): Promise<void> {
  await rm(paths.partial, { force: true });
  await rm(paths.meta, { force: true });
}

/** Parses `bytes start-end/total` (total may be `*`). */
function parseContentRange(header: string | null): { start: number; end: number; total: number | null } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === '*' ? null : Number(match[3]) };
}

/** Total of a 416 answer: `bytes *\/total`. */
function parseUnsatisfiedRange(header: string | null): number | null {
  const match = /^bytes \*\/(\d+)$/.exec(header?.trim() ?? '');
  return match ? Number(match[1]) : null;
}

function contentLength(response: Response): number | null {
  const raw = response.headers.get('content-length');
  if (raw === null || !/^\d+$/.test(raw.trim())) return null;
  return Number(raw);
}

/** A weak ETag may not be used in If-Range (RFC 9110 13.1.5), so only strong ones are kept. */
function strongEtag(response: Response): string | null {
  const etag = response.headers.get('etag');
  return etag !== null && !etag.startsWith('W/') ? etag : null;
}

function describeCause(thrown: unknown): string {
  if (!(thrown instanceof Error)) return String(thrown);
  const cause = (thrown as Error & { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `${thrown.message}: ${cause.message}` : thrown.message;
  return detail;
}

function httpError(entry: ModelFileEntry, response: Response): AppError {
  const status = response.status;
  const what = status === 404 ? 'not found' : status === 401 || status === 403 ? 'access denied' : response.statusText || 'error';
  const error = AppError.of('DOWNLOAD_HTTP_ERROR', `(${entry.name}: HTTP ${status} ${what} from ${entry.url})`, { file: entry.name, url: entry.url, status });
  return status >= 500 || status === 408 || status === 429 ? retryableError(error) : error;
}

async function hashPrefix(hash: Hash, path: string, length: number): Promise<void> {
  if (length === 0) return;
  const stream = createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Aborts the request when the caller's signal fires or when no bytes arrive for a while;
 * `idle()` tells the two apart afterwards.
 */
class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  readonly signal: AbortSignal;

  constructor(
    private readonly timeoutMs: number,
    user: AbortSignal | undefined,
  ) {
    this.signal = user ? AbortSignal.any([user, this.controller.signal]) : this.controller.signal;
    this.kick();
  }

  kick(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error(`no data for ${Math.round(this.timeoutMs / 1000)} s`));
    }, this.timeoutMs);
    this.timer.unref();
  }

  idle(): boolean {
    return this.timedOut;
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

async function request(entry: ModelFileEntry, offset: number, meta: PartialMeta | null, options: TransferOptions, watchdog: Watchdog): Promise<Response> {
  // identity: a compressed answer would make byte offsets meaningless for Range.
  const headers: Record<string, string> = { 'accept-encoding': 'identity' };
  if (offset > 0) {
    headers.range = `bytes=${offset}-`;
    const validator = meta?.etag ?? meta?.lastModified;
    if (validator) headers['if-range'] = validator;
  }
  return options.fetch(entry.url, { headers, signal: watchdog.signal, redirect: 'follow' });
}

/** Drops a response body we will not read, so the connection is released. */
async function drop(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** One attempt; throws AppErrors (retryable ones marked) and leaves the partial file for the next. */
async function attempt(entry: ModelFileEntry, paths: PartialPaths, options: TransferOptions): Promise<FileDigest> {
  let offset = (await fileSizeOrNull(paths.partial)) ?? 0;
  let meta = await readMeta(paths.meta);
  // Without a record of what the partial file is, it can only be trusted when the exact size is known.
  const trusted = meta !== null ? meta.url === entry.url : entry.size !== null;
  if (offset > 0 && (!trusted || (entry.size !== null && offset > entry.size))) {
    await discardPartial(paths);
    offset = 0;
    meta = null;
  }
  if (offset > 0 && entry.size !== null && offset === entry.size) {
    // A previous run got every byte but stopped before verifying.
    options.onBytes(offset, entry.size);
    return finishDigest(paths.partial, offset);
  }

  const watchdog = new Watchdog(options.idleTimeoutMs, options.signal);
  let handle: FileHandle | undefined;
  let done = offset;
  let total: number | null = null;
  try {
    let response = await request(entry, offset, meta, options, watchdog);
    if (offset > 0) {
      const verdict = resumeVerdict(response, offset, meta);
      if (verdict === 'complete') {
        await drop(response);
        options.onBytes(offset, offset);
        return await finishDigest(paths.partial, offset);
      }
      if (verdict === 'restart') {
        await drop(response);
        await discardPartial(paths);
        offset = 0;
        done = 0;
        meta = null;
        response = await request(entry, 0, null, options, watchdog);
      } else if (verdict === 'from-start') {
        offset = 0;
        done = 0;
      }
    }
    const expectedStatus = offset > 0 ? 206 : 200;
    if (response.status !== expectedStatus) {
      await drop(response);
      throw httpError(entry, response);
    }
    total = offset > 0 ? (parseContentRange(response.headers.get('content-range'))?.total ?? meta?.total ?? null) : contentLength(response);
    if (total !== null && entry.size !== null && total !== entry.size) {
      await drop(response);
      await discardPartial(paths);
      throw AppError.of('CHECKSUM_MISMATCH', `(${entry.name}: the server offers ${total} bytes, expected ${entry.size})`, { file: entry.name });
    }
    if (!response.body) throw retryableError(AppError.of('DOWNLOAD_FAILED', `(${entry.name}: empty answer from ${entry.url})`, { file: entry.name }));

    const nextMeta: PartialMeta = offset > 0 && meta ? { ...meta, total: total ?? meta.total } : { url: entry.url, etag: strongEtag(response), lastModified: response.headers.get('last-modified'), total };
    const hash = createHash('sha256');
    try {
      await writeFile(paths.meta, JSON.stringify(nextMeta));
      // 'w' when starting over: a 200 answer to a Range request replaces what we had.
      handle = await open(paths.partial, offset > 0 ? 'a' : 'w');
      await hashPrefix(hash, paths.partial, offset);
    } catch (thrown) {
      await drop(response);
      throw fsError(thrown, paths.partial);
    }
    options.onBytes(done, total);

    const reader = response.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (thrown) {
        if (options.signal?.aborted) throw cancelled(entry.name);
        const why = watchdog.idle() ? `no data for ${Math.round(options.idleTimeoutMs / 1000)} s` : describeCause(thrown);
        throw retryableError(AppError.of('DOWNLOAD_FAILED', `(${entry.name} stopped after ${done} bytes: ${why})`, { file: entry.name, bytes: done }));
      }
      if (chunk.done) break;
      watchdog.kick();
      try {
        await writeAll(handle, chunk.value);
      } catch (thrown) {
        await reader.cancel().catch(() => undefined);
        throw fsError(thrown, paths.partial);
      }
      hash.update(chunk.value);
      done += chunk.value.length;
      options.onBytes(done, total);
    }
    if (total !== null && done !== total) {
      throw retryableError(AppError.of('DOWNLOAD_FAILED', `(${entry.name}: the connection closed after ${done} of ${total} bytes)`, { file: entry.name, bytes: done }));
    }
    try {
      await handle.sync();
    } catch (thrown) {
      throw fsError(thrown, paths.partial);
    }
    return { size: done, sha256: hash.digest('hex') };
  } catch (thrown) {
    if (thrown instanceof AppError) throw thrown;
    if (options.signal?.aborted) throw cancelled(entry.name);
    const why = watchdog.idle() ? `no answer for ${Math.round(options.idleTimeoutMs / 1000)} s` : describeCause(thrown);
    throw retryableError(AppError.of('DOWNLOAD_FAILED', `(${entry.name} from ${entry.url}: ${why})`, { file: entry.name, url: entry.url }));
  } finally {
    watchdog.stop();
    await handle?.close().catch(() => undefined);
  }
}

async function finishDigest(path: string, size: number): Promise<FileDigest> {
  const hash = createHash('sha256');
  await hashPrefix(hash, path, size);
  return { size, sha256: hash.digest('hex') };
}

/**
 * How to treat the answer to a Range request: continue appending, the partial file already
 * holds everything, the server sent the whole file (keep reading, from byte 0), or ask again
 * from the start because the answer does not continue our prefix.
 */
function resumeVerdict(response: Response, offset: number, meta: PartialMeta | null): 'continue' | 'complete' | 'from-start' | 'restart' {
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (!range || range.start !== offset) return 'restart';
    if (meta !== null && meta.total !== null && range.total !== null && range.total !== meta.total) return 'restart';
    return 'continue';
  }
  if (response.status === 416) {
    const total = parseUnsatisfiedRange(response.headers.get('content-range'));
    return total === offset ? 'complete' : 'restart';
  }
  // 200: If-Range did not match (the file changed) or the server ignores ranges.
  if (response.status === 200) return 'from-start';
  return 'continue'; // an error status: reported by the caller
}

/** Downloads into the partial file, retrying (and resuming) after network failures. */
export async function transferToPartial(entry: ModelFileEntry, target: string, options: TransferOptions): Promise<FileDigest> {
  const paths = partialPaths(target);
  const attempts = Math.max(1, options.attempts);
  for (let tries = 1; ; tries++) {
    if (options.signal?.aborted) throw cancelled(entry.name);
    try {
      return await attempt(entry, paths, options);
    } catch (thrown) {
      if (!(thrown instanceof AppError) || !retryable.has(thrown) || tries >= attempts) throw thrown;
      try {
        await sleep(options.retryDelayMs * 2 ** (tries - 1), undefined, { signal: options.signal });
      } catch {
        throw cancelled(entry.name);
      }
    }
  }
}
