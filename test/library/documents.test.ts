import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { Debouncer, Library, cacheKey } from '../../src-main/services/library';
import type { DocumentInput } from '../../src-main/services/library';
import { manualClock, testAudio, useTempDirs } from './helpers';

const tempDir = useTempDirs();

function doc(n: number, extra: Partial<DocumentInput> = {}): DocumentInput {
  return { title: `Book ${n}`, sourcePath: `/books/${n}.epub`, contentHash: `hash-${n}`, format: 'epub', wordCount: 1000 * n, ...extra };
}

describe('documents and reading positions', () => {
  it('adds a document with its details and an estimated duration', () => {
    const clock = manualClock();
    const lib = Library.open({ dataDir: tempDir(), now: clock.now });
    const opened = lib.documents.open(doc(3));
    expect(opened.match).toBe('new');
    expect(opened.position).toBeUndefined();
    expect(opened.document).toEqual({
      id: opened.document.id,
      title: 'Book 3',
      sourcePath: '/books/3.epub',
      contentHash: 'hash-3',
      format: 'epub',
      addedAt: clock.now(),
      lastOpenedAt: clock.now(),
      wordCount: 3000,
      durationEstimateMs: 20 * 60_000, // 3000 words at 150 a minute
      author: null,
      chapterSentences: [],
      chapterChars: [],
    });
    lib.close();
  });

  it('saves the position and restores it when the document is opened again, after a restart', () => {
    const dir = tempDir();
    const clock = manualClock();
    const lib = Library.open({ dataDir: dir, now: clock.now });
    const { document } = lib.documents.open(doc(1));
    lib.documents.savePosition(document.id, { chapterIndex: 2, sentenceIndex: 17, charOffset: 480 });
    clock.advance();
    lib.documents.savePosition(document.id, { chapterIndex: 2, sentenceIndex: 18, charOffset: 530 });
    lib.close();

    clock.advance(60_000);
    const again = Library.open({ dataDir: dir, now: clock.now });
    const reopened = again.documents.open(doc(1));
    expect(reopened.match).toBe('same');
    expect(reopened.document.id).toBe(document.id);
    expect(reopened.document.lastOpenedAt).toBe(clock.now());
    expect(reopened.document.addedAt).toBe(document.addedAt);
    expect(reopened.position).toEqual({ chapterIndex: 2, sentenceIndex: 18, charOffset: 530, updatedAt: clock.now() - 60_000 });
    again.close();
  });

  it('finds a moved file by its content, and an edited file by its path (position kept, flagged)', () => {
    const lib = Library.open({ dataDir: tempDir() });
    const { document } = lib.documents.open(doc(1));
    lib.documents.savePosition(document.id, { chapterIndex: 0, sentenceIndex: 5, charOffset: 9 });
    const moved = lib.documents.open(doc(1, { sourcePath: '/elsewhere/1.epub' }));
    expect(moved).toMatchObject({ match: 'same', document: { id: document.id, sourcePath: '/elsewhere/1.epub' } });
    const edited = lib.documents.open(doc(1, { sourcePath: '/elsewhere/1.epub', contentHash: 'hash-1-edited', wordCount: 999 }));
    expect(edited).toMatchObject({ match: 'changed', document: { id: document.id, contentHash: 'hash-1-edited', wordCount: 999 }, position: { sentenceIndex: 5 } });
    expect(lib.documents.count()).toBe(1);
    lib.close();
  });

  it('lists recent documents, most recently opened first', () => {
    const clock = manualClock();
    const lib = Library.open({ dataDir: tempDir(), now: clock.now });
    for (const n of [1, 2, 3]) {
      lib.documents.open(doc(n));
      clock.advance();
    }
    lib.documents.open(doc(1));
    expect(lib.documents.recent().map((d) => d.title)).toEqual(['Book 1', 'Book 3', 'Book 2']);
    expect(lib.documents.recent(2).map((d) => d.title)).toEqual(['Book 1', 'Book 3']);
    lib.close();
  });

  it('removing a document removes its position, voice override and cache references', () => {
    const lib = Library.open({ dataDir: tempDir() });
    const a = lib.documents.open(doc(1)).document;
    const b = lib.documents.open(doc(2)).document;
    lib.documents.savePosition(a.id, { chapterIndex: 1, sentenceIndex: 1, charOffset: 1 });
    lib.preferences.setOverride(a.id, { speed: 1.5 });
    const audio = { sampleRate: 24_000, samples: testAudio(1, 2400), words: [], sentences: [] };
    const onlyA = cacheKey({ engine: 'kokoro', modelVersion: 'm', voice: 'af_heart', speed: 1, ids: [1] });
    const shared = cacheKey({ engine: 'kokoro', modelVersion: 'm', voice: 'af_heart', speed: 1, ids: [2] });
    lib.cache.put(onlyA, audio, { documentId: a.id });
    lib.cache.put(shared, audio, { documentId: a.id });
    lib.cache.put(shared, audio, { documentId: b.id });

    expect(lib.documents.remove(a.id)).toBe(true);
    expect(lib.documents.get(a.id)).toBeUndefined();
    expect(lib.documents.getPosition(a.id)).toBeUndefined();
    expect(lib.db.connection.prepare('SELECT count(*) FROM document_voice').pluck().get()).toBe(0);
    expect(lib.cache.has(onlyA)).toBe(false);
    expect(lib.cache.has(shared)).toBe(true); // still read in document b
    expect(lib.cache.keysForDocument(a.id)).toEqual([]);
    expect(lib.cache.keysForDocument(b.id)).toEqual([shared]);
    expect(lib.documents.remove(a.id)).toBe(false);
    lib.close();
  });

  it('rejects positions for unknown documents and malformed positions', () => {
    const lib = Library.open({ dataDir: tempDir() });
    const codeOf = (fn: () => void): string | undefined => {
      try {
        fn();
      } catch (thrown) {
        return thrown instanceof AppError ? thrown.code : 'not an AppError';
      }
      return undefined;
    };
    expect(codeOf(() => lib.documents.savePosition(99, { chapterIndex: 0, sentenceIndex: 0, charOffset: 0 }))).toBe('DOCUMENT_NOT_FOUND');
    const { document } = lib.documents.open(doc(1));
    expect(codeOf(() => lib.documents.savePosition(document.id, { chapterIndex: 0, sentenceIndex: -1, charOffset: 0 }))).toBe('INVALID_REQUEST');
    expect(codeOf(() => lib.documents.open(doc(2, { title: ' ' })))).toBe('INVALID_REQUEST');
    lib.close();
  });
});

