import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AudioCache, CACHE_FILE, CACHE_MIGRATIONS, LIBRARY_FILE, LIBRARY_MIGRATIONS, Library, SqliteDatabase, latestVersion, migrate, salvageRows } from '../../src-main/services/library';
import type { Connection } from '../../src-main/services/library';
import { deadPid, livePid } from '../helpers/processes';
import { caught, makeDamagedLibrary, manualClock, useTempDirs } from './helpers';

const tempDir = useTempDirs();
const LATEST = latestVersion(LIBRARY_MIGRATIONS);

/** Data as each earlier version stored it; a new migration needs a seed for the version before it. */
const SEEDS: Record<number, (db: Connection) => void> = {
  1: (db) => {
    db.prepare(`INSERT INTO documents (id, title, source_path, content_hash, format, added_at, last_opened_at, word_count, duration_estimate_ms) VALUES (7, 'Dracula', '/books/dracula.epub', 'h-dracula', 'epub', 100, 200, 160000, 64000000)`).run();
    db.prepare('INSERT INTO positions VALUES (7, 3, 41, 1200, 250)').run();
    db.prepare(`INSERT INTO settings VALUES ('voice.defaults', '{"voice":"kokoro:af_heart","speed":1.2,"engine":"kokoro"}')`).run();
    db.prepare(`INSERT INTO lexicon_entries (id, lang, word, phonemes, created_at) VALUES (5, 'en-us', 'Kokoro', 'kəkˈɔɹO', 300)`).run();
  },
  2: (db) => {
    SEEDS[1]?.(db);
    db.prepare(`INSERT INTO document_voice VALUES (7, 'kokoro:bf_emma', NULL, NULL)`).run();
    db.prepare(`INSERT INTO voice_blends VALUES ('Warm narrator', 'af_heart*0.6+bf_emma*0.4', 400, 400)`).run();
    db.prepare(`INSERT INTO starred_voices VALUES ('kokoro:af_heart', 500)`).run();
  },
  3: (db) => {
    db.prepare(`INSERT INTO documents (id, title, source_path, content_hash, format, added_at, last_opened_at, word_count, duration_estimate_ms) VALUES (7, 'Dracula', '/books/dracula.epub', 'h-dracula', 'epub', 100, 200, 160000, 64000000)`).run();
    db.prepare('INSERT INTO positions VALUES (7, 3, 41, 1200, 250)').run();
    db.prepare(`INSERT INTO settings VALUES ('voice.defaults', '{"voice":"kokoro:af_heart","speed":1.2,"engine":"kokoro"}')`).run();
    db.prepare(
      `INSERT INTO lexicon_entries (id, lang, match, pattern, match_key, kind, value, case_sensitive, version, created_at, updated_at) VALUES (5, 'en-us', 'word', 'Kokoro', 'kokoro', 'phonemes', 'kəkˈɔɹO', 0, 1, 300, 300)`,
    ).run();
    db.prepare(`INSERT INTO document_voice VALUES (7, 'kokoro:bf_emma', NULL, NULL)`).run();
    db.prepare(`INSERT INTO voice_blends VALUES ('Warm narrator', 'af_heart*0.6+bf_emma*0.4', 400, 400)`).run();
    db.prepare(`INSERT INTO starred_voices VALUES ('kokoro:af_heart', 500)`).run();
  },
  // v4 added only the sessions table: the same data as v3.
  4: (db) => SEEDS[3]?.(db),
  5: (db) => {
    SEEDS[4]?.(db);
    db.prepare(`INSERT INTO export_jobs (id, document_id, title, options, state, created_at, updated_at) VALUES (2, 7, 'Dracula', '{"format":"mp3"}', 'done', 600, 700)`).run();
  },
};


function sessionRows(file: string): Array<{ token: string; pid: number }> {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.prepare('SELECT token, pid FROM sessions').all() as Array<{ token: string; pid: number }>;
  } finally {
    raw.close();
  }
}

