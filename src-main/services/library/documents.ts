import { AppError } from '../../../src-shared/errors/catalogue';
import type { SqliteDatabase } from './database';

export interface DocumentInput {
  title: string;
  /** Absolute path of the file it came from; null for pasted text. */
  sourcePath: string | null;
  /** sha256 (hex) of the imported text: the document's identity across renames and moves. */
  contentHash: string;
  /** "txt", "md", "html", "epub", "pdf", "docx", ... */
  format: string;
  wordCount: number;
  /** Defaults to wordCount at 150 words a minute (speed 1). */
  durationEstimateMs?: number;
  author?: string | undefined;
  /** The number of sentences in each chapter, and of characters read aloud in each: for progress and time left. */
  chapterSentences?: readonly number[];
  chapterChars?: readonly number[];
}

export interface LibraryDocument {
  id: number;
  title: string;
  sourcePath: string | null;
  contentHash: string;
  format: string;
  addedAt: number;
  lastOpenedAt: number;
  wordCount: number;
  durationEstimateMs: number;
  author: string | null;
  /** Per chapter; empty when the document was last opened by a version that did not count them. */
  chapterSentences: number[];
  chapterChars: number[];
}

/** Where reading stopped. Offsets are UTF-16 code units within the sentence's chapter text. */
export interface ReadingPosition {
  chapterIndex: number;
  sentenceIndex: number;
  charOffset: number;
}

export interface SavedPosition extends ReadingPosition {
  updatedAt: number;
}

export interface OpenedDocument {
  document: LibraryDocument;
  /** The position to restore, if reading had started before. */
  position: SavedPosition | undefined;
  /**
   * new: first time; same: same content seen before; changed: a file at the same path with new
   * content. After `changed` the position is kept but may point past the end: clamp it.
   */
  match: 'new' | 'same' | 'changed';
}

export interface DocumentStoreHooks {
  /** Called after remove() commits, e.g. to drop the document's references in the audio cache. */
  onRemove?: (documentId: number) => void;
  now?: () => number;
}

interface DocumentRow {
  id: number;
  title: string;
  source_path: string | null;
  content_hash: string;
  format: string;
  added_at: number;
  last_opened_at: number;
  word_count: number;
  duration_estimate_ms: number;
  author: string | null;
  chapter_sentences: string;
  chapter_chars: string;
}

const WORDS_PER_MINUTE = 150;

export function estimateDurationMs(wordCount: number, speed = 1): number {
  return Math.round((wordCount / WORDS_PER_MINUTE / speed) * 60_000);
}

