import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { AppError, errorData } from '../../../src-shared/errors/catalogue';
import type { ErrorData } from '../../../src-shared/errors/catalogue';
import { processAlive } from '../../platform/process-alive';

export type Connection = Database.Database;

/** One schema step. Migrations are append-only: a released step is never edited, only followed. */
export interface Migration {
  version: number;
  name: string;
  up(db: Connection): void;
}

export interface OpenDatabaseOptions {
  path: string;
  migrations: readonly Migration[];
  /** Names the file in messages: "library", "audio cache". */
  label: string;
  busyTimeoutMs?: number;
  /** Runs on a brand-new file before the first migration (pragmas that must precede any table). */
  onCreate?: (db: Connection) => void;
  /**
   * When the file is damaged, copy the rows that can still be read into the fresh file (the
   * library: a few KB of metadata worth keeping); off for the audio cache, which is refilled.
   */
  salvage?: boolean;
  now?: () => number;
}

/** What happened while opening: the caller shows `problem` (if any) once, e.g. as a notice. */
export interface OpenReport {
  /** The previous session did not close the file (crash, kill, power loss). */
  uncleanShutdown: boolean;
  /** `PRAGMA integrity_check` ran (it runs after an unclean shutdown) and said ok. */
  integrityChecked: boolean;
  migratedFrom: number;
  migratedTo: number;
  /** A problem the service recovered from; the app keeps working. */
  problem?: ErrorData;
  /** Where the damaged or unwritable file was moved (never deleted). */
  setAsidePath?: string;
  /** Rows read back from a damaged file into the fresh one, by table (only tables with rows). */
  salvaged?: Record<string, number>;
  /** Nothing is saved this session: the file could not be replaced or is from a newer app. */
  inMemory: boolean;
}

export type SqliteFailure = 'corrupt' | 'read-only' | 'full' | 'busy' | 'other';

