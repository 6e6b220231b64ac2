import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { DocumentFormat, ImportedDocument } from '../../../src-shared/document/model';
import { checkDocumentLength } from '../../../src-shared/document/reading';
import { detectFormat } from './detect';
import { checkRegularFile, fileError, irregularFileError } from './file-errors';
import { importDocx } from './docx-importer';
import { importEpub } from './epub-importer';
import { importHtml } from './html-importer';
import { checkAborted, DEFAULT_LIMITS } from './limits';
import type { ImportContext, ImportLimits, ImportOptions } from './limits';
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
  let handle: FileHandle | undefined;
  try {
    handle = await openRegularFile(filePath);
    const size = (await handle.stat()).size;
    if (size > limits.maxFileBytes) throw tooLarge(size, limits.maxFileBytes);
    if (size === 0) throw AppError.of('EMPTY_DOCUMENT', '(The file is empty.)');
    // A text file over its (smaller) limit is refused from its first bytes, before reading it all.
    if (size > limits.maxTextFileBytes && isTextFormat(await readHead(handle), basename(filePath))) throw textTooLarge(size, limits);
    checkAborted(options.signal);
    options.onProgress?.({ stage: 'reading', done: 0, total: size });
    const bytes = await handle.readFile(options.signal ? { signal: options.signal } : {});
    // The file may have grown since stat().
    if (bytes.length > limits.maxFileBytes) throw tooLarge(bytes.length, limits.maxFileBytes);
    options.onProgress?.({ stage: 'reading', done: bytes.length, total: bytes.length });
    await handle.close();
    handle = undefined;
    return await importBytes(bytes, basename(filePath), options);
  } catch (error) {
    checkAborted(options.signal);
    throw fileError(error, filePath);
  } finally {
    await handle?.close();
  }
}

/**
 * Opens `filePath` for reading if it is a regular file. Its type is checked before the open (a
 * device may act on being opened; a socket cannot be opened at all) and again on the open handle,
 * so it cannot be swapped for a pipe or a device in between. Non-blocking, so even then a named
 * pipe cannot hold the open (and the worker) until someone writes to it.
 */
async function openRegularFile(filePath: string): Promise<FileHandle> {
  await checkRegularFile(filePath);
  const handle = await open(filePath, process.platform === 'win32' ? 'r' : constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const irregular = irregularFileError(await handle.stat(), filePath);
    if (irregular) throw irregular;
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The same as importFile for bytes already in memory; `fileName` only guides detection and titles. */
export async function importBytes(bytes: Uint8Array, fileName: string, options: ImportOptions = {}): Promise<ImportedDocument> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (bytes.length > limits.maxFileBytes) throw tooLarge(bytes.length, limits.maxFileBytes);
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
    if (TEXT_FORMATS.has(format) && bytes.length > limits.maxTextFileBytes) throw textTooLarge(bytes.length, limits);
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
  checkDocumentLength(document);
  context.progress('parsing', 1, 1);
  return document;
}

const TEXT_FORMATS: ReadonlySet<DocumentFormat> = new Set(['text', 'markdown', 'html']);

function tooLarge(size: number, limit: number): AppError {
  return AppError.of('FILE_TOO_LARGE', `(It is ${formatBytes(size)}; the limit is ${formatBytes(limit)}.)`);
}

function textTooLarge(size: number, limits: ImportLimits): AppError {
  return AppError.of('FILE_TOO_LARGE', `(It is ${formatBytes(size)}; the limit for a text, Markdown or HTML file is ${formatBytes(limits.maxTextFileBytes)}.)`);
}

/** The first bytes of a file: enough for detectFormat to tell text from containers. */
async function readHead(handle: FileHandle): Promise<Uint8Array> {
  const { buffer, bytesRead } = await handle.read({ buffer: new Uint8Array(8192), position: 0 });
  return buffer.subarray(0, bytesRead);
}

function isTextFormat(head: Uint8Array, fileName: string): boolean {
  try {
    return TEXT_FORMATS.has(detectFormat(head, fileName));
  } catch {
    // Not text (or a container whose directory is not in the head): the full read decides.
    return false;
  }
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
