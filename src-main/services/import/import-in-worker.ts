// Runs importFile in a worker thread so parsing a big book never blocks the main process.
// Kept free of parser imports: the main bundle that uses this loads none of them.
// Cancelling or timing out terminates the worker, which stops even a parser stuck in a loop.
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ErrorData } from '../../../src-shared/errors/catalogue';
import type { ImportedDocument } from '../../../src-shared/document/model';
import type { ImportLimits, ImportProgress } from './limits';

export interface ImportWorkerData {
  path: string;
  limits?: Partial<ImportLimits>;
}

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
  /** Heap limit of the worker (default 3072 MB); exceeding it fails the import, not the app. */
  maxMemoryMb?: number;
  limits?: Partial<ImportLimits>;
}

export const DEFAULT_IMPORT_TIMEOUT_MS = 180_000;
const DEFAULT_MAX_MEMORY_MB = 3072;

let configuredEntry: string | undefined;

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
    const worker = new Worker(entry, {
      workerData: data,
      // The parent's flags (a test runner's loaders, --inspect) are not the worker's business.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB },
    });
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
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
            ? AppError.of('FILE_TOO_LARGE', '(Opening it needs more memory than the app allows.)')
            : AppError.of('INTERNAL', `(The import worker failed: ${error.message})`),
        ),
      );
    });
    worker.on('exit', (code) => finish(() => reject(AppError.of('INTERNAL', `(The import worker exited with code ${code}.)`))));
  });
}
