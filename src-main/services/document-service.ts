import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { ImportedDocument } from '../../src-shared/document/model';
import { AppError } from '../../src-shared/errors/catalogue';
import type { OpenDocumentParams, OpenedDocument } from '../../src-shared/ipc/contract';
import { importFileInWorker } from './import/import-in-worker';
import type { ClientContext, Handlers } from './handlers';
import { documentSentenceTable } from '../../src-shared/document/sentence-table';
import { checkDocumentLength } from '../../src-shared/document/reading';
import type { ReadingTexts } from './reading-texts';

/** Opening documents for connected renderers: parsed in a worker, with progress, one at a time per client. */
export class DocumentService {
  private readonly opening = new Map<string, AbortController>();

  constructor(
    private readonly workerEntry: string,
    /** Where an opened document's text is held for reading. */
    private readonly texts: ReadingTexts,
    /** Records opened documents and restores positions, when the app keeps a library. */
    private readonly register?: (document: ImportedDocument, path: string | null) => { documentId: number; position?: OpenedDocument['position'] },
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
    try {
      let path: string;
      if (typeof params.path === 'string' && params.path !== '') {
        path = params.path;
      } else if (params.bytes instanceof Uint8Array) {
        // The parsers read files; bytes from a browser go to a private temp folder first.
        temp = await mkdtemp(join(tmpdir(), 'kokoro-open-'));
        // Named as the user's file, so a document without a title of its own is called by its name.
        path = join(temp, safeFileName(params.name));
        await writeFile(path, params.bytes);
      } else {
        throw AppError.of('INVALID_REQUEST', '(give a path or the bytes of a file)');
      }
      const name = params.name ?? basename(path);
      const document = await importFileInWorker(path, {
        workerEntry: this.workerEntry,
        signal: controller.signal,
        onProgress: (progress) => client.emit('document:progress', { name, ...progress }),
      });
      // The worker checked this too; a document is refused as one, never as a pasted text.
      checkDocumentLength(document);
      const table = documentSentenceTable(document);
      const text = this.texts.add(client, 'document', table);
      if (!this.register) return { ...document, text };
      const entry = this.register(document, temp ? null : path);
      return { ...document, text, libraryId: entry.documentId, ...(entry.position ? { position: entry.position } : {}) };
    } finally {
      if (this.opening.get(client.id) === controller) this.opening.delete(client.id);
      if (temp) await rm(temp, { recursive: true, force: true });
    }
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
