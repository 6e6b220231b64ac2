// Runs importFile in a worker thread so parsing a big book never blocks the main process.
// Kept free of parser imports: the main bundle that uses this loads none of them.
// Cancelling or timing out settles the caller's promise at once, asks the worker to stop (the
// parsers check for it between pages and chapters) and terminates it, which also stops a
// parser stuck in a loop; a worker is never reused, so the next import gets a fresh one.
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ErrorData } from '../../../src-shared/errors/catalogue';
import type { ImportedDocument } from '../../../src-shared/document/model';
import type { ImportLimits, ImportProgress } from './limits';

export interface ImportWorkerData {
  path: string;
  limits?: Partial<ImportLimits>;
}

/** What the parent posts to the worker: stop at the next check. */
export type ImportWorkerRequest = { type: 'cancel' };

export type ImportWorkerMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; document: ImportedDocument }
  | { type: 'error'; error: ErrorData };

export interface ImportInWorkerOptions {
  /** Path of the built worker bundle (dist/import/import-worker.mjs); defaults to the configured one. */
  workerEntry?: string;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Hard limit on the whole import (default 3 minutes). */
  timeoutMs?: number;
  /** Heap limit of the worker (default 1536 MB); exceeding it fails the import, not the app. */
  maxMemoryMb?: number;
  limits?: Partial<ImportLimits>;
}

export const DEFAULT_IMPORT_TIMEOUT_MS = 180_000;
// The parsers' limits keep the largest accepted file well under this (see limits.ts).
const DEFAULT_MAX_MEMORY_MB = 1536;

let configuredEntry: string | undefined;
const liveWorkers = new Set<Worker>();

/** Import workers started and not yet exited (a stopped import's worker is gone soon after). */
export function liveImportWorkers(): number {
  return liveWorkers.size;
}

/** Sets the worker bundle path once at startup, e.g. join(__dirname, '../import/import-worker.mjs'). */
export function configureImportWorker(workerEntry: string): void {
  configuredEntry = workerEntry;
}

export function importFileInWorker(path: string, options: ImportInWorkerOptions = {}): Promise<ImportedDocument> {
  const entry = options.workerEntry ?? configuredEntry;
  if (!entry) return Promise.reject(AppError.of('INTERNAL', '(The import worker is not configured.)'));
  if (options.signal?.aborted) return Promise.reject(AppError.of('CANCELLED', '(The document was not opened.)'));
  return new Promise<ImportedDocument>((resolve, reject) => {
    const data: ImportWorkerData = options.limits ? { path, limits: options.limits } : { path };
    const maxMemoryMb = options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
    const worker = new Worker(entry, {
      workerData: data,
      // The parent's flags (a test runner's loaders, --inspect) are not the worker's business.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
    });
    liveWorkers.add(worker);
    worker.once('exit', () => liveWorkers.delete(worker));
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // Settled first: a worker that keeps spinning never holds up the caller.
      outcome();
      worker.postMessage({ type: 'cancel' } satisfies ImportWorkerRequest);
      void worker.terminate();
    };
    const onAbort = (): void => finish(() => reject(AppError.of('CANCELLED', '(The document was not opened.)')));
    const timeoutMs = options.timeoutMs ?? DEFAULT_IMPORT_TIMEOUT_MS;
    const timer = setTimeout(() => finish(() => reject(AppError.of('IMPORT_TIMEOUT', `(Stopped after ${Math.round(timeoutMs / 1000)} s.)`))), timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (message: ImportWorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'done') finish(() => resolve(message.document));
      else finish(() => reject(new AppError(message.error)));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      finish(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? AppError.of('FILE_TOO_LARGE', `(Opening it needed more than the ${maxMemoryMb} MB of memory the import may use.)`)
            : AppError.of('INTERNAL', `(The import worker failed: ${error.message})`),
        ),
      );
    });
    worker.on('exit', (code) => finish(() => reject(AppError.of('INTERNAL', `(The import worker exited with code ${code}.)`))));
  });
}
