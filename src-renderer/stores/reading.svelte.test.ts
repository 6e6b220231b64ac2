import { describe, expect, it } from 'vitest';
import { documentSentenceTable, pastedSentenceTable } from '../../src-shared/document/sentence-table';
import type { ImportedDocument } from '../../src-shared/document/model';
import { LibraryStore } from './library.svelte';
import { ReadingStore } from './reading.svelte';
import { StatusStore } from './status.svelte';
import { VoicesStore } from './voices.svelte';
import { FakeApi } from './testing/fake-api';
import { fail, ok } from '../../src-shared/ipc/result';

const BOOK: ImportedDocument = {
  title: 'Book',
  format: 'markdown',
  chapters: [
    { title: 'A', order: 0, text: 'One. Two.', blocks: [{ kind: 'paragraph', start: 0, end: 9 }] },
    { title: 'B', order: 1, text: 'Three. Four. Five.', blocks: [{ kind: 'paragraph', start: 0, end: 18 }] },
  ],
};

function readingWith(api: FakeApi): { reading: ReadingStore; status: StatusStore } {
  const status = new StatusStore(api);
  const voices = new VoicesStore(api, status);
  return { reading: new ReadingStore(api, status, new LibraryStore(api), voices), status };
}

describe('ReadingStore', () => {
  it('sends the draft to the app once per change, and shows the app’s sentences and paragraphs', async () => {
    const api = new FakeApi().answer('text:set', ({ text }) => {
      const table = pastedSentenceTable(text);
      return { textId: `t${text.length}`, sentences: table.sentences, chapterStarts: [0], paragraphs: table.paragraphs ?? [] };
    });
    const { reading } = readingWith(api);
    reading.draft = 'First line. Still first.\n\nSecond paragraph.';
    expect((await reading.prepare())?.textId).toBe('t43');
    expect(await reading.prepare()).toBe(reading.text);
    expect(api.paramsOf('text:set')).toHaveLength(1);
    expect(reading.mode).toBe('read');
    expect(reading.view?.sentences.map((s) => reading.view?.text.slice(s.start, s.end))).toEqual(['First line.', 'Still first.', 'Second paragraph.']);
    expect(reading.view?.blocks).toHaveLength(2);
    reading.draft += ' More.';
    await reading.prepare();
    expect(api.paramsOf('text:set')).toHaveLength(2);
  });

  it('refuses an empty draft without asking the app', async () => {
    const api = new FakeApi();
    const { reading, status } = readingWith(api);
    reading.draft = '  \n ';
    expect(await reading.prepare()).toBeUndefined();
    expect(status.error?.code).toBe('EMPTY_TEXT');
    expect(api.calls).toEqual([]);
  });

  it('opens a document where reading stopped, and edits a chapter as pasted text', async () => {
    const table = documentSentenceTable(BOOK);
    const api = new FakeApi()
      .answer('document:open', () => ({ ...BOOK, text: { textId: 'b', sentences: table.sentences, chapterStarts: table.chapterStarts }, libraryId: 5, position: { chapterIndex: 1, sentenceIndex: 1, charOffset: 7 } }))
      .answer('prefs:get', () => ({ voice: '', speed: 1, starred: [], forDocument: false }));
    const { reading, status } = readingWith(api);
    const opened = await reading.open({ handle: 'h1' }, 'book.md');
    // Chapter B's second sentence is the fourth of the book.
    expect(opened?.sentence).toBe(3);
    expect(reading.chapter).toBe(1);
    expect(reading.positionOf(3)).toEqual({ chapterIndex: 1, sentenceIndex: 1, charOffset: 7 });
    expect(status.message).toContain('continue where you stopped');
    reading.edit();
    expect(reading.mode).toBe('edit');
    expect(reading.document).toBeUndefined();
    expect(reading.draft).toBe('Three. Four. Five.');
    expect(status.message).toBe('');
  });

  it('in the app, opens a picked or dropped file by the handle main grants, and a file with no path on disk by its bytes', async () => {
    const api = new FakeApi();
    const granted: unknown[] = [];
    api.grantFile = (file) => {
      granted.push(file);
      return Promise.resolve(file instanceof File && file.name === 'on-disk.txt' ? ok({ handle: 'h7', name: 'on-disk.txt' }) : fail('FILE_NOT_CHOSEN'));
    };
    const { reading } = readingWith(api);
    expect(reading.hasFileDialog).toBe(true);
    expect(await reading.paramsForFile(new File(['On disk.'], 'on-disk.txt'))).toEqual({ handle: 'h7' });
    expect(await reading.paramsForFile(new File(['From memory.'], 'made.txt'))).toEqual({ name: 'made.txt', bytes: new TextEncoder().encode('From memory.') });
    expect(granted).toHaveLength(2);
  });

  it('in the app, shows why main refused a dropped file (a folder, a pipe, a kind it does not open) instead of reading its bytes', async () => {
    const api = new FakeApi();
    api.grantFile = () => Promise.resolve(fail('NOT_A_REGULAR_FILE', '(pipe.txt is a named pipe.)'));
    const { reading, status } = readingWith(api);
    expect(await reading.paramsForFile(new File([''], 'pipe.txt'))).toBeUndefined();
    expect(status.error?.code).toBe('NOT_A_REGULAR_FILE');
    expect(status.error?.message).toContain('pipe.txt is a named pipe');
  });

  it('in a browser, sends a file’s bytes and has no file dialog', async () => {
    const { reading } = readingWith(new FakeApi());
    expect(reading.hasFileDialog).toBe(false);
    expect(await reading.paramsForFile(new File(['Bytes.'], 'b.txt'))).toEqual({ name: 'b.txt', bytes: new TextEncoder().encode('Bytes.') });
  });

  it('asks main for its file dialog: the chosen file’s handle, nothing when cancelled, the error in the status when it fails', async () => {
    const answers = [ok({ handle: 'h9', name: 'chosen.epub' }), ok(null), fail('NO_FILE_DIALOG')];
    const api = new FakeApi().answer('dialog:open', () => answers.shift() ?? ok(null));
    const { reading, status } = readingWith(api);
    expect(await reading.chooseInDialog()).toEqual({ handle: 'h9', name: 'chosen.epub' });
    expect(await reading.chooseInDialog()).toBeUndefined();
    expect(status.error).toBeUndefined();
    expect(await reading.chooseInDialog()).toBeUndefined();
    expect(status.error?.code).toBe('NO_FILE_DIALOG');
  });
});
