import { describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../src-shared/ipc/contract';
import { LibraryStore } from './library.svelte';
import { FakeApi } from './testing/fake-api';
import { fail } from '../../src-shared/ipc/result';
import { timeLeftMs } from '../../src-shared/library/progress';
import { charsPerSecond, recordPlayed } from '../lib/reading-time';

const entry = (documentId: number, fileName: string | null): LibraryEntry => ({ documentId, title: `Doc ${documentId}`, fileName, format: 'text', lastOpenedAt: documentId, wordCount: 10 });

describe('LibraryStore', () => {
  it('lists only documents it can open again, and reloads after a removal', async () => {
    let entries = [entry(1, 'a.txt'), entry(2, null), entry(3, 'c.txt')];
    const api = new FakeApi()
      .answer('library:recent', () => entries)
      .answer('library:remove', ({ documentId }) => {
        entries = entries.filter((e) => e.documentId !== documentId);
        return { removed: true };
      });
    const library = new LibraryStore(api);
    await library.load();
    expect(library.recent.map((e) => e.documentId)).toEqual([1, 3]);
    // Only a document with a file can be read again, to export it.
    expect([1, 2, 3].map((id) => library.hasFile(id))).toEqual([true, false, true]);
    await library.remove(entry(1, 'a.txt'));
    expect(library.recent.map((e) => e.documentId)).toEqual([3]);
  });

  it('keeps the list as it was when the app has no library', async () => {
    const library = new LibraryStore(new FakeApi());
    await library.load();
    expect(library.recent).toEqual([]);
  });
});

describe('LibraryStore: the Library view', () => {
  const book = (documentId: number, title: string, lastOpenedAt: number, extra: Partial<LibraryEntry> = {}): LibraryEntry => ({
    documentId,
    title,
    fileName: `${title}.epub`,
    format: 'epub',
    lastOpenedAt,
    wordCount: 100,
    chapterSentences: [10, 10],
    chapterChars: [1500, 1500],
    canReopen: true,
    ...extra,
  });
  const ALL = [
    book(1, 'Walden', 30, { author: 'Henry David Thoreau', position: { chapterIndex: 1, sentenceIndex: 0, charOffset: 0 } }),
    book(2, 'dracula', 20, { author: 'Bram Stoker', position: { chapterIndex: 1, sentenceIndex: 5, charOffset: 40 } }),
    book(3, 'Emma', 10),
    book(4, 'Old one', 5, { chapterSentences: [], chapterChars: [] }),
  ];

  it('shows progress and the time left at the chosen speed, from the measured rate of the voice', async () => {
    const library = new LibraryStore(new FakeApi().answer('library:list', () => ALL));
    await library.loadAll();
    const [walden, dracula, emma, old] = library.items(15);
    expect(walden?.progress?.fraction).toBe(0.5);
    expect(dracula?.progress?.fraction).toBe(0.75);
    expect(emma?.progress?.fraction).toBe(0);
    // Unknown length (opened by an older version): no progress, no time.
    expect(old?.progress).toBeUndefined();
    expect(old?.timeLeftMs).toBeUndefined();
    // 750 characters left of Dracula at 15 characters a second; twice the rate, half the time.
    expect(dracula?.timeLeftMs).toBe(50_000);
    expect(library.items(30)[1]?.timeLeftMs).toBe(25_000);
    // The rate the player measured on the voice (20 characters a second at speed 1), at speed 1.5.
    const measured = recordPlayed({}, 'kokoro:af_heart', 1, 200, 10);
    expect(library.items(charsPerSecond(measured, 'kokoro:af_heart', 1.5))[1]?.timeLeftMs).toBe(timeLeftMs(750, 30));
  });

  it('sorts by last opened, title, author and progress, and filters by title, author or file name', async () => {
    const library = new LibraryStore(new FakeApi().answer('library:list', () => ALL));
    await library.loadAll();
    const titles = (): string[] => library.items(18).map((item) => item.title);
    expect(titles()).toEqual(['Walden', 'dracula', 'Emma', 'Old one']);
    library.sort = 'title';
    expect(titles()).toEqual(['dracula', 'Emma', 'Old one', 'Walden']);
    library.sort = 'author';
    expect(titles()).toEqual(['dracula', 'Walden', 'Emma', 'Old one']);
    library.sort = 'progress';
    expect(titles()).toEqual(['dracula', 'Walden', 'Emma', 'Old one']);
    library.query = 'stoker';
    expect(titles()).toEqual(['dracula']);
    library.query = 'EMMA.epub';
    expect(titles()).toEqual(['Emma']);
    library.query = 'nothing like it';
    expect(titles()).toEqual([]);
  });

  it('fetches each cover once, and keeps a pasted text, reloading both lists', async () => {
    let kept = false;
    const api = new FakeApi()
      .answer('library:list', () => (kept ? [...ALL, book(9, 'Pasted', 40, { fileName: null })] : ALL))
      .answer('library:recent', () => [])
      .answer('library:cover', ({ documentId }) => (documentId === 1 ? 'data:image/png;base64,AA==' : null))
      .answer('library:keep', ({ textId }) => {
        kept = textId === 't7';
        return { documentId: 9 };
      });
    const library = new LibraryStore(api);
    await library.loadAll();
    const withCovers = [{ ...ALL[0]!, hasCover: true }, ALL[1]!];
    await library.loadCovers(withCovers);
    await library.loadCovers(withCovers);
    expect(api.paramsOf('library:cover')).toEqual([{ documentId: 1 }]);
    expect(library.covers.get(1)).toBe('data:image/png;base64,AA==');
    expect(await library.keep('t7')).toEqual({ documentId: 9 });
    expect(library.all.map((e) => e.documentId)).toContain(9);
    api.answer('library:keep', () => fail('LIBRARY_UNAVAILABLE'));
    expect(await library.keep('t8')).toMatchObject({ error: expect.stringMatching(/library/i) });
  });
});