/** The library of opened documents and the reading position in each. */
export class DocumentStore {
  private readonly now: () => number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly hooks: DocumentStoreHooks = {},
  ) {
    this.now = hooks.now ?? Date.now;
  }

  /**
   * Adds a document or finds it again (by content hash, else by source path) and stamps it as
   * opened now; returns the position to restore.
   */
  open(input: DocumentInput): OpenedDocument {
    validateInput(input);
    const now = this.now();
    return this.db.write((db) => {
      const duration = input.durationEstimateMs ?? estimateDurationMs(input.wordCount);
      const byHash = db.prepare('SELECT * FROM documents WHERE content_hash = ?').get(input.contentHash) as DocumentRow | undefined;
      const byPath = byHash || input.sourcePath === null
        ? undefined
        : (db.prepare('SELECT * FROM documents WHERE source_path = ? ORDER BY last_opened_at DESC LIMIT 1').get(input.sourcePath) as DocumentRow | undefined);
      const found = byHash ?? byPath;
      let id: number;
      if (found) {
        id = found.id;
        db.prepare(
          `UPDATE documents SET title = ?, source_path = ?, content_hash = ?, format = ?, word_count = ?, duration_estimate_ms = ?, last_opened_at = ?,
             author = ?, chapter_sentences = ?, chapter_chars = ? WHERE id = ?`,
        ).run(input.title, input.sourcePath, input.contentHash, input.format, input.wordCount, duration, now, input.author ?? null, counts(input.chapterSentences), counts(input.chapterChars), id);
      } else {
        const result = db
          .prepare(
            `INSERT INTO documents (title, source_path, content_hash, format, added_at, last_opened_at, word_count, duration_estimate_ms, author, chapter_sentences, chapter_chars)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(input.title, input.sourcePath, input.contentHash, input.format, now, now, input.wordCount, duration, input.author ?? null, counts(input.chapterSentences), counts(input.chapterChars));
        id = Number(result.lastInsertRowid);
      }
      const document = rowToDocument(db.prepare('SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow);
      return { document, position: this.positionIn(id), match: byHash ? 'same' : byPath ? 'changed' : 'new' };
    });
  }

  get(id: number): LibraryDocument | undefined {
    const row = this.db.run((db) => db.prepare('SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined);
    return row && rowToDocument(row);
  }

  findByHash(contentHash: string): LibraryDocument | undefined {
    const row = this.db.run((db) => db.prepare('SELECT * FROM documents WHERE content_hash = ?').get(contentHash) as DocumentRow | undefined);
    return row && rowToDocument(row);
  }

  /** Keeps a document's cover image (a thumbnail's worth: callers cap its size), or drops it. */
  setCover(id: number, cover: { mediaType: string; data: Uint8Array } | undefined): void {
    this.db.write((db) => {
      if (!cover) db.prepare('DELETE FROM document_covers WHERE document_id = ?').run(id);
      else db.prepare('INSERT OR REPLACE INTO document_covers (document_id, media_type, data) VALUES (?, ?, ?)').run(id, cover.mediaType, Buffer.from(cover.data));
    });
  }

  cover(id: number): { mediaType: string; data: Uint8Array } | undefined {
    const row = this.db.run((db) => db.prepare('SELECT media_type, data FROM document_covers WHERE document_id = ?').get(id) as { media_type: string; data: Buffer } | undefined);
    return row && { mediaType: row.media_type, data: new Uint8Array(row.data) };
  }

  /** The ids of the documents that have a cover. */
  withCovers(): Set<number> {
    return new Set(this.db.run((db) => db.prepare('SELECT document_id FROM document_covers').pluck().all() as number[]));
  }

  /**
   * Keeps a document's content in the library (compressed by the caller): for documents with no
   * file to read again, a pasted text kept or a file opened from its bytes in browser mode.
   */
  keepContent(id: number, content: Uint8Array): void {
    this.db.write((db) => db.prepare('INSERT OR REPLACE INTO document_texts (document_id, content) VALUES (?, ?)').run(id, Buffer.from(content)));
  }

  content(id: number): Uint8Array | undefined {
    const data = this.db.run((db) => db.prepare('SELECT content FROM document_texts WHERE document_id = ?').pluck().get(id) as Buffer | undefined);
    return data && new Uint8Array(data);
  }

  /** The ids of the documents whose content the library keeps. */
  withContent(): Set<number> {
    return new Set(this.db.run((db) => db.prepare('SELECT document_id FROM document_texts').pluck().all() as number[]));
  }

  /** Every document, most recently opened first. */
  all(): LibraryDocument[] {
    const rows = this.db.run((db) => db.prepare('SELECT * FROM documents ORDER BY last_opened_at DESC, id DESC').all() as DocumentRow[]);
    return rows.map(rowToDocument);
  }

  /** Most recently opened first. */
  recent(limit = 20): LibraryDocument[] {
    const rows = this.db.run((db) => db.prepare('SELECT * FROM documents ORDER BY last_opened_at DESC, id DESC LIMIT ?').all(limit) as DocumentRow[]);
    return rows.map(rowToDocument);
  }

  count(): number {
    return this.db.run((db) => Number(db.prepare('SELECT count(*) FROM documents').pluck().get()));
  }

  rename(id: number, title: string): void {
    if (title.trim() === '') throw AppError.of('INVALID_REQUEST', '(a document title cannot be empty)');
    const changes = this.db.write((db) => db.prepare('UPDATE documents SET title = ? WHERE id = ?').run(title, id).changes);
    if (changes === 0) throw AppError.of('DOCUMENT_NOT_FOUND', `(id ${id})`, { documentId: id });
  }

  /** Removes the document, its position and voice override (cascade), and its cache references. */
  remove(id: number): boolean {
    const removed = this.db.write((db) => db.prepare('DELETE FROM documents WHERE id = ?').run(id).changes > 0);
    // After the commit: the cache lives in its own file and must not be able to undo this.
    if (removed) this.hooks.onRemove?.(id);
    return removed;
  }

  /** Stores the position at once; callers debounce (see Debouncer) and flush on pause and quit. */
  savePosition(documentId: number, position: ReadingPosition): void {
    validatePosition(position);
    const now = this.now();
    this.db.write((db) => {
      const exists = db.prepare('SELECT 1 FROM documents WHERE id = ?').get(documentId) !== undefined;
      if (!exists) throw AppError.of('DOCUMENT_NOT_FOUND', `(id ${documentId})`, { documentId });
      db.prepare(
        `INSERT INTO positions (document_id, chapter_index, sentence_index, char_offset, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (document_id) DO UPDATE SET chapter_index = excluded.chapter_index, sentence_index = excluded.sentence_index,
           char_offset = excluded.char_offset, updated_at = excluded.updated_at`,
      ).run(documentId, position.chapterIndex, position.sentenceIndex, position.charOffset, now);
    });
  }

  getPosition(documentId: number): SavedPosition | undefined {
    return this.db.run(() => this.positionIn(documentId));
  }

  private positionIn(documentId: number): SavedPosition | undefined {
    const row = this.db.connection
      .prepare('SELECT chapter_index, sentence_index, char_offset, updated_at FROM positions WHERE document_id = ?')
      .get(documentId) as { chapter_index: number; sentence_index: number; char_offset: number; updated_at: number } | undefined;
    return row && { chapterIndex: row.chapter_index, sentenceIndex: row.sentence_index, charOffset: row.char_offset, updatedAt: row.updated_at };
  }
}

function rowToDocument(row: DocumentRow): LibraryDocument {
  return {
    id: row.id,
    title: row.title,
    sourcePath: row.source_path,
    contentHash: row.content_hash,
    format: row.format,
    addedAt: row.added_at,
    lastOpenedAt: row.last_opened_at,
    wordCount: row.word_count,
    durationEstimateMs: row.duration_estimate_ms,
    author: row.author ?? null,
    chapterSentences: parseCounts(row.chapter_sentences),
    chapterChars: parseCounts(row.chapter_chars),
  };
}

function counts(values: readonly number[] | undefined): string {
  return JSON.stringify(values ?? []);
}

/** A JSON array of counts as stored; anything else (a damaged row) reads as "not known". */
function parseCounts(json: string | undefined): number[] {
  try {
    const parsed: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(parsed) && parsed.every(isCount) ? parsed : [];
  } catch {
    return [];
  }
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

function validateInput(input: DocumentInput): void {
  const bad = (what: string): never => {
    throw AppError.of('INVALID_REQUEST', `(document ${what})`);
  };
  if (typeof input.title !== 'string' || input.title.trim() === '') bad('title is empty');
  if (typeof input.contentHash !== 'string' || input.contentHash === '') bad('content hash is missing');
  if (typeof input.format !== 'string' || input.format === '') bad('format is missing');
  if (!isCount(input.wordCount)) bad('word count must be a whole number of 0 or more');
  if (input.durationEstimateMs !== undefined && !isCount(input.durationEstimateMs)) bad('duration must be whole milliseconds');
  for (const list of [input.chapterSentences, input.chapterChars]) {
    if (list !== undefined && (!Array.isArray(list) || !list.every(isCount))) bad('chapter counts must be whole numbers of 0 or more');
  }
}

function validatePosition(p: ReadingPosition): void {
  if (!isCount(p.chapterIndex) || !isCount(p.sentenceIndex) || !isCount(p.charOffset)) {
    throw AppError.of('INVALID_REQUEST', '(a reading position needs whole numbers of 0 or more)');
  }
}
