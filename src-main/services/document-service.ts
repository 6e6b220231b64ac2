import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { ImportedDocument } from '../../src-shared/document/model';
import { AppError } from '../../src-shared/errors/catalogue';
import type { OpenDocumentParams, OpenedDocument } from '../../src-shared/ipc/contract';
import { importFileInWorker } from './import/import-in-worker';
import { withFileNameOnly } from './import/file-errors';
import type { FileGrants } from './file-grants';
import type { ClientContext, Handlers } from './handlers';
import { documentSentenceTable } from '../../src-shared/document/sentence-table';
import { checkDocumentLength } from '../../src-shared/document/reading';
import type { ReadingTexts } from './reading-texts';
import type { SentenceTable } from '../../src-shared/document/sentence-table';
import type { CoverImage } from '../../src-shared/export/types';
import { readEpubCover } from './import/epub-cover';

/** What the document service needs of the library. */
export interface DocumentLibrary {
  /** Records an opened document (and its file, when it has one) and gives back where reading stopped. */
  register(document: ImportedDocument, path: string | null, extras?: { table?: SentenceTable; cover?: CoverImage | undefined }): { documentId: number; position?: OpenedDocument['position'] };
  /** A library document kept whole (it has no file): opened from the library, not parsed again. */
  storedDocument?(documentId: number): ImportedDocument | undefined;
  /** The file a library document was opened from: null when it came as bytes, undefined when unknown. */
  pathOf(documentId: number): string | null | undefined;
}

/** Opening documents for connected renderers: parsed in a worker, with progress, one at a time per client. */
export class DocumentService {
  private readonly opening = new Map<string, AbortController>();

  constructor(
    private readonly workerEntry: string,
    /** Where an opened document's text is held for reading. */
    private readonly texts: ReadingTexts,
    /** The files the user chose, by handle: the only paths a renderer can open. */
    private readonly grants: FileGrants,
    /** Records opened documents and knows their files, when the app keeps a library. */
    private readonly library?: DocumentLibrary,
  ) {}

  readonly handlers: Pick<Handlers, 'document:open' | 'document:cancel'> = {
    'document:open': (params, client) => this.open(params, client),
    'document:cancel': (_params, client) => Promise.resolve({ cancelled: this.cancel(client) }),
  };

  async open(params: OpenDocumentParams, client: ClientContext): Promise<OpenedDocument> {
    this.cancel(client);
    const controller = new AbortController();
    this.opening.set(client.id, controller);
    let temp: string | undefined;
    let path: string | undefined;
    try {
      if ('handle' in params) {
        path = this.grants.pathOf(client, params.handle);
      } else if ('documentId' in params) {
        const stored = this.library?.storedDocument?.(params.documentId);
        if (stored) return this.show(stored, null, client);
        path = this.libraryPath(params.documentId);
      } else if (params.bytes instanceof Uint8Array) {
        // The parsers read files; bytes from a browser go to a private temp folder first.
        temp = await mkdtemp(join(tmpdir(), 'kokoro-open-'));
        // Named as the user's file, so a document without a title of its own is called by its name.
        path = join(temp, safeFileName(params.name));
        await writeFile(path, params.bytes);
      } else {
        throw AppError.of('INVALID_REQUEST', '(give a handle, a documentId or the bytes of a file)');
      }
      const name = ('name' in params ? params.name : undefined) ?? basename(path);
      const document = await importFileInWorker(path, {
        workerEntry: this.workerEntry,
        signal: controller.signal,
        onProgress: (progress) => client.emit('document:progress', { name, ...progress }),
      });
      // The worker checked this too; a document is refused as one, never as a pasted text.
      checkDocumentLength(document);
      // The cover, for the Library view: read while the file (or its temp copy) is still there.
      const cover = this.library && document.format === 'epub' ? await readEpubCover(path) : undefined;
      return this.show(document, temp ? null : path, client, cover);
    } catch (error) {
      throw path === undefined ? error : withFileNameOnly(error, path);
    } finally {
      if (this.opening.get(client.id) === controller) this.opening.delete(client.id);
      if (temp) await rm(temp, { recursive: true, force: true });
    }
  }

  /** Holds a parsed document for the client's reading, and records it in the library. */
  private show(document: ImportedDocument, path: string | null, client: ClientContext, cover?: CoverImage): OpenedDocument {
    const table = documentSentenceTable(document);
    const text = this.texts.add(client, 'document', table);
    if (!this.library) return { ...document, text };
    const entry = this.library.register(document, path, { table, cover });
    return { ...document, text, libraryId: entry.documentId, ...(entry.position ? { position: entry.position } : {}) };
  }

  /** The file of a library document: main knows it, the renderer names only the document. */
  private libraryPath(documentId: number): string {
    if (!this.library) throw AppError.of('LIBRARY_UNAVAILABLE');
    const path = this.library.pathOf(documentId);
    if (path === undefined) throw AppError.of('DOCUMENT_NOT_FOUND', `(${documentId})`);
    // Opened from bytes (browser mode): there is no file to read again.
    if (path === null) throw AppError.of('FILE_NOT_CHOSEN', '(the library has no file for it; open the file again)');
    return path;
  }

  cancel(client: ClientContext): boolean {
    const controller = this.opening.get(client.id);
    if (!controller) return false;
    this.opening.delete(client.id);
    controller.abort();
    return true;
  }
}

/** A user-given file name made safe to create: no folders, no odd characters, a sane length. */
function safeFileName(name: string | undefined): string {
  const base = basename(String(name ?? '')).replace(/[^\p{L}\p{N} ._()-]/gu, '_').replace(/^\.+/, '');
  const ext = extname(base).toLowerCase();
  const stem = base.slice(0, base.length - ext.length).slice(0, 100) || 'document';
  return /^\.[a-z0-9]{1,8}$/.test(ext) ? `${stem}${ext}` : stem;
}
