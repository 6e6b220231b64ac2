import { describe, expect, it } from 'vitest';
import { documentSentenceTable } from '../../src-shared/document/sentence-table';
import type { ImportedDocument } from '../../src-shared/document/model';
import type { BookmarkInfo } from '../../src-shared/ipc/contract';
import { BookmarksStore } from './bookmarks.svelte';
import { LibraryStore } from './library.svelte';
import { ReadingStore } from './reading.svelte';
import { StatusStore } from './status.svelte';
import { VoicesStore } from './voices.svelte';
import { FakeApi } from './testing/fake-api';

const BOOK: ImportedDocument = {
  title: 'Sea',
  format: 'markdown',
  chapters: [
    { title: 'A', order: 0, text: 'One. Two.', blocks: [{ kind: 'paragraph', start: 0, end: 9 }] },
    { title: 'B', order: 1, text: 'Three is a sentence with many many words in it for a label. Four.', blocks: [{ kind: 'paragraph', start: 0, end: 66 }] },
  ],
};

function setUp() {
  const table = documentSentenceTable(BOOK);
  let saved: BookmarkInfo[] = [];
  const api = new FakeApi()
    .answer('document:open', () => ({ ...BOOK, text: { textId: 'b', sentences: table.sentences, chapterStarts: table.chapterStarts }, libraryId: 5 }))
    .answer('prefs:get', () => ({ voice: '', speed: 1, starred: [], forDocument: false }))
    .answer('bookmarks:list', () => saved)
    .answer('bookmarks:add', (params) => {
      const bookmark = { id: saved.length + 1, createdAt: 1, ...params };
      saved = [...saved, bookmark];
      return bookmark;
    })
    .answer('bookmarks:remove', ({ bookmarkId }) => {
      saved = saved.filter((b) => b.id !== bookmarkId);
      return null;
    });
  const status = new StatusStore(api);
  const reading = new ReadingStore(api, status, new LibraryStore(api), new VoicesStore(api, status));
  const played: number[] = [];
  const playback = {
    current: -1,
    playState: 'idle' as 'idle' | 'playing' | 'paused' | 'starting',
    play(from?: number): Promise<void> {
      played.push(from ?? -1);
      return Promise.resolve();
    },
  };
  const bookmarks = new BookmarksStore(api, reading, playback, status);
  return { api, reading, playback, bookmarks, status, played };
}

describe('BookmarksStore', () => {
  it('marks the sentence being read with its first words, lists, jumps and removes', async () => {
    const { api, reading, playback, bookmarks, status, played } = setUp();
    expect(bookmarks.available).toBe(false);
    await reading.open({ handle: 'h' }, 'sea.md');
    expect(bookmarks.available).toBe(true);
    await bookmarks.load();
    expect(bookmarks.list).toEqual([]);
    playback.current = 2;
    const added = await bookmarks.add();
    expect(api.paramsOf('bookmarks:add')).toEqual([{ documentId: 5, chapterIndex: 1, sentenceIndex: 0, charOffset: 0, label: 'Three is a sentence with many many words in it for a…' }]);
    expect(bookmarks.list).toHaveLength(1);
    expect(status.message).toContain('Bookmark added');
    // Stopped: the jump shows the place, and Play starts there.
    reading.showChapter(0);
    playback.current = 0;
    expect(await bookmarks.jump(added!)).toBe(true);
    expect(reading.chapter).toBe(1);
    expect(playback.current).toBe(2);
    expect(played).toEqual([]);
    // Reading: it reads on from the bookmark.
    playback.playState = 'playing';
    await bookmarks.jump(added!);
    expect(played).toEqual([2]);
    await bookmarks.remove(added!);
    expect(bookmarks.list).toEqual([]);
  });

  it('marks the chapter’s first sentence before reading starts, and says so when a bookmark’s place is gone', async () => {
    const { api, reading, bookmarks, status } = setUp();
    await reading.open({ handle: 'h' }, 'sea.md');
    reading.showChapter(1);
    await bookmarks.add();
    expect(api.paramsOf('bookmarks:add')[0]).toMatchObject({ chapterIndex: 1, sentenceIndex: 0 });
    const gone: BookmarkInfo = { id: 9, documentId: 5, chapterIndex: 1, sentenceIndex: 40, charOffset: 0, label: 'x', createdAt: 1 };
    expect(await bookmarks.jump(gone)).toBe(false);
    expect(status.message).toContain('no longer in the text');
  });
});
