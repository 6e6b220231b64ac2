// pdf.js decodes each stream whole, into buffers outside the V8 heap, and has no option to cap
// what it decodes: a 0.5 MB PDF of Flate-compressed zeros cost it 1.6 GB. Scanning the file
// for streams before pdf.js sees it cannot hold (a filter can hide behind an indirect object, a
// name escape, a filter array, encryption or an object stream), so the count happens where
// pdf.js produces the bytes: every decoder it has grows its output through
// DecodeStream.ensureBuffer, except the native Flate/Brotli path and the image decoders.
//
// pdf.js's worker classes are not exported, so its worker module is loaded here from its own
// source with one export line appended, and runs in this thread as pdf.js's "fake worker"
// (pdf.js takes it from globalThis.pdfjsWorker). Then, once per process:
// - DecodeStream.ensureBuffer charges each growth to the import's budget before allocating,
//   and never allocates more than one stream may hold;
// - the native Flate/Brotli path inflates with zlib's maxOutputLength set to what is left;
// - Brotli's own decoder (whole-stream, unbounded) is replaced by that bounded one;
// - the image decoders (JPEG, JPEG 2000, JBIG2, CCITT) refuse to run: text import paints no
//   image, and their output size comes from the image's own header.
// A budget is per import (AsyncLocalStorage: pdf.js's fake worker passes messages by promise,
// so its work runs in the context of the import that asked for it). Once a limit is passed,
// every further decode of that document fails, and the importer reports the limit, whatever
// pdf.js made of the failure (it often carries on with an empty page or a fallback font).
// Audited against pdfjs-dist 5.6.205 (pinned); test/import/pdf-decode-budget.test.ts fails
// when an upgrade moves these classes or methods.
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brotliDecompressSync, inflateSync } from 'node:zlib';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ImportLimits } from './limits';
import { installPageLookup, PAGE_LOOKUP_CLASSES } from './pdf-page-lookup';
import type { PdfJsPageLookupInternals } from './pdf-page-lookup';
import { formatBytes } from './zip-guard';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

export type PdfJs = typeof PdfJsModule;
export type PdfStreamLimits = Pick<ImportLimits, 'maxPdfStreamBytes' | 'maxPdfDecodedBytes'>;

/** The pdf.js worker classes the budget patches, as the appended export line names them. */
const WORKER_CLASSES = ['DecodeStream', 'BrotliStream', 'JpegStream', 'JpxStream', 'Jbig2Stream', 'CCITTFaxStream', 'Stream'] as const;
const IMAGE_DECODERS = ['JpegStream', 'JpxStream', 'Jbig2Stream', 'CCITTFaxStream'] as const;
/** Methods an image decoder produces pixels with (each has the first two). */
const IMAGE_DECODE_METHODS = ['readBlock', 'decodeImage', 'decodeImageFallback'] as const;
export type WorkerClass = { prototype: Record<string, unknown> } & (new (...args: never[]) => object);
export type PdfJsWorkerInternals = Record<(typeof WORKER_CLASSES)[number], WorkerClass>;

/** What the patched methods use of a pdf.js DecodeStream. */
interface DecodedStream {
  buffer: Uint8Array;
  bufferLength: number;
  minBufferLength: number;
  eof: boolean;
  stream: { reset(): void; getBytes(): Uint8Array; isAsync: boolean; asyncGetBytes(): Promise<Uint8Array | null> };
}

/** Thrown inside pdf.js when a decode would pass a limit; the importer reports the budget's error instead. */
class PdfDecodeLimitError extends Error {}

/**
 * Decoded bytes of one PDF import. A stream's decoded size is held to the per-stream limit;
 * what pdf.js allocates for them (at most twice that, as its buffers double) adds up to the
 * per-document one, over the whole import (a stream decoded twice counts twice).
 */
export class PdfDecodeBudget {
  private allocated = 0;
  private passed: 'stream' | 'document' | undefined;
  private readonly held = new WeakMap<object, number>();

  constructor(readonly limits: PdfStreamLimits) {}

  /** How large `stream` may grow before a limit is passed. */
  room(stream: object): number {
    const held = this.held.get(stream) ?? 0;
    return Math.max(0, Math.min(this.limits.maxPdfStreamBytes, held + this.limits.maxPdfDecodedBytes - this.allocated));
  }

