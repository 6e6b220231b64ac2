import { join } from 'node:path';
import { toErrorData } from '../../../src-shared/errors/catalogue';
import type { ErrorData } from '../../../src-shared/errors/catalogue';
import { splitVoiceId } from '../../../src-shared/speech/types';
import type { EngineId } from '../../../src-shared/speech/types';
import { DEFAULT_VOICE } from '../../../src-shared/speech/default-voices';
import { AudioCache } from './audio-cache';
import { BookmarkStore } from './bookmarks';
import { ExportJobStore } from './export-jobs';
import { SqliteDatabase } from './database';
import type { OpenReport } from './database';
import { DocumentStore } from './documents';
import { LexiconStore } from './lexicon';
import { LIBRARY_MIGRATIONS } from './migrations';
import { VoicePreferences } from './preferences';
import type { VoiceSettings } from './preferences';

export * from './audio-cache';
export * from './audio-codec';
export * from './bookmarks';
export * from './database';
export * from './debouncer';
export * from './documents';
export * from './lexicon';
export * from './migrations';
export * from './preferences';
export { RegexSandbox, hasNestedQuantifier, patternProblem } from './safe-regex';

export const LIBRARY_FILE = 'library.sqlite3';

export interface LibraryOptions {
  /** The app's data folder (`defaultDataDir()`, or the CLI's `--data-dir`). */
  dataDir: string;
  /** Audio cache size cap; remembered in the cache file. Default 2 GB. */
  cacheMaxBytes?: number;
  /** Voice defaults before the user chooses any. */
  voiceDefaults?: VoiceSettings;
  /**
   * Problems recovered from at open or later (a damaged file set aside, a damaged cache entry
   * dropped, a slow lexicon rule switched off). Show them; the library keeps working.
   */
  onProblem?: (problem: ErrorData) => void;
  regexTimeoutMs?: number;
  now?: () => number;
}

/**
 * The library services over `<dataDir>/library.sqlite3` and `<dataDir>/audio-cache.sqlite3`,
 * wired together: removing a document drops its cache references, and editing or removing a
 * lexicon entry invalidates the audio that used it. Open once per process; close() on quit.
 */
export class Library {
  readonly documents: DocumentStore;
  readonly preferences: VoicePreferences;
  readonly lexicon: LexiconStore;
  readonly exportJobs: ExportJobStore;
  readonly bookmarks: BookmarkStore;
  /** What happened while opening library.sqlite3 (unclean shutdown, recovery, migration). */
  readonly report: OpenReport;
  /** Problems recovered from while opening either file. */
  readonly problems: ErrorData[] = [];

  private constructor(
    readonly db: SqliteDatabase,
    readonly cache: AudioCache,
    options: LibraryOptions,
  ) {
    const report = (problem: ErrorData): void => options.onProblem?.(problem);
    const now = options.now ?? Date.now;
    this.report = db.report;
    this.documents = new DocumentStore(db, {
      now,
      onRemove: (id) => {
        try {
          cache.forgetDocument(id);
        } catch (thrown) {
          report(toErrorData(thrown));
        }
      },
    });
    const engine = splitVoiceId(DEFAULT_VOICE).engine;
    this.preferences = new VoicePreferences(db, options.voiceDefaults ?? { voice: DEFAULT_VOICE, speed: 1, engine: (engine === 'kokoro' ? 'kokoro' : 'espeak') as EngineId }, { now });
    this.exportJobs = new ExportJobStore(db, now);
    this.bookmarks = new BookmarkStore(db, now);
    this.lexicon = new LexiconStore(db, {
      now,
      onProblem: report,
      ...(options.regexTimeoutMs !== undefined ? { regexTimeoutMs: options.regexTimeoutMs } : {}),
      onEntryChanged: (id) => {
        try {
          cache.invalidateByLexiconEntry(id);
        } catch (thrown) {
          report(toErrorData(thrown));
        }
      },
    });
  }

  static open(options: LibraryOptions): Library {
    const problems: ErrorData[] = [];
    const collect = (problem: ErrorData): void => {
      problems.push(problem);
      options.onProblem?.(problem);
    };
    const db = SqliteDatabase.open({
      path: join(options.dataDir, LIBRARY_FILE),
      migrations: LIBRARY_MIGRATIONS,
      label: 'library',
      salvage: true,
      ...(options.now ? { now: options.now } : {}),
    });
    if (db.report.problem) collect(db.report.problem);
    let cache: AudioCache;
    try {
      cache = AudioCache.open({
        dataDir: options.dataDir,
        onProblem: collect,
        ...(options.cacheMaxBytes !== undefined ? { maxBytes: options.cacheMaxBytes } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
    } catch (thrown) {
      db.close();
      throw thrown;
    }
    const library = new Library(db, cache, options);
    library.problems.push(...problems);
    return library;
  }

  /** Closes both files cleanly (flush any position Debouncer first). */
  close(): void {
    this.cache.close();
    this.db.close();
  }
}
