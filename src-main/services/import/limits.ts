import { AppError } from '../../../src-shared/errors/catalogue';

const MiB = 1024 * 1024;

export interface ImportLimits {
  /** EPUB, PDF and DOCX files larger than this are refused before reading. */
  maxFileBytes: number;
  /**
   * TXT, Markdown and HTML files larger than this are refused before reading: their text is at
   * most this many characters, which keeps it under the reader's MAX_TEXT_LENGTH.
   */
  maxTextFileBytes: number;
  /** A zip whose entries declare more than this in total is refused before inflating anything. */
  maxUnpackedBytes: number;
  maxZipEntries: number;
  /** One EPUB part (a chapter, the OPF) that unpacks past this is refused; linkedom needs ~40x its size. */
  maxEpubEntryBytes: number;
  /** All the EPUB parts read, together. */
  maxEpubReadBytes: number;
  /** One DOCX part (document.xml): mammoth needs ~110x its size in memory and ~1 s per MB. */
  maxDocxEntryBytes: number;
  /** All the DOCX parts mammoth reads, together. */
  maxDocxReadBytes: number;
  /**
   * PDFs with more pages are refused after opening. pdf.js's text extraction costs about 1.2 us
   * a character, and each page's text and layout are kept until the end: 10,000 pages of 1,100
   * characters took 12.8-17.8 s and 500 MB peak RSS (bench:import, before this limit), so half
   * of that is what opens within 10 s on this 2-core machine (its 5,000-page row: 6.7-8.8 s).
   */
  maxPdfPages: number;
  /** A PDF whose stream (any filter) pdf.js would decode past this is refused, counted as pdf.js decodes it. */
  maxPdfStreamBytes: number;
  /** What pdf.js allocates for decoded streams over one PDF's import, together. */
  maxPdfDecodedBytes: number;
}

// Chosen so that the largest file each parser accepts opens in a few seconds under 512 MB
// (measured: an 8 MB EPUB chapter 2.7 s / 346 MB, a 16 MB one 550 MB; an 8 MB document.xml
// 8 s / 906 MB); see `npm run bench:import` for the refusals.
export const DEFAULT_LIMITS: ImportLimits = {
  maxFileBytes: 500 * MiB,
  maxTextFileBytes: 16 * MiB,
  maxUnpackedBytes: 512 * MiB,
  maxZipEntries: 10_000,
  maxEpubEntryBytes: 8 * MiB,
  maxEpubReadBytes: 64 * MiB,
  maxDocxEntryBytes: 4 * MiB,
  maxDocxReadBytes: 16 * MiB,
  maxPdfPages: 5_000,
  maxPdfStreamBytes: 32 * MiB,
  maxPdfDecodedBytes: 256 * MiB,
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
