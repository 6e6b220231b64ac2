import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { AppError, errorData } from '../../../src-shared/errors/catalogue';
import type { ErrorData } from '../../../src-shared/errors/catalogue';
import type { CacheKeyInput } from '../../../src-shared/speech/cache-key';
import { AudioBlobError, DEFAULT_ENCODING, decodeAudio, encodeAudio } from './audio-codec';
import type { AudioEncoding, AudioWithTimings, CachedAudio } from './audio-codec';
import { SqliteDatabase } from './database';
import type { Migration } from './database';
import { SESSIONS_TABLE } from './migrations';

/**
 * Storage choice: the blobs live in SQLite, in a file of their own beside the library
 * (`audio-cache.sqlite3`), not as loose files and not inside library.sqlite3.
 * - In SQLite, a blob, its checksum, its LRU stamp and its lexicon/document references commit
 *   in one transaction: a SIGKILL mid-write leaves either the old state or the new, never a
 *   half file or an orphan (the crash test checks this). Loose files would need fsync+rename
 *   ordering and an orphan sweep. Reading a 300-600 KB blob from SQLite takes about a
 *   millisecond, far inside the 50 ms time-to-first-audio budget.
 * - A separate file because the cache is large (up to the cap) and disposable while the
 *   library is small and precious: the integrity check after a crash stays instant for the
 *   library, a damaged cache is set aside without touching documents or positions, and cache
 *   writes never hold the write lock that position saves need.
 */

export const CACHE_FILE = 'audio-cache.sqlite3';
export const DEFAULT_CACHE_MAX_BYTES = 2 * 1024 ** 3;
/** Row, index and reference overhead counted per entry on top of the blob. */
const ENTRY_OVERHEAD_BYTES = 256;