/** Sorts SQLite and file-system errors into what the user can act on. */
export function classifySqliteError(thrown: unknown): SqliteFailure {
  const code = typeof thrown === 'object' && thrown !== null ? (thrown as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return 'other';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read-only';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  return 'other';
}

/** A thrown SQLite or file error as a catalogue error; AppErrors pass through. */
export function toDatabaseError(thrown: unknown, label: string): AppError {
  if (thrown instanceof AppError) return thrown;
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  const code = typeof thrown === 'object' && thrown !== null ? (thrown as { code?: unknown }).code : undefined;
  const data = { database: label, ...(typeof code === 'string' ? { sqliteCode: code } : {}) };
  switch (classifySqliteError(thrown)) {
    case 'corrupt':
      return AppError.of('DATABASE_CORRUPT', `(${label}: ${detail})`, data);
    case 'read-only':
      return AppError.of('DATABASE_READ_ONLY', `(${label}: ${detail})`, data);
    case 'full':
      return AppError.of('DATABASE_DISK_FULL', `(${label}: ${detail})`, data);
    case 'busy':
      return AppError.of('DATABASE_BUSY', `(${label}: ${detail})`, data);
    default:
      return AppError.of('INTERNAL', `(${label}: ${detail})`, data);
  }
}

class TooNewError extends Error {
  constructor(readonly version: number) {
    super(`schema version ${version} is newer than this app knows`);
  }
}

class IntegrityError extends Error {
  readonly code = 'SQLITE_CORRUPT';
  constructor(readonly findings: string[]) {
    super(`integrity_check: ${findings.slice(0, 3).join('; ')}`);
  }
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/**
 * Brings the schema from its `user_version` to `target`, one transaction per step, so a
 * failed or interrupted step leaves the previous version intact. The version is re-read inside
 * the transaction because another process may have migrated in the meantime.
 */
export function migrate(db: Connection, migrations: readonly Migration[], target = latestVersion(migrations)): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const userVersion = (): number => Number(db.pragma('user_version', { simple: true }));
  const from = userVersion();
  for (const m of migrations) {
    if (m.version > target) break;
    db.transaction(() => {
      if (userVersion() >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from, to: userVersion() };
}

/**
 * A SQLite file in WAL mode with foreign keys on, migrated by `PRAGMA user_version`.
 *
 * Recovery policy at open, so the app always starts:
 * - corrupt / not SQLite: the file (and its -wal/-shm) is renamed `<name>.corrupt-<time>` and a
 *   fresh database is created; report.problem = DATABASE_CORRUPT.
 * - read-only: the file is renamed `<name>.read-only-<time>` and its contents copied into a new
 *   writable file (nothing is lost); if it cannot be renamed either (immutable file, read-only
 *   folder or disk), a copy is kept in memory and nothing is saved this session.
 * - written by a newer app: left untouched; an empty in-memory database is used this session.
 * - disk full, busy, other I/O: thrown as catalogue errors; nothing is renamed.
 *
 * An unclean shutdown is detected with the `sessions` table: every open adds a row (token, pid,
 * started) and a clean close deletes it, so several processes can share the file. A row left
 * by a process that is no longer alive means it crashed: `PRAGMA integrity_check` then runs
 * before anything else, and those rows are deleted. (Files from before the sessions table use
 * the old `clean_shutdown` row of `meta`.)
 */
export class SqliteDatabase {
  private closed = false;
  /** Set when a statement hit corruption: close() then leaves the file marked unclean. */
  private damaged = false;

  private constructor(
    readonly connection: Connection,
    readonly path: string,
    readonly label: string,
    readonly report: OpenReport,
    private readonly session: string,
  ) {}

  static open(options: OpenDatabaseOptions): SqliteDatabase {
    const { path, label } = options;
    const stamp = (): string => new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (thrown) {
      if (classifySqliteError(thrown) !== 'read-only') throw toDatabaseError(thrown, label);
    }
    try {
      const db = connect(path, options);
      return SqliteDatabase.prepare(db, path, options, {});
    } catch (thrown) {
      if (thrown instanceof TooNewError) {
        const problem = errorData('DATABASE_TOO_NEW', `(${label}: schema ${thrown.version}, this app knows ${latestVersion(options.migrations)})`, { database: label, path });
        return SqliteDatabase.prepare(connect(':memory:', options), path, options, { problem, inMemory: true });
      }
      const kind = classifySqliteError(thrown);
      const reason = thrown instanceof Error ? thrown.message : String(thrown);
      if (kind === 'corrupt') {
        const moved = setAside(path, `corrupt-${stamp()}`);
        // The file is aside whole; what can still be read goes into the fresh one, so a little
        // damage (a bad page, a crash) does not cost the user their documents and pronunciations.
        const salvaged = moved && options.salvage ? salvageRows(moved, path, options) : undefined;
        const kept = salvaged && Object.keys(salvaged).length > 0 ? `; rows read back from it: ${describeCounts(salvaged)}` : '';
        const where = moved ? `; it is kept as ${basename(moved)}` : '';
        const problem = errorData('DATABASE_CORRUPT', `(${label}: ${reason}${where}${kept})`, {
          database: label,
          path,
          ...(moved ? { setAsidePath: moved } : {}),
          ...(salvaged ? { salvaged } : {}),
        });
        if (moved) return SqliteDatabase.prepare(connect(path, options), path, options, { problem, setAsidePath: moved, ...(salvaged ? { salvaged } : {}) });
        // It could not even be renamed: leave it where it is and keep this session in memory.
        return SqliteDatabase.prepare(connect(':memory:', options), path, options, { problem, inMemory: true });
      }
      if (kind === 'read-only') return SqliteDatabase.openReadOnlyCopy(options, reason, stamp());
      throw toDatabaseError(thrown, label);
    }
  }

  /** The file cannot be written: move it aside and carry its contents into a writable copy. */
  private static openReadOnlyCopy(options: OpenDatabaseOptions, reason: string, stamp: string): SqliteDatabase {
    const { path, label } = options;
    const moved = existsSync(path) ? setAside(path, `read-only-${stamp}`) : undefined;
    const base = { database: label, path, ...(moved ? { setAsidePath: moved } : {}) };
    if (moved) {
      try {
        const source = new Database(moved, { readonly: true, fileMustExist: true });
        try {
          source.prepare('VACUUM INTO ?').run(path);
        } finally {
          source.close();
        }
        const problem = errorData('DATABASE_READ_ONLY', `(${label}: ${reason}; the data was copied into a new file)`, base);
        return SqliteDatabase.prepare(connect(path, options), path, options, { problem, setAsidePath: moved });
      } catch (thrown) {
        if (classifySqliteError(thrown) === 'full') throw toDatabaseError(thrown, label);
        // The new file could not be made either (read-only folder or disk): fall through to memory.
      }
    }
    const problem = errorData('DATABASE_READ_ONLY', `(${label}: ${reason}; changes are kept only until the app closes)`, base);
    const image = readImage(moved ?? path);
    const db = image ? new Database(image) : connect(':memory:', options);
    return SqliteDatabase.prepare(db, path, options, { problem, inMemory: true, ...(moved ? { setAsidePath: moved } : {}) });
  }

  private static prepare(db: Connection, path: string, options: OpenDatabaseOptions, extra: Partial<OpenReport>): SqliteDatabase {
    try {
      const version = Number(db.pragma('user_version', { simple: true }));
      const latest = latestVersion(options.migrations);
      if (version > latest) throw new TooNewError(version);
      // Before WAL mode: switching to WAL writes the first page, after which some settings
      // (auto_vacuum) can no longer change.
      if (version === 0) options.onCreate?.(db);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      // NORMAL in WAL mode: a committed transaction survives a process crash (SIGKILL); only an
      // OS crash or power cut can lose the last few, and never corrupts the file.
      db.pragma('synchronous = NORMAL');
      let uncleanShutdown = false;
      let integrityChecked = false;
      let deadSessions: string[] = [];
      if (version >= 1) {
        if (hasSessionsTable(db)) {
          const rows = db.prepare('SELECT token, pid FROM sessions').all() as Array<{ token: string; pid: number }>;
          deadSessions = rows.filter((r) => !sessionAlive(r.token, r.pid)).map((r) => r.token);
          uncleanShutdown = deadSessions.length > 0;
        } else {
          const row = db.prepare(`SELECT value FROM meta WHERE key = 'clean_shutdown'`).get() as { value: string } | undefined;
          uncleanShutdown = row?.value !== '1';
        }
        if (uncleanShutdown) {
          let findings: string[];
          try {
            findings = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
          } catch (thrown) {
            // Badly damaged pages make the check itself fail rather than list its findings.
            if (classifySqliteError(thrown) !== 'corrupt') throw thrown;
            findings = [(thrown as Error).message];
          }
          if (findings.length !== 1 || findings[0] !== 'ok') throw new IntegrityError(findings);
          integrityChecked = true;
        }
      }
      const { from, to } = migrate(db, options.migrations);
      const session = randomUUID();
      db.transaction(() => {
        const forget = db.prepare('DELETE FROM sessions WHERE token = ?');
        for (const token of deadSessions) forget.run(token);
        db.prepare('INSERT INTO sessions (token, pid, started) VALUES (?, ?, ?)').run(session, process.pid, (options.now ?? Date.now)());
      }).immediate();
      heldSessions.set(session, db);
      const report: OpenReport = { uncleanShutdown, integrityChecked, migratedFrom: from, migratedTo: to, inMemory: false, ...extra };
      return new SqliteDatabase(db, path, options.label, report, session);
    } catch (thrown) {
      db.close();
      throw thrown;
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Runs reads (or single statements) with SQLite errors turned into catalogue errors. */
  run<T>(fn: (db: Connection) => T): T {
    if (this.closed) throw AppError.of('INTERNAL', `(${this.label} is closed)`);
    try {
      return fn(this.connection);
    } catch (thrown) {
      throw this.fail(thrown);
    }
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction (the write lock is taken up front, so two processes
   * never deadlock upgrading a read). On any error, including disk full, it rolls back whole:
   * what was stored before stays as it was.
   */
  write<T>(fn: (db: Connection) => T): T {
    return this.run((db) => db.transaction(() => fn(db)).immediate());
  }

  /** Records a corruption error so the next open checks the file, and maps it. */
  fail(thrown: unknown): AppError {
    if (classifySqliteError(thrown) === 'corrupt') this.damaged = true;
    return toDatabaseError(thrown, this.label);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.damaged && !this.report.inMemory) {
        this.connection.pragma('wal_checkpoint(TRUNCATE)');
        this.connection.prepare('DELETE FROM sessions WHERE token = ?').run(this.session);
      }
    } catch {
      // The row stays: once this session no longer counts as alive, the next open runs
      // integrity_check, which is the safe outcome.
    } finally {
      heldSessions.delete(this.session);
      this.connection.close();
    }
  }
}

function connect(path: string, options: OpenDatabaseOptions): Connection {
  return new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
}

/** Sessions this process has open, by token (a row with this pid and another token is stale). */
const heldSessions = new Map<string, Connection>();

function hasSessionsTable(db: Connection): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'`).get() !== undefined;
}

/**
 * Whether the session's process may still be using the file. This process's own pid counts
 * only for a session it still holds open (a crashed earlier process can have had the same pid).
 */
function sessionAlive(token: string, pid: number): boolean {
  if (pid === process.pid) return heldSessions.get(token)?.open === true;
  return processAlive(pid);
}

/** Renames the file and its WAL companions to `<path>.<suffix>`; undefined if it cannot. */
function setAside(path: string, suffix: string): string | undefined {
  let target = `${path}.${suffix}`;
  for (let n = 2; existsSync(target); n++) target = `${path}.${suffix}-${n}`;
  try {
    renameSync(path, target);
  } catch {
    return undefined;
  }
  for (const companion of ['-wal', '-shm']) {
    // The WAL holds committed pages not yet in the main file: it travels with it.
    if (existsSync(path + companion)) {
      try {
        renameSync(path + companion, target + companion);
      } catch {
        // The main file is safe aside; a stale companion left behind is ignored by a new file.
      }
    }
  }
  return target;
}

/**
 * Copies the rows that can still be read from a damaged file (already set aside) into a new
 * file at `path`, table by table, in the spirit of sqlite3's `.recover` (which better-sqlite3
 * does not offer): each table is read in rowid order until its first unreadable page. The new
 * file gets the damaged file's schema version, so the usual migrations bring it up to date.
 * Returns the rows kept per table, or undefined when nothing could be saved (a fresh file then).
 *
 * It touches no file it did not make: the copy is built beside `path` under a name of its own
 * and moved into place only while `path` is free (another process may have made a library there
 * meanwhile); on any failure only that copy is removed. (Exported for the tests.)
 */
export function salvageRows(damaged: string, path: string, options: OpenDatabaseOptions): Record<string, number> | undefined {
  // Read a copy (with its WAL, which holds the last commits): opening the file itself would
  // replay its WAL into it, and the file set aside must stay exactly as it was found.
  removeStaleSalvages(path);
  const work = mkdtempSync(join(tmpdir(), 'kokoro-salvage-'));
  const building = `${path}${SALVAGE_INFIX}${randomUUID()}`;
  try {
    const copy = join(work, 'damaged.sqlite3');
    copyFileSync(damaged, copy);
    if (existsSync(`${damaged}-wal`)) copyFileSync(`${damaged}-wal`, `${copy}-wal`);
    const source = new Database(copy, { fileMustExist: true });
    let counts: Record<string, number>;
    try {
      const version = Number(source.pragma('user_version', { simple: true }));
      if (version < 1 || version > latestVersion(options.migrations)) return undefined;
      const target = connect(building, options);
      try {
        options.onCreate?.(target);
        migrate(target, options.migrations, version);
        counts = copyReadableRows(source, target);
      } finally {
        target.close();
      }
    } finally {
      source.close();
    }
    return placeIfFree(building, path) ? counts : undefined;
  } catch {
    // Not even the schema could be read, or the copy could not be written: start from an empty file.
    return undefined;
  } finally {
    // The copy's own name goes either way (once placed, `path` is a second name for it).
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(building + suffix, { force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

const SALVAGE_INFIX = '.salvage-';
/** Older than this, a salvage copy is a leftover: a salvage takes seconds, not an hour. */
const STALE_SALVAGE_MS = 60 * 60_000;

/** Copies that a salvage killed midway left beside `path` (only ours, by name, and only old ones). */
function removeStaleSalvages(path: string): void {
  const prefix = basename(path) + SALVAGE_INFIX;
  let names: string[];
  try {
    names = readdirSync(dirname(path)).filter((name) => name.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const leftover = join(dirname(path), name);
    try {
      if (Date.now() - statSync(leftover).mtimeMs > STALE_SALVAGE_MS) rmSync(leftover, { force: true });
    } catch {
      // Gone meanwhile, or not ours to remove: either way nothing to do.
    }
  }
}

/**
 * Gives the finished file `built` the name `path` unless something is there already. A hard
 * link fails when the name is taken, where a rename would replace what is there. (A file system
 * without hard links, such as FAT, gets no salvage: the damaged file stays aside all the same.)
 */
function placeIfFree(built: string, path: string): boolean {
  try {
    linkSync(built, path);
    return true;
  } catch {
    return false;
  }
}

function copyReadableRows(source: Connection, target: Connection): Record<string, number> {
  const names = target.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'sessions'`).pluck().all() as string[];
  for (const table of names) {
    const columns = (target.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).map((c) => `"${c}"`).join(', ');
    const insert = target.prepare(`INSERT OR IGNORE INTO "${table}" (${columns}) VALUES (${columns.split(', ').map(() => '?').join(', ')})`);
    target.transaction(() => {
      try {
        for (const row of source.prepare(`SELECT ${columns} FROM "${table}"`).raw().iterate()) insert.run(row);
      } catch {
        // The rest of this table is on damaged pages: keep what was read.
      }
    })();
  }
  // A row whose parent was lost (the position of a document on a damaged page) is dropped.
  const orphans = target.pragma('foreign_key_check') as Array<{ table: string; rowid: number | null }>;
  for (const { table, rowid } of orphans) if (rowid !== null) target.prepare(`DELETE FROM "${table}" WHERE rowid = ?`).run(rowid);
  const counts: Record<string, number> = {};
  for (const table of names) {
    const rows = Number(target.prepare(`SELECT count(*) FROM "${table}"`).pluck().get());
    if (rows > 0) counts[table] = rows;
  }
  return counts;
}

/** "documents 3, lexicon entries 3": table names as words. */
function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([table, rows]) => `${table.replace(/_/g, ' ')} ${rows}`)
    .join(', ');
}

/** The database as bytes, ready to open in memory, or undefined when it cannot be read. */
function readImage(path: string): Buffer | undefined {
  try {
    const source = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const image = source.serialize();
      // Bytes 18-19 say "WAL"; an in-memory database cannot use WAL, so mark it rollback-journal.
      image[18] = 1;
      image[19] = 1;
      return image;
    } finally {
      source.close();
    }
  } catch {
    return undefined;
  }
}
