import type { Migration } from './database';

/** One row per open connection (see SqliteDatabase); shared by the library and cache schemas. */
export const SESSIONS_TABLE = 'CREATE TABLE sessions (token TEXT PRIMARY KEY, pid INTEGER NOT NULL, started INTEGER NOT NULL) WITHOUT ROWID;';

/**
 * The library schema, one step per version (PRAGMA user_version). Append new steps; never edit
 * a released one, because files in the wild are at every earlier version.
 */
export const LIBRARY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'documents, positions, settings, lexicon words',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE documents (
          id INTEGER PRIMARY KEY,
          title TEXT NOT NULL,
          source_path TEXT,
          content_hash TEXT NOT NULL UNIQUE,
          format TEXT NOT NULL,
          added_at INTEGER NOT NULL,
          last_opened_at INTEGER NOT NULL,
          word_count INTEGER NOT NULL DEFAULT 0,
          duration_estimate_ms INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX documents_last_opened ON documents (last_opened_at DESC);
        CREATE INDEX documents_source_path ON documents (source_path);
        CREATE TABLE positions (
          document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
          chapter_index INTEGER NOT NULL,
          sentence_index INTEGER NOT NULL,
          char_offset INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE lexicon_entries (
          id INTEGER PRIMARY KEY,
          lang TEXT NOT NULL CHECK (lang IN ('en-us', 'en-gb', 'all')),
          word TEXT NOT NULL,
          phonemes TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          UNIQUE (lang, word)
        );
      `);
    },
  },
  {
    version: 2,
    name: 'voice overrides per document, named blends, starred voices',
    up(db) {
      db.exec(`
        CREATE TABLE document_voice (
          document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
          voice TEXT,
          speed REAL,
          engine TEXT
        );
        CREATE TABLE voice_blends (
          name TEXT PRIMARY KEY COLLATE NOCASE,
          spec TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE starred_voices (voice TEXT PRIMARY KEY, starred_at INTEGER NOT NULL) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 3,
    name: 'lexicon rules: regex, replacement text, case, versions',
    up(db) {
      // A table rebuild rather than ALTERs: v1's UNIQUE (lang, word) would forbid a case-sensitive
      // "Nice" beside "nice", and SQLite cannot drop a table constraint in place. Nothing
      // references this table, so the rebuild is safe with foreign keys on.
      // v1 entries were case-insensitive whole words with phonemes, and keep exactly that meaning.
      db.exec(`
        CREATE TABLE lexicon_entries_v3 (
          id INTEGER PRIMARY KEY,
          lang TEXT NOT NULL CHECK (lang IN ('en-us', 'en-gb', 'all')),
          match TEXT NOT NULL CHECK (match IN ('word', 'regex')),
          pattern TEXT NOT NULL,
          match_key TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('phonemes', 'replacement')),
          value TEXT NOT NULL,
          case_sensitive INTEGER NOT NULL,
          version INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          note TEXT
        );
        INSERT INTO lexicon_entries_v3 (id, lang, match, pattern, match_key, kind, value, case_sensitive, version, created_at, updated_at)
          SELECT id, lang, 'word', word, lower(word), 'phonemes', phonemes, 0, 1, created_at, created_at FROM lexicon_entries;
        DROP TABLE lexicon_entries;
        ALTER TABLE lexicon_entries_v3 RENAME TO lexicon_entries;
        CREATE UNIQUE INDEX lexicon_rule ON lexicon_entries (lang, match, kind, case_sensitive, match_key);
      `);
    },
  },
  {
    version: 4,
    name: 'open sessions, for crash detection with several processes',
    up(db) {
      db.exec(SESSIONS_TABLE);
    },
  },
  {
    version: 5,
    name: 'export jobs, kept so an export stopped by a quit or a crash resumes at the next start',
    up(db) {
      db.exec(`
        CREATE TABLE export_jobs (
          id INTEGER PRIMARY KEY,
          document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
          title TEXT NOT NULL,
          options TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
          error TEXT,
          files TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX export_jobs_state ON export_jobs (state, id);
      `);
    },
  },
  {
    version: 6,
    name: 'library view: author, reading length per chapter, covers, kept texts, bookmarks',
    up(db) {
      // chapter_sentences / chapter_chars: JSON arrays, one number per chapter, so progress and
      // time left are computed from a saved position without opening the book. '[]' = not known yet.
      db.exec(`
        ALTER TABLE documents ADD COLUMN author TEXT;
        ALTER TABLE documents ADD COLUMN chapter_sentences TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE documents ADD COLUMN chapter_chars TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE document_covers (
          document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
          media_type TEXT NOT NULL,
          data BLOB NOT NULL
        );
        CREATE TABLE document_texts (
          document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
          content BLOB NOT NULL
        );
        CREATE TABLE bookmarks (
          id INTEGER PRIMARY KEY,
          document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
          chapter_index INTEGER NOT NULL,
          sentence_index INTEGER NOT NULL,
          char_offset INTEGER NOT NULL,
          label TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX bookmarks_document ON bookmarks (document_id, chapter_index, sentence_index);
      `);
    },
  },
];
