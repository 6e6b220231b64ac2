import { describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../src-shared/ipc/contract';
import { LibraryStore } from './library.svelte';
import { FakeApi } from './testing/fake-api';

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