export const CACHE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'entries with checksums, LRU order, lexicon and document references',
    up(db) {
      // The blob is the last column: reading the small columns (LRU scans, SUM) then never
      // touches its overflow pages.
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE entries (
          id INTEGER PRIMARY KEY,
          key TEXT NOT NULL UNIQUE,
          checksum INTEGER NOT NULL,
          bytes INTEGER NOT NULL,
          samples INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          last_access INTEGER NOT NULL,
          access_seq INTEGER NOT NULL,
          blob BLOB NOT NULL
        );
        CREATE INDEX entries_lru ON entries (access_seq);
        CREATE TABLE entry_lexicon (
          entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
          lexicon_entry_id INTEGER NOT NULL,
          PRIMARY KEY (lexicon_entry_id, entry_id)
        ) WITHOUT ROWID;
        CREATE INDEX entry_lexicon_entry ON entry_lexicon (entry_id);
        CREATE TABLE entry_documents (
          entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
          document_id INTEGER NOT NULL,
          PRIMARY KEY (document_id, entry_id)
        ) WITHOUT ROWID;
        CREATE INDEX entry_documents_entry ON entry_documents (entry_id);
        -- Totals kept by triggers, so every process sharing the file sees the same numbers.
        CREATE TABLE totals (id INTEGER PRIMARY KEY CHECK (id = 1), bytes INTEGER NOT NULL, entries INTEGER NOT NULL);
        INSERT INTO totals VALUES (1, 0, 0);
        CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN
          UPDATE totals SET bytes = bytes + new.bytes, entries = entries + 1 WHERE id = 1;
        END;
        CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN
          UPDATE totals SET bytes = bytes - old.bytes, entries = entries - 1 WHERE id = 1;
        END;
        CREATE TRIGGER entries_resized AFTER UPDATE OF bytes ON entries BEGIN
          UPDATE totals SET bytes = bytes - old.bytes + new.bytes WHERE id = 1;
        END;
      `);
    },
  },
  {
    version: 2,
    name: 'open sessions, for crash detection with several processes',
    up(db) {
      db.exec(SESSIONS_TABLE);
    },
  },
];

/** sha256 (hex) of everything that determines a chunk's audio. */
export function cacheKey(input: CacheKeyInput): string {
  if (!Number.isFinite(input.speed)) throw AppError.of('INVALID_SPEED', `(${String(input.speed)})`);
  const hash = createHash('sha256');
  hash.update(JSON.stringify(['kokoro-reader-audio/1', input.engine, input.modelVersion, input.voice, input.speed]));
  const ids = Buffer.alloc(input.ids.length * 4);
  for (let i = 0; i < input.ids.length; i++) ids.writeInt32LE(Number(input.ids[i]), i * 4);
  hash.update(ids);
  return hash.digest('hex');
}

/**
 * The screen helper's audio is referenced as if by a document of this id (no library document
 * has it: theirs count from 1), so "clear the helper's audio" is `forgetDocument(HELPER_AUDIO_OWNER)`,
 * which keeps a chunk that a library document also refers to.
 */
export const HELPER_AUDIO_OWNER = -1;

export interface PutOptions {
  /** Lexicon entries that shaped this chunk's phonemes or text (see LexiconStore). */
  lexiconEntryIds?: Iterable<number>;
  /** The document the chunk was read from; removing the document drops the reference. */
  documentId?: number;
}

export interface PutResult {
  stored: boolean;
  bytes: number;
  evicted: number;
}

export interface CacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
}

export interface AudioCacheOptions {
  /** Opens `<dataDir>/audio-cache.sqlite3`. */
  dataDir: string;
  /** Sets (and remembers) the size cap; without it the remembered cap, else 2 GB. */
  maxBytes?: number;
  /** Problems the cache recovered from: a damaged entry removed, a damaged file set aside. */
  onProblem?: (problem: ErrorData) => void;
  encoding?: AudioEncoding;
  now?: () => number;
}

interface EntryRow {
  id: number;
  checksum: number;
  blob: Buffer;
}

/** Synthesised audio by cacheKey, with a size cap, LRU eviction and a checksum per entry. */
export class AudioCache {
  private readonly onProblem: (problem: ErrorData) => void;
  private readonly encoding: AudioEncoding;
  private readonly now: () => number;
  private maxBytes: number;

  private constructor(
    readonly db: SqliteDatabase,
    options: AudioCacheOptions,
  ) {
    this.onProblem = options.onProblem ?? (() => {});
    this.encoding = options.encoding ?? DEFAULT_ENCODING;
    this.now = options.now ?? Date.now;
    const remembered = db.run((c) => c.prepare(`SELECT value FROM meta WHERE key = 'max_bytes'`).pluck().get() as string | undefined);
    this.maxBytes = remembered === undefined ? DEFAULT_CACHE_MAX_BYTES : Number(remembered);
    if (options.maxBytes !== undefined) this.setMaxBytes(options.maxBytes);
  }

  static open(options: AudioCacheOptions): AudioCache {
    const db = SqliteDatabase.open({
      path: join(options.dataDir, CACHE_FILE),
      migrations: CACHE_MIGRATIONS,
      label: 'audio cache',
      ...(options.now ? { now: options.now } : {}),
      // Lets the file shrink after eviction (PRAGMA incremental_vacuum); must precede any table.
      onCreate: (c) => c.pragma('auto_vacuum = INCREMENTAL'),
    });
    if (db.report.problem) options.onProblem?.(db.report.problem);
    try {
      return new AudioCache(db, options);
    } catch (thrown) {
      // An invalid option (maxBytes): release the file rather than leave it open and unclean.
      db.close();
      throw thrown;
    }
  }

  /**
   * The audio stored under `key`, or undefined. An entry whose checksum or format does not
   * verify is deleted, reported (CACHE_ENTRY_CORRUPT) and treated as a miss: damaged audio is
   * never returned.
   */
  get(key: string): CachedAudio | undefined {
    let row: EntryRow | undefined;
    try {
      row = this.db.run((c) => c.prepare('SELECT id, checksum, blob FROM entries WHERE key = ?').get(key) as EntryRow | undefined);
    } catch (thrown) {
      if (thrown instanceof AppError && thrown.code === 'DATABASE_CORRUPT') {
        this.onProblem(thrown.toData());
        return undefined;
      }
      throw thrown;
    }
    if (!row) return undefined;
    let audio: CachedAudio | undefined;
    if (crc32(row.blob) >>> 0 === row.checksum) {
      try {
        audio = decodeAudio(row.blob);
      } catch (thrown) {
        if (!(thrown instanceof AudioBlobError) && !(thrown instanceof SyntaxError)) throw thrown;
      }
    }
    if (!audio) {
      this.dropCorrupt(row.id, key);
      return undefined;
    }
    this.touch(row.id);
    return audio;
  }

  has(key: string): boolean {
    return this.db.run((c) => c.prepare('SELECT 1 FROM entries WHERE key = ?').get(key) !== undefined);
  }

  /**
   * Stores (or replaces) the audio for `key`, then evicts least-recently-used entries down to
   * the cap. An entry larger than the whole cap is not stored. Disk full throws
   * DATABASE_DISK_FULL and leaves the cache as it was.
   */
  put(key: string, audio: AudioWithTimings, options: PutOptions = {}): PutResult {
    const blob = encodeAudio(audio, this.encoding);
    const bytes = blob.length + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxBytes) return { stored: false, bytes, evicted: 0 };
    const checksum = crc32(blob) >>> 0;
    const now = this.now();
    const lexiconIds = [...new Set(options.lexiconEntryIds ?? [])];
    return this.db.write((c) => {
      const seq = this.nextSeq();
      const id = Number(
        c
          .prepare(
            `INSERT INTO entries (key, checksum, bytes, samples, created_at, last_access, access_seq, blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET checksum = excluded.checksum, bytes = excluded.bytes, samples = excluded.samples,
               created_at = excluded.created_at, last_access = excluded.last_access, access_seq = excluded.access_seq, blob = excluded.blob
             RETURNING id`,
          )
          .pluck()
          .get(key, checksum, bytes, audio.samples.length, now, now, seq, blob),
      );
      // The lexicon entries are those of this rendering; a re-put replaces them.
      c.prepare('DELETE FROM entry_lexicon WHERE entry_id = ?').run(id);
      const addLexicon = c.prepare('INSERT INTO entry_lexicon (entry_id, lexicon_entry_id) VALUES (?, ?)');
      for (const lexiconId of lexiconIds) addLexicon.run(id, lexiconId);
      if (options.documentId !== undefined) {
        c.prepare('INSERT OR IGNORE INTO entry_documents (entry_id, document_id) VALUES (?, ?)').run(id, options.documentId);
      }
      const evicted = this.evictTo(this.maxBytes, id);
      return { stored: true, bytes, evicted };
    });
  }

  delete(key: string): boolean {
    return this.db.write((c) => c.prepare('DELETE FROM entries WHERE key = ?').run(key).changes > 0);
  }

  /** Deletes the audio that used this lexicon entry (call after the entry is edited or removed). */
  invalidateByLexiconEntry(lexiconEntryId: number): number {
    return this.db.write(
      (c) => c.prepare('DELETE FROM entries WHERE id IN (SELECT entry_id FROM entry_lexicon WHERE lexicon_entry_id = ?)').run(lexiconEntryId).changes,
    );
  }

  /**
   * Drops a removed document's references; its audio that no other document refers to is
   * deleted. Returns the number of entries deleted.
   */
  forgetDocument(documentId: number): number {
    return this.db.write((c) => {
      const ids = c.prepare('SELECT entry_id FROM entry_documents WHERE document_id = ?').pluck().all(documentId) as number[];
      c.prepare('DELETE FROM entry_documents WHERE document_id = ?').run(documentId);
      const orphan = c.prepare('DELETE FROM entries WHERE id = ? AND NOT EXISTS (SELECT 1 FROM entry_documents WHERE entry_id = ?)');
      let deleted = 0;
      for (const id of ids) deleted += orphan.run(id, id).changes;
      return deleted;
    });
  }

  /** Keys of the entries that refer to the document (most recently used first). */
  keysForDocument(documentId: number): string[] {
    return this.db.run(
      (c) =>
        c
          .prepare('SELECT e.key FROM entries e JOIN entry_documents d ON d.entry_id = e.id WHERE d.document_id = ? ORDER BY e.access_seq DESC')
          .pluck()
          .all(documentId) as string[],
    );
  }

  stats(): CacheStats {
    const row = this.db.run((c) => c.prepare('SELECT bytes, entries FROM totals WHERE id = 1').get() as { bytes: number; entries: number });
    return { entries: row.entries, bytes: row.bytes, maxBytes: this.maxBytes };
  }

  /** Changes the cap (remembered in the cache file) and evicts down to it now. */
  setMaxBytes(maxBytes: number): number {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw AppError.of('INVALID_REQUEST', '(the cache size must be a whole number of bytes)');
    this.maxBytes = maxBytes;
    const evicted = this.db.write((c) => {
      c.prepare(`INSERT INTO meta (key, value) VALUES ('max_bytes', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(maxBytes));
      return this.evictTo(maxBytes);
    });
    if (evicted > 0) this.compact();
    return evicted;
  }

  clear(): number {
    const n = this.db.write((c) => c.prepare('DELETE FROM entries').run().changes);
    this.compact();
    return n;
  }

  /** Gives freed pages back to the file system (best effort). */
  compact(): void {
    try {
      this.db.run((c) => c.pragma('incremental_vacuum'));
    } catch {
      // Only a size optimisation: a busy or full disk can leave the free pages for reuse.
    }
  }

  close(): void {
    this.db.close();
  }

  /** Least recently used first, never `keepId`, until the total fits; inside a transaction. */
  private evictTo(maxBytes: number, keepId?: number): number {
    const c = this.db.connection;
    const total = Number(c.prepare('SELECT bytes FROM totals WHERE id = 1').pluck().get());
    if (total <= maxBytes) return 0;
    let excess = total - maxBytes;
    const victims: number[] = [];
    for (const row of c.prepare('SELECT id, bytes FROM entries ORDER BY access_seq').iterate() as IterableIterator<{ id: number; bytes: number }>) {
      if (excess <= 0) break;
      if (row.id === keepId) continue;
      victims.push(row.id);
      excess -= row.bytes;
    }
    const remove = c.prepare('DELETE FROM entries WHERE id = ?');
    for (const id of victims) remove.run(id);
    return victims.length;
  }

  /** LRU order across processes: one more than the highest stamp in the file. */
  private nextSeq(): number {
    return Number(this.db.connection.prepare('SELECT coalesce(max(access_seq), 0) + 1 FROM entries').pluck().get());
  }

  private touch(id: number): void {
    try {
      this.db.write((c) => c.prepare('UPDATE entries SET access_seq = ?, last_access = ? WHERE id = ?').run(this.nextSeq(), this.now(), id));
    } catch (thrown) {
      // A hit must not fail because its LRU stamp could not be written (read-only, busy, full).
      if (!(thrown instanceof AppError)) throw thrown;
    }
  }

  private dropCorrupt(id: number, key: string): void {
    this.onProblem(errorData('CACHE_ENTRY_CORRUPT', `(key ${key.slice(0, 12)}…)`, { key }));
    try {
      this.db.write((c) => c.prepare('DELETE FROM entries WHERE id = ?').run(id));
    } catch (thrown) {
      if (!(thrown instanceof AppError)) throw thrown;
      // Could not delete it now; it fails its checksum again next time and is never returned.
    }
  }
}
