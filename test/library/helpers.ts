import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { LIBRARY_FILE, Library } from '../../src-main/services/library';
import { deadPid } from '../helpers/processes';

/** A fresh folder per call, removed after the test (chattr'd files are released first by the test). */
export function useTempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'kr-library-'));
    made.push(dir);
    return dir;
  };
}

/** A clock the test moves by hand, so "recent" and "updated" orderings are exact. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms?: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms = 1000) => void (t += ms) };
}

/** The AppError `fn` throws (anything else thrown fails the test, as does not throwing). */
export function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (thrown) {
    if (thrown instanceof AppError) return thrown;
    throw thrown;
  }
  throw new Error('expected an AppError');
}

export { testAudio } from './fixtures';

/**
 * A real library in `dir` with 3 documents and 3 lexicon entries, left as after a crash (a
 * session row of a dead process) and with one page of other data (the settings table)
 * overwritten with garbage: the damage the user met, made small by the test itself.
 */
export function makeDamagedLibrary(dir: string): { documents: string[]; words: string[]; damaged: Buffer } {
  const library = Library.open({ dataDir: dir });
  const documents = ['Dracula', 'Emma', 'Walden'];
  documents.forEach((title, i) => library.documents.open({ title, sourcePath: `/books/${title}.epub`, contentHash: `h${i}`, format: 'epub', wordCount: 1000 }));
  const words = ['Nguyen', 'Kokoro', 'Siobhan'];
  for (const word of words) library.lexicon.add({ lang: 'en-us', match: 'word', pattern: word, kind: 'phonemes', value: 'wˈɪn' });
  library.close();
  const file = join(dir, LIBRARY_FILE);
  const raw = new Database(file);
  // Other data, on pages of its own: about 40 KB of settings.
  const setting = raw.prepare('INSERT INTO settings VALUES (?, ?)');
  for (let i = 0; i < 200; i++) setting.run(`filler.${i}`, 'x'.repeat(200));
  raw.prepare(`INSERT INTO sessions VALUES ('crashed', ?, 1)`).run(deadPid());
  const pages = raw.prepare(`SELECT pageno FROM dbstat WHERE name = 'settings' AND pagetype = 'leaf' ORDER BY pageno`).pluck().all() as number[];
  raw.close();
  const bytes = readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  const page = pages[Math.floor(pages.length / 2)];
  if (page === undefined) throw new Error('no settings page to damage');
  // 4 KB of garbage over one page of settings (pages are numbered from 1).
  bytes.fill(0xa5, (page - 1) * pageSize, (page - 1) * pageSize + Math.min(pageSize, 4096));
  writeFileSync(file, bytes);
  return { documents, words, damaged: bytes };
}