/** A library file at `version`, closed cleanly the way that version's app would have. */
function makeOldLibrary(dir: string, version: number): void {
  const db = new Database(join(dir, LIBRARY_FILE));
  db.pragma('journal_mode = WAL');
  migrate(db, LIBRARY_MIGRATIONS, version);
  SEEDS[version]?.(db);
  db.prepare(`INSERT INTO meta VALUES ('clean_shutdown', '1')`).run();
  db.close();
}

function tables(db: Connection): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[]);
}

describe('library database: schema and migrations', () => {
  it('creates the current schema in an empty folder, in WAL mode with foreign keys on', () => {
    const lib = Library.open({ dataDir: tempDir() });
    expect(lib.report).toMatchObject({ migratedFrom: 0, migratedTo: LATEST, uncleanShutdown: false, inMemory: false });
    const c = lib.db.connection;
    expect(c.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(c.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tables(c)).toEqual(expect.arrayContaining(['documents', 'positions', 'settings', 'lexicon_entries', 'document_voice', 'voice_blends', 'starred_voices', 'meta']));
    lib.close();
  });

  it('treats a zero-byte file as an empty database', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LIBRARY_FILE), '');
    const lib = Library.open({ dataDir: dir });
    expect(lib.report.problem).toBeUndefined();
    expect(lib.report.migratedTo).toBe(LATEST);
    lib.close();
  });

  it('has a seed for every earlier schema version', () => {
    for (let v = 1; v < LATEST; v++) expect(SEEDS[v], `seed for v${v}`).toBeTypeOf('function');
  });

  for (let version = 1; version < LATEST; version++) {
    it(`migrates a v${version} library to v${LATEST} and keeps its data`, () => {
      const dir = tempDir();
      makeOldLibrary(dir, version);
      const lib = Library.open({ dataDir: dir });
      expect(lib.report).toMatchObject({ migratedFrom: version, migratedTo: LATEST, uncleanShutdown: false });
      expect(lib.report.problem).toBeUndefined();

      expect(lib.documents.get(7)).toMatchObject({ title: 'Dracula', sourcePath: '/books/dracula.epub', contentHash: 'h-dracula', wordCount: 160000, addedAt: 100 });
      expect(lib.documents.getPosition(7)).toEqual({ chapterIndex: 3, sentenceIndex: 41, charOffset: 1200, updatedAt: 250 });
      expect(lib.preferences.getDefaults()).toEqual({ voice: 'kokoro:af_heart', speed: 1.2, engine: 'kokoro' });
      // A v1 word entry keeps its meaning: a case-insensitive whole word with phonemes.
      expect(lib.lexicon.get(5)).toMatchObject({ pattern: 'Kokoro', value: 'kəkˈɔɹO', match: 'word', kind: 'phonemes', caseSensitive: false, version: 1, createdAt: 300, updatedAt: 300 });
      expect(lib.lexicon.userLexicon().lookup('KOKORO', 'en-us')?.phonemes).toBe('kəkˈɔɹO');
      if (version >= 2) {
        expect(lib.preferences.getOverride(7)).toEqual({ voice: 'kokoro:bf_emma' });
        expect(lib.preferences.getBlend('warm narrator')?.spec).toBe('af_heart*0.6+bf_emma*0.4');
        expect(lib.preferences.starredVoices()).toEqual(['kokoro:af_heart']);
      }
      if (version >= 5) expect(lib.exportJobs.get(2)).toMatchObject({ title: 'Dracula', state: 'done' });
      // v6: a document from before has no author nor counts yet, and takes bookmarks.
      expect(lib.documents.get(7)).toMatchObject({ author: null, chapterSentences: [], chapterChars: [] });
      expect(lib.bookmarks.add(7, { chapterIndex: 3, sentenceIndex: 41, charOffset: 1200 }, 'Listen to them')).toMatchObject({ documentId: 7, label: 'Listen to them' });
      // The migrated file accepts what the new schema allows: "Nice" beside "nice".
      lib.lexicon.add({ lang: 'en-us', match: 'word', pattern: 'Nice', kind: 'phonemes', value: 'nˈis', caseSensitive: true });
      lib.lexicon.add({ lang: 'en-us', match: 'word', pattern: 'nice', kind: 'phonemes', value: 'nˈIs' });
      lib.close();
      const again = Library.open({ dataDir: dir });
      expect(again.report.migratedFrom).toBe(LATEST);
      expect(again.lexicon.list()).toHaveLength(3);
      again.close();
    });
  }

  it('runs each migration in a transaction: a failing step leaves the previous version intact', () => {
    const db = new Database(':memory:');
    const failing = [...LIBRARY_MIGRATIONS.slice(0, 1), { version: 2, name: 'broken', up: (c: Connection) => c.exec('CREATE TABLE half (x); SELECT * FROM no_such_table;') }];
    expect(() => migrate(db, failing)).toThrow(/no_such_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(db)).not.toContain('half');
    db.close();
  });
});

