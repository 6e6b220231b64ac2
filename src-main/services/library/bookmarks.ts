import { AppError } from '../../../src-shared/errors/catalogue';
import type { SqliteDatabase } from './database';
import type { ReadingPosition } from './documents';

/** A place in a book the reader marked, to come back to. */
export interface Bookmark extends ReadingPosition {
  id: number;
  documentId: number;
  /** The start of the marked sentence, or the reader's own words. */
  label: string;
  createdAt: number;
}

interface BookmarkRow {
  id: number;
  document_id: number;
  chapter_index: number;
  sentence_index: number;
  char_offset: number;
  label: string;
  created_at: number;
}

/** Labels are shown in a list: a sentence's first words are enough. */
export const BOOKMARK_LABEL_MAX = 200;

/** Bookmarks per document; they go when the document leaves the library (cascade). */
export class BookmarkStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  /** In reading order. */
  list(documentId: number): Bookmark[] {
    const rows = this.db.run(
      (db) => db.prepare('SELECT * FROM bookmarks WHERE document_id = ? ORDER BY chapter_index, sentence_index, char_offset, id').all(documentId) as BookmarkRow[],
    );
    return rows.map(rowToBookmark);
  }

  /** Marks a place; the same sentence marked twice is one bookmark (its label is updated). */
  add(documentId: number, position: ReadingPosition, label: string): Bookmark {
    const text = label.replace(/\s+/g, ' ').trim().slice(0, BOOKMARK_LABEL_MAX);
    if (text === '') throw AppError.of('INVALID_REQUEST', '(a bookmark needs a label: the sentence or a few words of your own)');
    for (const n of [position.chapterIndex, position.sentenceIndex, position.charOffset]) {
      if (!Number.isInteger(n) || n < 0) throw AppError.of('INVALID_REQUEST', '(a bookmark position needs whole numbers of 0 or more)');
    }
    return this.db.write((db) => {
      if (db.prepare('SELECT 1 FROM documents WHERE id = ?').get(documentId) === undefined) throw AppError.of('DOCUMENT_NOT_FOUND', `(id ${documentId})`, { documentId });
      const same = db
        .prepare('SELECT id FROM bookmarks WHERE document_id = ? AND chapter_index = ? AND sentence_index = ?')
        .pluck()
        .get(documentId, position.chapterIndex, position.sentenceIndex) as number | undefined;
      let id = same;
      if (id === undefined) {
        id = Number(
          db
            .prepare('INSERT INTO bookmarks (document_id, chapter_index, sentence_index, char_offset, label, created_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(documentId, position.chapterIndex, position.sentenceIndex, position.charOffset, text, this.now()).lastInsertRowid,
        );
      } else {
        db.prepare('UPDATE bookmarks SET label = ?, char_offset = ? WHERE id = ?').run(text, position.charOffset, id);
      }
      return rowToBookmark(db.prepare('SELECT * FROM bookmarks WHERE id = ?').get(id) as BookmarkRow);
    });
  }

  remove(id: number): void {
    const changes = this.db.write((db) => db.prepare('DELETE FROM bookmarks WHERE id = ?').run(id).changes);
    if (changes === 0) throw AppError.of('BOOKMARK_NOT_FOUND', `(id ${id})`);
  }
}

function rowToBookmark(row: BookmarkRow): Bookmark {
  return {
    id: row.id,
    documentId: row.document_id,
    chapterIndex: row.chapter_index,
    sentenceIndex: row.sentence_index,
    charOffset: row.char_offset,
    label: row.label,
    createdAt: row.created_at,
  };
}
