import { describe, expect, it } from 'vitest';
import { documentSentenceTable } from '../../src-shared/document/sentence-table';
import type { ImportedDocument } from '../../src-shared/document/model';
import { LibraryStore } from './library.svelte';
import { ReadingStore } from './reading.svelte';
import { SearchStore } from './search.svelte';
import { StatusStore } from './status.svelte';
import { VoicesStore } from './voices.svelte';
import { FakeApi } from './testing/fake-api';

const BOOK: ImportedDocument = {
  title: 'Sea',
  format: 'markdown',
  chapters: [
    { title: 'A', order: 0, text: 'The whale rose. A gull.', blocks: [{ kind: 'paragraph', start: 0, end: 23 }] },
    { title: 'B', order: 1, text: 'No birds. Then a WHALE sang. Whale song.', blocks: [{ kind: 'paragraph', start: 0, end: 40 }] },
  ],
};

async function openBook(): Promise<{ reading: ReadingStore; search: SearchStore; playback: { current: number; playState: 'idle' | 'playing' } }> {
  const table = documentSentenceTable(BOOK);
  const api = new FakeApi()
    .answer('document:open', () => ({ ...BOOK, text: { textId: 'b', sentences: table.sentences, chapterStarts: table.chapterStarts }, libraryId: 5 }))
    .answer('prefs:get', () => ({ voice: '', speed: 1, starred: [], forDocument: false }));
  const status = new StatusStore(api);
  const reading = new ReadingStore(api, status, new LibraryStore(api), new VoicesStore(api, status));
  const playback = { current: -1, playState: 'idle' as 'idle' | 'playing' };
  const search = new SearchStore(reading, playback);
  await reading.open({ handle: 'h' }, 'sea.md');
  return { reading, search, playback };
}

describe('SearchStore', () => {
  it('finds every match in the book, steps both ways, shows each match’s chapter and starts Play there', async () => {
    const { reading, search, playback } = await openBook();
    expect(search.show()).toBe(true);
    search.setQuery('whale');
    expect(search.matches.map((m) => m.chapter)).toEqual([0, 1, 1]);
    expect(search.summary).toBe('1 of 3');
    expect(search.shown).toEqual([{ start: 4, end: 9, current: true }]);
    expect(playback.current).toBe(0);
    search.next();
    expect(reading.chapter).toBe(1);
    expect(search.summary).toBe('2 of 3');
    // "Then a WHALE sang." is the book's fourth sentence.
    expect(playback.current).toBe(3);
    expect(search.shown.map((m) => m.current)).toEqual([true, false]);
    search.next();
    search.next();
    expect(search.summary).toBe('1 of 3');
    expect(reading.chapter).toBe(0);
    search.previous();
    expect(search.summary).toBe('3 of 3');
    expect(playback.current).toBe(4);
  });

  it('leaves reading where it is while playing, starts from the place being read, and says when nothing matches', async () => {
    const { reading, search, playback } = await openBook();
    search.show();
    reading.showChapter(1);
    playback.current = 3;
    playback.playState = 'playing';
    search.setQuery('whale');
    // From the sentence being read: chapter B's first WHALE.
    expect(search.summary).toBe('2 of 3');
    search.next();
    expect(playback.current).toBe(3);
    search.setQuery('kraken');
    expect(search.summary).toBe('No matches');
    expect(search.current).toBe(-1);
    search.close();
    expect(search.open).toBe(false);
    expect(search.matches).toEqual([]);
  });

  it('cannot open over the editor', async () => {
    const { reading, search } = await openBook();
    reading.edit();
    expect(search.show()).toBe(false);
  });
});