  /** Records that `stream` decodes to `size` bytes in a buffer of `allocated`; throws (and stays failed) past a limit. */
  charge(stream: object, size: number, allocated = size): void {
    if (!this.passed && size > this.limits.maxPdfStreamBytes) this.passed = 'stream';
    const held = this.held.get(stream) ?? 0;
    if (!this.passed && allocated > held) {
      if (this.allocated + allocated - held > this.limits.maxPdfDecodedBytes) this.passed = 'document';
      else {
        this.allocated += allocated - held;
        this.held.set(stream, allocated);
      }
    }
    if (this.passed) throw new PdfDecodeLimitError(`PDF decode limit passed (${this.passed}).`);
  }

  /** The catalogue error naming the limit passed, if one was. */
  error(): AppError | undefined {
    if (this.passed === 'stream') {
      return AppError.of('FILE_TOO_LARGE', `(A stream of the PDF unpacks to more than ${formatBytes(this.limits.maxPdfStreamBytes)}, the limit for one stream.)`);
    }
    if (this.passed === 'document') {
      return AppError.of('FILE_TOO_LARGE', `(The PDF's streams unpack to more than ${formatBytes(this.limits.maxPdfDecodedBytes)}, the limit for one PDF.)`);
    }
    return undefined;
  }

  /** Throws the limit's error once one was passed (pdf.js may have swallowed the failure). */
  check(): void {
    const error = this.error();
    if (error) throw error;
  }
}

const budgets = new AsyncLocalStorage<PdfDecodeBudget>();

/** Runs `work` (every pdf.js call of one import) with its own decode budget. */
export function withPdfDecodeBudget<T>(limits: PdfStreamLimits, work: (budget: PdfDecodeBudget) => Promise<T>): Promise<T> {
  const budget = new PdfDecodeBudget(limits);
  return budgets.run(budget, () => work(budget));
}

function currentBudget(): PdfDecodeBudget {
  const budget = budgets.getStore();
  // pdf.js runs only for importPdf; a decode outside its budget would be unbounded, so none happens.
  if (!budget) throw new PdfDecodeLimitError('A PDF stream was decoded outside an import.');
  return budget;
}

/**
 * Inflates (zlib) or Brotli-decodes `bytes` for `stream` within its budget; null when the data
 * is damaged (pdf.js then decodes what it can itself, through ensureBuffer).
 */
function decompressWithin(budget: PdfDecodeBudget, stream: object, format: string, bytes: Uint8Array): Uint8Array | null {
  const room = budget.room(stream);
  const options = { maxOutputLength: Math.max(1, room) };
  let out: Buffer;
  try {
    if (format === 'deflate') out = inflateSync(bytes, options);
    else if (format === 'brotli') out = brotliDecompressSync(bytes, options);
    else return null;
  } catch (error) {
    // Passing maxOutputLength throws here, naming the limit.
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') budget.charge(stream, room + 1);
    return null;
  }
  budget.charge(stream, out.length);
  // A small Buffer shares Node's pool, which pdf.js must not get (it transfers what it sends).
  return out.byteLength === out.buffer.byteLength ? new Uint8Array(out.buffer) : new Uint8Array(out);
}

/** Fails loudly when an upgrade of pdf.js renamed or moved a method the budget replaces. */
function requireMethod(prototype: Record<string, unknown>, className: string, name: string): void {
  if (!Object.hasOwn(prototype, name) || typeof prototype[name] !== 'function') throw new Error(`pdf.js ${className}.${name} is missing: re-check pdf-decode-budget.ts against this pdfjs-dist.`);
}