describe('Debouncer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves the latest position once calls pause, and at once on flush()', () => {
    vi.useFakeTimers();
    const saved: number[] = [];
    const debouncer = new Debouncer((sentence: number) => saved.push(sentence), { delayMs: 500, maxWaitMs: 2000 });
    for (let s = 0; s < 5; s++) {
      debouncer.schedule(s);
      vi.advanceTimersByTime(100);
    }
    expect(saved).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(saved).toEqual([4]);
    debouncer.schedule(5);
    expect(debouncer.pending).toBe(true);
    debouncer.flush(); // pause or quit
    expect(saved).toEqual([4, 5]);
    expect(debouncer.pending).toBe(false);
    debouncer.flush();
    expect(saved).toEqual([4, 5]);
  });

  it('still saves during a long uninterrupted run (maxWait), and cancel() drops a pending call', () => {
    vi.useFakeTimers();
    const saved: number[] = [];
    const debouncer = new Debouncer((n: number) => saved.push(n), { delayMs: 500, maxWaitMs: 1000 });
    for (let n = 0; n < 30; n++) {
      debouncer.schedule(n);
      vi.advanceTimersByTime(100);
    }
    expect(saved.length).toBeGreaterThanOrEqual(2);
    debouncer.cancel();
    vi.advanceTimersByTime(5000);
    const count = saved.length;
    vi.advanceTimersByTime(5000);
    expect(saved.length).toBe(count);
  });

  it('reports errors from a timer-driven call instead of crashing', () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const debouncer = new Debouncer(() => {
      throw new Error('disk full');
    }, { delayMs: 10, onError: (e) => errors.push(e) });
    debouncer.schedule();
    vi.advanceTimersByTime(20);
    expect(errors).toHaveLength(1);
  });

  it('drives savePosition against the real store', () => {
    vi.useFakeTimers();
    const lib = Library.open({ dataDir: tempDir() });
    const { document } = lib.documents.open(doc(1));
    const save = new Debouncer((id: number, sentenceIndex: number) => lib.documents.savePosition(id, { chapterIndex: 0, sentenceIndex, charOffset: 0 }), { delayMs: 1000 });
    for (let s = 0; s < 10; s++) save.schedule(document.id, s);
    expect(lib.documents.getPosition(document.id)).toBeUndefined();
    save.flush();
    expect(lib.documents.getPosition(document.id)?.sentenceIndex).toBe(9);
    lib.close();
  });
});
