import { AppError } from '../../../src-shared/errors/catalogue';

export interface ImportLimits {
  /** Files larger than this are refused before reading. */
  maxFileBytes: number;
  /** A zip whose entries would expand past this in total is refused. */
  maxUnpackedBytes: number;
  maxZipEntries: number;
  /** One zip entry (a chapter, the OPF) larger than this is refused when read. */
  maxEntryBytes: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxFileBytes: 500 * 1024 * 1024,
  maxUnpackedBytes: 1024 * 1024 * 1024,
  maxZipEntries: 10_000,
  maxEntryBytes: 256 * 1024 * 1024,
};

export interface ImportProgress {
  stage: 'reading' | 'parsing' | 'pages' | 'chapters';
  done: number;
  total: number;
}

export interface ImportOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Overrides for tests and tools; the defaults are the product's limits. */
  limits?: Partial<ImportLimits>;
}

/** What every importer receives besides the bytes. */
export interface ImportContext {
  fileName: string;
  limits: ImportLimits;
  signal: AbortSignal | undefined;
  progress(stage: ImportProgress['stage'], done: number, total: number): void;
}

export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw AppError.of('CANCELLED', '(The document was not opened.)');
}

/** Lets timers, aborts and progress messages through during a long synchronous-ish loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
