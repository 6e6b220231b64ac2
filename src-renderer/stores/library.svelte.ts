import type { LibraryEntry, PositionParams, ReaderApi } from '../../src-shared/ipc/contract';
import { readingProgress, timeLeftMs } from '../../src-shared/library/progress';
import type { ReadingProgress } from '../../src-shared/library/progress';

export type LibrarySort = 'last-opened' | 'title' | 'author' | 'progress';

/** A library entry as the Library view shows it: with its progress and the time left at the chosen voice and speed. */
export interface LibraryItem extends LibraryEntry {
  progress: ReadingProgress | undefined;
  /** Undefined when the book's length is not known yet (opened by an older version). */
  timeLeftMs: number | undefined;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** The documents opened before, and where reading stopped in them (when the app keeps a library). */
export class LibraryStore {
  /** Newest first; only entries with a file the app can open again. */
  recent = $state.raw<LibraryEntry[]>([]);
  /** The recent documents main can read again (a file, or kept whole). */
  private readable = $state.raw<number[]>([]);

  /** Every document (the Library view), most recently opened first; loaded by `loadAll`. */
  all = $state.raw<LibraryEntry[]>([]);
  sort = $state<LibrarySort>('last-opened');
  /** Words to find in titles, authors and file names. */
  query = $state('');
  /** Cover images by document, as data: URLs (null: none), fetched once each. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole on change, so $state.raw sees it
  covers = $state.raw<ReadonlyMap<number, string | null>>(new Map());

  constructor(private readonly api: ReaderApi | undefined) {}

  /**
   * The entries with progress and time left, filtered and sorted as chosen; `charsPerSecond`: the
   * chosen voice's rate at the chosen speed (reading-time.ts `charsPerSecond`, as the player uses).
   */
  items(charsPerSecond: number): LibraryItem[] {
    const words = this.query.toLocaleLowerCase().split(/\s+/u).filter((w) => w !== '');
    const shown = this.all
      .filter((entry) => {
        const haystack = `${entry.title} ${entry.author ?? ''} ${entry.fileName ?? ''}`.toLocaleLowerCase();
        return words.every((word) => haystack.includes(word));
      })
      .map((entry): LibraryItem => {
        const progress = readingProgress({ chapterSentences: entry.chapterSentences ?? [], chapterChars: entry.chapterChars ?? [] }, entry.position);
        return { ...entry, progress, timeLeftMs: progress && timeLeftMs(progress.charsLeft, charsPerSecond) };
      });
    const byTitle = (a: LibraryItem, b: LibraryItem): number => collator.compare(a.title, b.title);
    const compare: Record<LibrarySort, (a: LibraryItem, b: LibraryItem) => number> = {
      'last-opened': (a, b) => b.lastOpenedAt - a.lastOpenedAt,
      title: byTitle,
      // Books without an author last, then by title.
      author: (a, b) => (a.author === undefined ? 1 : 0) - (b.author === undefined ? 1 : 0) || collator.compare(a.author ?? '', b.author ?? '') || byTitle(a, b),
      // Furthest along first; unknown progress last.
      progress: (a, b) => (b.progress?.fraction ?? -1) - (a.progress?.fraction ?? -1) || byTitle(a, b),
    };
    return shown.sort(compare[this.sort]);
  }

  /** Loads every document, for the Library view. */
  async loadAll(): Promise<void> {
    const all = await this.api?.invoke('library:list', null);
    if (all?.ok) this.all = all.value;
  }

  /** Fetches the covers of the entries that have one and are not fetched yet. */
  async loadCovers(entries: readonly LibraryEntry[]): Promise<void> {
    for (const entry of entries) {
      if (!entry.hasCover || this.covers.has(entry.documentId)) continue;
      const cover = await this.api?.invoke('library:cover', { documentId: entry.documentId });
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, so $state.raw sees the change
      if (cover?.ok) this.covers = new Map(this.covers).set(entry.documentId, cover.value);
    }
  }

  /** Keeps a pasted text (its id from `text:set`) as a library document; its id, or the error. */
  async keep(textId: string, title?: string): Promise<{ documentId: number } | { error: string }> {
    const kept = await this.api?.invoke('library:keep', { textId, ...(title ? { title } : {}) });
    if (!kept) return { error: 'The app keeps no library here.' };
    if (!kept.ok) return { error: kept.error.message };
    await Promise.all([this.load(), this.loadAll()]);
    return kept.value;
  }

  async load(): Promise<void> {
    const recent = await this.api?.invoke('library:recent', null);
    if (!recent?.ok) return;
    this.recent = recent.value.filter((entry) => entry.fileName !== null);
    this.readable = recent.value.filter((entry) => entry.canReopen ?? entry.fileName !== null).map((entry) => entry.documentId);
  }

  /** Whether the app has the file a library document came from. */
  hasFile(documentId: number): boolean {
    return this.recent.some((entry) => entry.documentId === documentId);
  }

  /** Whether main can read a library document again, from its file or as the library keeps it: so it can be exported. */
  canReadAgain(documentId: number): boolean {
    return this.readable.includes(documentId);
  }

  /** Forgets a document: its reading position and its cached audio go with it. */
  async remove(entry: LibraryEntry): Promise<void> {
    await this.api?.invoke('library:remove', { documentId: entry.documentId });
    await Promise.all([this.load(), this.all.length > 0 ? this.loadAll() : undefined]);
  }

  /** Remembers where reading is (the app waits for a quiet moment unless `flush`). */
  savePosition(position: PositionParams): void {
    void this.api?.invoke('library:position', position);
  }
}
