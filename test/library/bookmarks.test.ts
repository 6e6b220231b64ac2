import { describe, expect, it } from 'vitest';
import { Library } from '../../src-main/services/library';
import { LibraryService } from '../../src-main/services/library-service';
import { pastedSentenceTable } from '../../src-shared/document/sentence-table';
import type { ImportedDocument } from '../../src-shared/document/model';
import { caught, manualClock, useTempDirs } from './helpers';

const tempDir = useTempDirs();

const book = (title: string, chapters: string[], author?: string): ImportedDocument => ({
  title,
  ...(author ? { author } : {}),
  format: 'epub',
  chapters: chapters.map((text, order) => ({ title: `Chapter ${order + 1}`, order, text, blocks: [{ kind: 'paragraph', start: 0, end: text.length }] })),
});

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('bookmarks', () => {
  it('adds in reading order, updates a sentence marked twice, removes, and goes with the document', () => {
    const clock = manualClock();
    const lib = Library.open({ dataDir: tempDir(), now: clock.now });
    const id = lib.documents.open({ title: 'B', sourcePath: '/b.epub', contentHash: 'h', format: 'epub', wordCount: 10 }).document.id;
    const later = lib.bookmarks.add(id, { chapterIndex: 2, sentenceIndex: 5, charOffset: 90 }, 'Later   on\n');
    const early = lib.bookmarks.add(id, { chapterIndex: 0, sentenceIndex: 1, charOffset: 10 }, 'Early');
    expect(lib.bookmarks.list(id).map((b) => b.label)).toEqual(['Early', 'Later on']);
    const again = lib.bookmarks.add(id, { chapterIndex: 2, sentenceIndex: 5, charOffset: 92 }, 'Renamed');
    expect(again.id).toBe(later.id);
    expect(lib.bookmarks.list(id)).toHaveLength(2);
    lib.bookmarks.remove(early.id);
    expect(lib.bookmarks.list(id).map((b) => b.label)).toEqual(['Renamed']);
    expect(caught(() => lib.bookmarks.remove(early.id)).code).toBe('BOOKMARK_NOT_FOUND');
    expect(caught(() => lib.bookmarks.add(id, { chapterIndex: 0, sentenceIndex: 0, charOffset: 0 }, '  ')).code).toBe('INVALID_REQUEST');
    expect(caught(() => lib.bookmarks.add(999, { chapterIndex: 0, sentenceIndex: 0, charOffset: 0 }, 'x')).code).toBe('DOCUMENT_NOT_FOUND');
    lib.documents.remove(id);
    expect(lib.bookmarks.list(id)).toEqual([]);
    lib.close();
  });
});

describe('the library as the Library view sees it', () => {
  it('lists every document with author, counts per chapter, cover and whether it opens again', () => {
    const clock = manualClock();
    const service = new LibraryService(Library.open({ dataDir: tempDir(), now: clock.now }));
    const fromFile = service.registerOpened(book('Dracula', ['One. Two. Three.', 'Four. Five.'], 'Bram Stoker'), '/books/dracula.epub', {
      cover: { mediaType: 'image/png', data: PNG },
    });
    clock.advance();
    const fromBytes = service.registerOpened(book('Notes', ['Only one sentence here.']), null);
    const list = service.list();
    expect(list.map((e) => e.title)).toEqual(['Notes', 'Dracula']);
    expect(list[1]).toMatchObject({ author: 'Bram Stoker', chapterSentences: [3, 2], hasCover: true, canReopen: true, fileName: 'dracula.epub' });
    // Characters read aloud: the sentences' own, not the spaces between them.
    expect(list[1]?.chapterChars).toEqual([14, 10]);
    expect(list[0]).toMatchObject({ fileName: null, hasCover: false, canReopen: true });
    expect(service.coverUrl(fromFile.documentId)).toBe(`data:image/png;base64,${Buffer.from(PNG).toString('base64')}`);
    expect(service.coverUrl(fromBytes.documentId)).toBeNull();
    // A document with no file is kept whole, to open again from the library.
    expect(service.storedDocument(fromBytes.documentId)?.chapters[0]?.text).toBe('Only one sentence here.');
    expect(service.storedDocument(fromFile.documentId)).toBeUndefined();
    service.close();
  });

  it('keeps a pasted text as a document named by its first words, with its paragraphs', () => {
    const service = new LibraryService(Library.open({ dataDir: tempDir() }));
    const text = 'A pasted note about the sea and the wind, the gulls and the boats at dawn.\n\nSecond paragraph.';
    const { documentId } = service.keepText(pastedSentenceTable(text), undefined);
    const kept = service.storedDocument(documentId);
    expect(kept?.title).toBe('A pasted note about the sea and the wind, the gulls and…');
    expect(kept?.chapters[0]?.blocks).toHaveLength(2);
    expect(service.list()[0]).toMatchObject({ documentId, format: 'text', chapterSentences: [2], canReopen: true });
    // Keeping the same text again finds the same document.
    expect(service.keepText(pastedSentenceTable(text), 'Named').documentId).toBe(documentId);
    expect(service.list()).toHaveLength(1);
    service.close();
  });
});