describe('library database: shutdown and damage', () => {
  it('runs integrity_check after an unclean shutdown, and not after a clean one', () => {
    const dir = tempDir();
    const first = Library.open({ dataDir: dir });
    first.documents.open({ title: 'A', sourcePath: null, contentHash: 'a', format: 'txt', wordCount: 1 });
    first.close();
    const clean = Library.open({ dataDir: dir });
    expect(clean.report).toMatchObject({ uncleanShutdown: false, integrityChecked: false });
    // A crash: the process dies without close(), so the flag stays at 0.
    clean.cache.close();
    clean.db.connection.close();
    const afterCrash = Library.open({ dataDir: dir });
    expect(afterCrash.report).toMatchObject({ uncleanShutdown: true, integrityChecked: true });
    expect(afterCrash.documents.count()).toBe(1);
    afterCrash.close();
  });

  it('lets two sessions share a file: neither sees the other as a crash, each close removes only its own row', () => {
    const dir = tempDir();
    const app = Library.open({ dataDir: dir });
    const engine = AudioCache.open({ dataDir: dir });
    expect(engine.db.report).toMatchObject({ uncleanShutdown: false, integrityChecked: false });
    const second = Library.open({ dataDir: dir });
    expect(second.report).toMatchObject({ uncleanShutdown: false, integrityChecked: false });
    expect(sessionRows(join(dir, CACHE_FILE))).toHaveLength(3);
    app.close();
    // The engine still has the cache open: its row stays, so a crash of it would be noticed.
    expect(sessionRows(join(dir, CACHE_FILE))).toHaveLength(2);
    second.close();
    expect(sessionRows(join(dir, CACHE_FILE))).toEqual([expect.objectContaining({ pid: process.pid })]);
    engine.close();
    expect(sessionRows(join(dir, CACHE_FILE))).toEqual([]);
    expect(sessionRows(join(dir, LIBRARY_FILE))).toEqual([]);
  });

  it('checks the file only when a session of a dead process remains, then forgets that session', () => {
    const dir = tempDir();
    Library.open({ dataDir: dir }).close();
    const raw = new Database(join(dir, LIBRARY_FILE));
    raw.prepare(`INSERT INTO sessions VALUES ('alive', ?, 1)`).run(livePid());
    raw.close();
    const withLive = Library.open({ dataDir: dir });
    expect(withLive.report).toMatchObject({ uncleanShutdown: false, integrityChecked: false });
    withLive.close();

    const again = new Database(join(dir, LIBRARY_FILE));
    again.prepare(`INSERT INTO sessions VALUES ('dead', ?, 1)`).run(deadPid());
    // This process's pid on a session it does not hold: an earlier process with a reused pid.
    again.prepare(`INSERT INTO sessions VALUES ('reused', ?, 1)`).run(process.pid);
    again.close();
    const afterCrash = Library.open({ dataDir: dir });
    expect(afterCrash.report).toMatchObject({ uncleanShutdown: true, integrityChecked: true });
    afterCrash.close();
    expect(sessionRows(join(dir, LIBRARY_FILE)).map((r) => r.token)).toEqual(['alive']);
  });

  it('migrates a v1 audio cache to the sessions schema', () => {
    const dir = tempDir();
    const db = new Database(join(dir, CACHE_FILE));
    db.pragma('journal_mode = WAL');
    migrate(db, CACHE_MIGRATIONS, 1);
    db.prepare(`INSERT INTO meta VALUES ('clean_shutdown', '1')`).run();
    db.close();
    const cache = AudioCache.open({ dataDir: dir });
    expect(cache.db.report).toMatchObject({ migratedFrom: 1, migratedTo: latestVersion(CACHE_MIGRATIONS), uncleanShutdown: false, integrityChecked: false });
    cache.close();
    expect(sessionRows(join(dir, CACHE_FILE))).toEqual([]);
  });

  it('closes the cache file when opening fails on an invalid option', () => {
    const dir = tempDir();
    expect(caught(() => Library.open({ dataDir: dir, cacheMaxBytes: 1.5 })).code).toBe('INVALID_REQUEST');
    expect(sessionRows(join(dir, CACHE_FILE))).toEqual([]);
    expect(sessionRows(join(dir, LIBRARY_FILE))).toEqual([]);
  });

  it('sets a file that is not SQLite aside with a timestamp and starts a fresh library', () => {
    const dir = tempDir();
    const junk = Buffer.from('This is a text file, not a database.\n'.repeat(200));
    writeFileSync(join(dir, LIBRARY_FILE), junk);
    const clock = manualClock(Date.UTC(2025, 10, 26, 5, 45, 0, 123));
    const problems: string[] = [];
    const lib = Library.open({ dataDir: dir, now: clock.now, onProblem: (p) => problems.push(p.code) });
    expect(lib.report.problem?.code).toBe('DATABASE_CORRUPT');
    expect(lib.report.problem?.message).toMatch(/damaged.*file is not a database/);
    expect(problems).toEqual(['DATABASE_CORRUPT']);
    expect(lib.report.setAsidePath).toBe(join(dir, `${LIBRARY_FILE}.corrupt-2025-11-26T05-45-00-123Z`));
    expect(readFileSync(lib.report.setAsidePath ?? '')).toEqual(junk);
    // The fresh library works and is kept.
    lib.documents.open({ title: 'New', sourcePath: null, contentHash: 'n', format: 'txt', wordCount: 1 });
    lib.close();
    const again = Library.open({ dataDir: dir });
    expect(again.report.problem).toBeUndefined();
    expect(again.documents.count()).toBe(1);
    again.close();
  });

  it('sets a file that fails integrity_check aside after a crash', () => {
    const dir = tempDir();
    const lib = Library.open({ dataDir: dir });
    for (let i = 0; i < 300; i++) lib.documents.open({ title: `Document ${i} `.repeat(20), sourcePath: `/d/${i}`, contentHash: `h${i}`, format: 'txt', wordCount: i });
    lib.close();
    // Mark it as crashed, then scribble over a page in the middle of the documents table.
    const raw = new Database(join(dir, LIBRARY_FILE));
    raw.prepare(`INSERT INTO sessions VALUES ('crashed', ?, 1)`).run(deadPid());
    // By the table's own pages, not the file's middle: the schema's size moves the table about.
    const leaves = raw.prepare(`SELECT pageno FROM dbstat WHERE name = 'documents' AND pagetype = 'leaf' ORDER BY pageno`).pluck().all() as number[];
    raw.close();
    const bytes = readFileSync(join(dir, LIBRARY_FILE));
    const pageSize = bytes.readUInt16BE(16);
    const middle = Math.floor(leaves.length / 2);
    // Page headers (type, cell count, pointers): content bytes carry no checksum, structure does. Pages are numbered from 1.
    for (const page of leaves.slice(middle, middle + 3)) bytes.fill(0xa5, (page - 1) * pageSize, (page - 1) * pageSize + 12);
    writeFileSync(join(dir, LIBRARY_FILE), bytes);

    const reopened = Library.open({ dataDir: dir });
    expect(reopened.report.problem?.code).toBe('DATABASE_CORRUPT');
    expect(reopened.report.problem?.message).toMatch(/integrity_check/);
    expect(reopened.report.setAsidePath).toMatch(/library\.sqlite3\.corrupt-/);
    expect(readFileSync(reopened.report.setAsidePath ?? '')).toEqual(bytes);
    // The documents before the damaged pages are read back; those on and after them are lost.
    const kept = reopened.documents.count();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(300);
    expect(reopened.report.salvaged?.documents).toBe(kept);
    reopened.close();
  });

  it('salvages the readable rows of a damaged library before setting it aside: 3 documents and 3 lexicon entries survive 4 KB of damage elsewhere', () => {
    const dir = tempDir();
    const { documents, words, damaged } = makeDamagedLibrary(dir);
    // What an earlier salvage, killed midway, left: removed once old, kept while it may be running.
    const leftover = join(dir, `${LIBRARY_FILE}.salvage-killed`);
    const running = join(dir, `${LIBRARY_FILE}.salvage-running`);
    writeFileSync(leftover, 'half a library');
    writeFileSync(running, 'half a library');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
    utimesSync(leftover, twoHoursAgo, twoHoursAgo);
    const problems: string[] = [];
    const reopened = Library.open({ dataDir: dir, onProblem: (p) => problems.push(p.message) });
    expect(existsSync(leftover)).toBe(false);
    expect(existsSync(running)).toBe(true);
    rmSync(running);
    expect(reopened.report.problem?.code).toBe('DATABASE_CORRUPT');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/rows read back from it: .*documents 3.*lexicon entries 3/);
    expect(reopened.documents.recent(10).map((d) => d.title).sort()).toEqual([...documents].sort());
    expect(reopened.lexicon.list().map((e) => e.pattern).sort()).toEqual([...words].sort());
    // The damaged file is kept aside untouched; the new one passes the check and is writable.
    expect(readFileSync(reopened.report.setAsidePath ?? '')).toEqual(damaged);
    expect(readdirSync(dir).filter((name) => name.includes('salvage'))).toEqual([]);
    expect(reopened.db.connection.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.lexicon.add({ lang: 'en-us', match: 'word', pattern: 'Aoife', kind: 'phonemes', value: 'ˈifə' });
    reopened.close();
    const again = Library.open({ dataDir: dir });
    expect(again.report.problem).toBeUndefined();
    expect(again.lexicon.list()).toHaveLength(4);
    again.close();
  });

  it('salvages into a file of its own: a file another process put at the library’s place meanwhile is neither replaced nor deleted', () => {
    const dir = tempDir();
    const { damaged } = makeDamagedLibrary(dir);
    const path = join(dir, LIBRARY_FILE);
    const aside = join(dir, `${LIBRARY_FILE}.corrupt-test`);
    renameSync(path, aside);
    const other = tempDir();
    Library.open({ dataDir: other }).close();
    const freshLibrary = readFileSync(join(other, LIBRARY_FILE));
    for (const theirs of [freshLibrary, Buffer.from('Not a database, and not ours.\n')]) {
      writeFileSync(path, theirs);
      expect(salvageRows(aside, path, { path, migrations: LIBRARY_MIGRATIONS, label: 'library', salvage: true })).toBeUndefined();
      expect(readFileSync(path)).toEqual(theirs);
      expect(readFileSync(aside)).toEqual(damaged);
      expect(readdirSync(dir).filter((name) => name.startsWith(LIBRARY_FILE)).sort()).toEqual([LIBRARY_FILE, basename(aside)]);
    }
  });

  it('a salvage that fails leaves no file of its own, and the damaged file aside as it was', () => {
    const dir = tempDir();
    const { damaged } = makeDamagedLibrary(dir);
    let creates = 0;
    const onCreate = (): void => {
      // The first new file is the salvage's: it fails once it exists.
      if (creates++ === 0) throw new Error('disk trouble while salvaging');
    };
    const db = SqliteDatabase.open({ path: join(dir, LIBRARY_FILE), migrations: LIBRARY_MIGRATIONS, label: 'library', salvage: true, onCreate });
    expect(creates).toBe(2);
    expect(db.report.problem?.code).toBe('DATABASE_CORRUPT');
    expect(db.report.salvaged).toBeUndefined();
    const aside = db.report.setAsidePath ?? '';
    db.close();
    expect(readFileSync(aside)).toEqual(damaged);
    expect(readdirSync(dir).filter((name) => name.startsWith(LIBRARY_FILE)).sort()).toEqual([LIBRARY_FILE, basename(aside)]);
  });

  it('leaves a library from a newer app untouched and works in memory', () => {
    const dir = tempDir();
    const lib = Library.open({ dataDir: dir });
    lib.close();
    const raw = new Database(join(dir, LIBRARY_FILE));
    raw.pragma(`user_version = ${LATEST + 5}`);
    raw.close();
    const newer = Library.open({ dataDir: dir });
    expect(newer.report.problem?.code).toBe('DATABASE_TOO_NEW');
    expect(newer.report.inMemory).toBe(true);
    newer.documents.open({ title: 'Temp', sourcePath: null, contentHash: 't', format: 'txt', wordCount: 1 });
    newer.close();
    const check = new Database(join(dir, LIBRARY_FILE), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST + 5);
    expect(check.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(0);
    check.close();
  });
});

describe('library database: read-only files', () => {
  function libraryWithData(dir: string): void {
    const lib = Library.open({ dataDir: dir });
    const { document } = lib.documents.open({ title: 'Kept', sourcePath: '/k.txt', contentHash: 'k', format: 'txt', wordCount: 10 });
    lib.documents.savePosition(document.id, { chapterIndex: 0, sentenceIndex: 4, charOffset: 20 });
    lib.close();
  }

  it('copies a database SQLite opens read-only into a new writable file and sets the original aside', () => {
    const dir = tempDir();
    libraryWithData(dir);
    // Byte 18 is the "write version": above 2, SQLite must treat the file as read-only. Unlike
    // chmod, this holds when the tests run as root.
    const path = join(dir, LIBRARY_FILE);
    const bytes = readFileSync(path);
    bytes[18] = 3;
    writeFileSync(path, bytes);

    const lib = Library.open({ dataDir: dir });
    expect(lib.report.problem?.code).toBe('DATABASE_READ_ONLY');
    expect(lib.report.problem?.message).toMatch(/cannot be written.*copied into a new file/);
    expect(lib.report.inMemory).toBe(false);
    expect(readFileSync(lib.report.setAsidePath ?? '')).toEqual(bytes);
    expect(lib.documents.recent().map((d) => d.title)).toEqual(['Kept']);
    expect(lib.documents.getPosition(1)).toMatchObject({ sentenceIndex: 4, charOffset: 20 });
    lib.documents.savePosition(1, { chapterIndex: 0, sentenceIndex: 5, charOffset: 0 });
    lib.close();
    const again = Library.open({ dataDir: dir });
    expect(again.report.problem).toBeUndefined();
    expect(again.documents.getPosition(1)).toMatchObject({ sentenceIndex: 5 });
    again.close();
  });

  const canChattr = ((): boolean => {
    try {
      execFileSync('chattr', ['--help'], { stdio: 'ignore' });
    } catch (thrown) {
      return (thrown as { code?: string }).code !== 'ENOENT';
    }
    return true;
  })();

  it.skipIf(!canChattr)('keeps an immutable file (chattr +i stops even root) in place and works on a copy in memory', () => {
    const dir = tempDir();
    libraryWithData(dir);
    const path = join(dir, LIBRARY_FILE);
    const before = readFileSync(path);
    try {
      execFileSync('chattr', ['+i', path], { stdio: 'pipe' });
    } catch {
      return; // the file system does not support it (tmpfs, overlay): covered by the test above
    }
    try {
      const lib = Library.open({ dataDir: dir });
      expect(lib.report.problem?.code).toBe('DATABASE_READ_ONLY');
      expect(lib.report.problem?.message).toMatch(/kept only until the app closes/);
      expect(lib.report.inMemory).toBe(true);
      expect(lib.documents.recent().map((d) => d.title)).toEqual(['Kept']);
      lib.documents.open({ title: 'Only in memory', sourcePath: null, contentHash: 'm', format: 'txt', wordCount: 1 });
      expect(lib.documents.count()).toBe(2);
      lib.close();
      expect(readFileSync(path)).toEqual(before);
    } finally {
      execFileSync('chattr', ['-i', path]);
    }
  });

  it('reports what chmod does: it stops other users, but not root', () => {
    const dir = tempDir();
    libraryWithData(dir);
    chmodSync(join(dir, LIBRARY_FILE), 0o444);
    chmodSync(dir, 0o555);
    try {
      const lib = Library.open({ dataDir: dir });
      if (process.getuid?.() === 0) {
        // Root bypasses permission bits, so SQLite writes anyway; nothing to report.
        expect(lib.report.problem).toBeUndefined();
        lib.documents.savePosition(1, { chapterIndex: 1, sentenceIndex: 0, charOffset: 0 });
      } else {
        expect(lib.report.problem?.code).toBe('DATABASE_READ_ONLY');
        expect(lib.documents.recent().map((d) => d.title)).toEqual(['Kept']);
      }
      lib.close();
    } finally {
      chmodSync(dir, 0o755);
      chmodSync(join(dir, LIBRARY_FILE), 0o644);
    }
  });
});

describe('library database: disk full', () => {
  it('reports DATABASE_DISK_FULL and keeps everything stored before', () => {
    const dir = tempDir();
    const lib = Library.open({ dataDir: dir });
    const { document } = lib.documents.open({ title: 'Stored', sourcePath: '/s.txt', contentHash: 's', format: 'txt', wordCount: 5 });
    lib.documents.savePosition(document.id, { chapterIndex: 2, sentenceIndex: 9, charOffset: 44 });
    lib.lexicon.add({ lang: 'en-us', match: 'word', pattern: 'Kokoro', kind: 'phonemes', value: 'kəkˈɔɹO' });
    // SQLite reports SQLITE_FULL when the file may not grow, exactly as on a full disk.
    const c = lib.db.connection;
    c.pragma(`max_page_count = ${Number(c.pragma('page_count', { simple: true }))}`);

    const error = caught(() => {
      for (let i = 0; i < 100; i++) lib.documents.open({ title: 'x'.repeat(20_000), sourcePath: null, contentHash: `big${i}`, format: 'txt', wordCount: 1 });
    });
    expect(error.code).toBe('DATABASE_DISK_FULL');
    expect(error.message).toMatch(/disk is full/);
    expect(caught(() => lib.lexicon.importJson(JSON.stringify({ format: 'kokoro-reader-lexicon', version: 1, entries: Array.from({ length: 2000 }, (_, i) => ({ lang: 'en-us', match: 'word', pattern: `word${i}`, kind: 'replacement', value: 'y'.repeat(400) })) }))).code).toBe('DATABASE_DISK_FULL');

    // Nothing already stored is lost, and the half-done import left nothing behind.
    expect(lib.documents.get(document.id)?.title).toBe('Stored');
    expect(lib.documents.getPosition(document.id)).toMatchObject({ chapterIndex: 2, sentenceIndex: 9, charOffset: 44 });
    expect(lib.lexicon.list()).toHaveLength(1);
    expect(lib.db.connection.prepare('SELECT count(*) FROM lexicon_entries').pluck().get()).toBe(1);
    // Space again: writes work and the file is sound.
    c.pragma('max_page_count = 1073741823');
    lib.documents.savePosition(document.id, { chapterIndex: 3, sentenceIndex: 0, charOffset: 0 });
    expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
    lib.close();
  });
});

describe('SqliteDatabase', () => {
  it('never deletes: a second damaged file gets its own name', () => {
    const dir = tempDir();
    const clock = manualClock();
    const open = (): SqliteDatabase => SqliteDatabase.open({ path: join(dir, 'x.sqlite3'), migrations: LIBRARY_MIGRATIONS, label: 'library', now: clock.now });
    writeFileSync(join(dir, 'x.sqlite3'), 'not sqlite '.repeat(100));
    open().close();
    writeFileSync(join(dir, 'x.sqlite3'), 'not sqlite either '.repeat(100));
    const second = open();
    second.close();
    const aside = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    expect(aside).toHaveLength(2);
    expect(existsSync(join(dir, 'x.sqlite3'))).toBe(true);
  });
});