function installBudget(classes: PdfJsWorkerInternals): void {
  const decode = classes.DecodeStream.prototype;
  requireMethod(decode, 'DecodeStream', 'ensureBuffer');
  requireMethod(decode, 'DecodeStream', 'asyncGetBytesFromDecompressionStream');
  // Same contract as pdf.js's: a buffer of at least `requested` bytes holding what was decoded.
  decode.ensureBuffer = function ensureBuffer(this: DecodedStream, requested: number): Uint8Array {
    const buffer = this.buffer;
    if (requested <= buffer.byteLength) return buffer;
    const budget = currentBudget();
    let size = this.minBufferLength;
    while (size < requested) size *= 2;
    // pdf.js sizes the first buffer from the encoded length (up to the file's size).
    size = Math.max(requested, Math.min(size, budget.limits.maxPdfStreamBytes));
    budget.charge(this, requested, size);
    const grown = new Uint8Array(size);
    grown.set(buffer);
    return (this.buffer = grown);
  };
  decode.asyncGetBytesFromDecompressionStream = async function asyncGetBytesFromDecompressionStream(this: DecodedStream, format: string) {
    const budget = currentBudget();
    this.stream.reset();
    const bytes = this.stream.isAsync ? await this.stream.asyncGetBytes() : this.stream.getBytes();
    if (!bytes) return { decompressed: null, compressed: bytes };
    return { decompressed: decompressWithin(budget, this, format, bytes), compressed: bytes };
  };
  // pdf.js's own Brotli decoder collects the whole output before returning it.
  requireMethod(classes.BrotliStream.prototype, 'BrotliStream', 'readBlock');
  classes.BrotliStream.prototype.readBlock = function readBlock(this: DecodedStream): void {
    const decoded = decompressWithin(currentBudget(), this, 'brotli', this.stream.getBytes());
    if (!decoded) throw new Error('Invalid Brotli stream.');
    this.buffer = decoded;
    this.bufferLength = decoded.length;
    this.eof = true;
  };
  const refuse = (): never => {
    throw new Error('Images are not decoded when a PDF is imported for its text.');
  };
  for (const name of IMAGE_DECODERS) {
    const prototype = classes[name].prototype;
    requireMethod(prototype, name, 'readBlock');
    requireMethod(prototype, name, 'decodeImage');
    for (const decoder of IMAGE_DECODE_METHODS) if (Object.hasOwn(prototype, decoder)) prototype[decoder] = refuse;
  }
}

/**
 * Built-ins that the legacy build's core-js replaces with script versions although Node 20 has
 * them: core-js swaps Array.prototype.push for V8's (<= 12.1) wrong error on a frozen length,
 * and JSON's methods for proposals pdf.js does not use. The script push was 13% of the profile
 * of a 10,000-page PDF's import, in pdf.js and in our layout alike (3-4 s of 16-22 s). The
 * additions core-js makes stay: pdf.js needs some (Promise.withResolvers,
 * Uint8Array.prototype.toHex, ...), and JSON.rawJSON, which native stringify ignores, is unused.
 * On Electron's Node (22+) core-js replaces none of these, and this changes nothing.
 */
const NATIVES_CORE_JS_REPLACES = [
  [Array.prototype, 'push'],
  [JSON, 'parse'],
  [JSON, 'stringify'],
] as const;

async function withNativesKept<T>(load: () => Promise<T>): Promise<T> {
  const natives = NATIVES_CORE_JS_REPLACES.map(([owner, name]) => [owner, name, Object.getOwnPropertyDescriptor(owner, name)] as const);
  try {
    return await load();
  } finally {
    for (const [owner, name, descriptor] of natives) if (descriptor) Object.defineProperty(owner, name, descriptor);
  }
}

let internalsPromise: Promise<PdfJsWorkerInternals & PdfJsPageLookupInternals> | undefined;
let pdfjsPromise: Promise<PdfJs> | undefined;

async function loadWorkerInternals(): Promise<PdfJsWorkerInternals & PdfJsPageLookupInternals> {
  // Main is bundled to CommonJS, where import.meta.url is empty; __filename exists there.
  const require = createRequire(import.meta.url ?? __filename);
  const source = readFileSync(require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'), 'utf8');
  // A class renamed or removed by an upgrade makes this line, and so the import, fail.
  const exported = `${source}\nexport { ${[...WORKER_CLASSES, ...PAGE_LOOKUP_CLASSES].join(', ')} };\n`;
  const module = (await import(/* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(exported).toString('base64')}`)) as PdfJsWorkerInternals &
    PdfJsPageLookupInternals & { WorkerMessageHandler: unknown };
  installBudget(module);
  // Pages by a list made in one walk of the page tree, not a walk per page (pdf-page-lookup.ts).
  installPageLookup(module);
  // pdf.js's fake worker takes its handler from here before it would import the unpatched file.
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = { WorkerMessageHandler: module.WorkerMessageHandler };
  return module;
}

/** pdf.js's worker classes, budget and page lookup installed (for the tests that check the patches). */
export function loadPdfJsWorkerInternals(): Promise<PdfJsWorkerInternals & PdfJsPageLookupInternals> {
  internalsPromise ??= withNativesKept(loadWorkerInternals);
  return internalsPromise;
}

/** pdf.js (legacy build, the one that runs in Node) with every decode bounded by the import's budget. */
export function loadPdfJs(): Promise<PdfJs> {
  pdfjsPromise ??= loadPdfJsWorkerInternals().then(() => withNativesKept(() => import('pdfjs-dist/legacy/build/pdf.mjs')));
  return pdfjsPromise;
}
