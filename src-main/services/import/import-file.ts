import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { DocumentFormat, ImportedDocument } from '../../../src-shared/document/model';
import { detectFormat } from './detect';
import { importDocx } from './docx-importer';
import { importEpub } from './epub-importer';
import { importHtml } from './html-importer';
import { checkAborted, DEFAULT_LIMITS } from './limits';
import type { ImportContext, ImportOptions } from './limits';
import { importMarkdown } from './markdown-importer';
import { importPdf } from './pdf-importer';
import { importPlainText } from './text-importer';
import { formatBytes } from './zip-guard';

/**
 * Opens a TXT, Markdown, HTML, EPUB, PDF or DOCX file as a document with chapters.
 * The format is detected from the content (the extension only separates the text formats).
 * Throws AppError with a catalogue code for every failure the user can meet.
 * Runs in the calling thread: use importFileInWorker from the app's main process.
 */
export async function importFile(filePath: string, options: ImportOptions = {}): Promise<ImportedDocument> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  let size: number;
  try {
    const info = await stat(filePath);
    if (info.isDirectory()) throw AppError.of('PATH_IS_FOLDER', `(${filePath})`);
    size = info.size;
  } catch (error) {
    throw fileError(error, filePath);
  }
  if (size > limits.maxFileBytes) throw AppError.of('FILE_TOO_LARGE', `(It is ${formatBytes(size)}.)`);
  if (size === 0) throw AppError.of('EMPTY_DOCUMENT', '(The file is empty.)');
  checkAborted(options.signal);
  options.onProgress?.({ stage: 'reading', done: 0, total: size });
  let bytes: Uint8Array;
  try {
    bytes = await readFile(filePath, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    checkAborted(options.signal);
    throw fileError(error, filePath);
  }
  // The file may have grown since stat().
  if (bytes.length > limits.maxFileBytes) throw AppError.of('FILE_TOO_LARGE', `(It is ${formatBytes(bytes.length)}.)`);
  options.onProgress?.({ stage: 'reading', done: bytes.length, total: bytes.length });
  return importBytes(bytes, basename(filePath), options);
}

/** The same as importFile for bytes already in memory; `fileName` only guides detection and titles. */
export async function importBytes(bytes: Uint8Array, fileName: string, options: ImportOptions = {}): Promise<ImportedDocument> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (bytes.length > limits.maxFileBytes) throw AppError.of('FILE_TOO_LARGE', `(It is ${formatBytes(bytes.length)}.)`);
  if (bytes.length === 0) throw AppError.of('EMPTY_DOCUMENT', '(The file is empty.)');
  const context: ImportContext = {
    fileName,
    limits,
    signal: options.signal,
    progress: (stage, done, total) => options.onProgress?.({ stage, done, total }),
  };
  let document: ImportedDocument;
  try {
    const format = detectFormat(bytes, fileName);
    context.progress('parsing', 0, 1);
    document = await importFormat(format, bytes, context);
  } catch (error) {
    checkAborted(options.signal);
    if (error instanceof AppError) throw error;
    // A library choking on malformed input; the message stays in the detail for reports.
    throw AppError.of('CORRUPT_DOCUMENT', `(${error instanceof Error ? error.message : String(error)})`);
  }
  checkAborted(options.signal);
  if (!document.chapters.some((chapter) => chapter.blocks.some((block) => !block.skipFromReading))) {
    throw AppError.of('EMPTY_DOCUMENT');
  }
  context.progress('parsing', 1, 1);
  return document;
}

function importFormat(format: DocumentFormat, bytes: Uint8Array, context: ImportContext): Promise<ImportedDocument> | ImportedDocument {
  switch (format) {
    case 'text':
      return importPlainText(bytes, context.fileName);
    case 'markdown':
      return importMarkdown(bytes, context.fileName);
    case 'html':
      return importHtml(bytes, context.fileName);
    case 'epub':
      return importEpub(bytes, context);
    case 'pdf':
      return importPdf(bytes, context);
    case 'docx':
      return importDocx(bytes, context);
  }
}

/** Errors from reading a file as catalogue errors that name the file. */
export function fileError(error: unknown, path: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return AppError.of('FILE_NOT_FOUND', `(${path})`);
  if (code === 'EACCES' || code === 'EPERM') return AppError.of('FILE_UNREADABLE', `(${path}: permission denied.)`);
  if (code === 'EISDIR') return AppError.of('PATH_IS_FOLDER', `(${path})`);
  return AppError.of('FILE_UNREADABLE', `(${path}: ${error instanceof Error ? error.message : String(error)})`);
}
