import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentService } from '../../src-main/services/document-service';
import { FileGrants } from '../../src-main/services/file-grants';
import { ReadingTexts } from '../../src-main/services/reading-texts';
import type { ClientContext } from '../../src-main/services/handlers';
import { IMPORT_WORKER, requireBuild } from '../helpers/paths';
import { makeEpub } from '../import/fixtures';

const client: ClientContext = { id: 'c1', emit: () => undefined };

describe('document service', () => {
  it('opens bytes under the user-given name, never writing outside its private folder', async () => {
    requireBuild();
    const service = new DocumentService(IMPORT_WORKER, new ReadingTexts(), new FileGrants());
    const document = await service.open({ name: '../../../evil name?.txt', bytes: new TextEncoder().encode('Just a line of text.') }, client);
    expect(document.title).toMatch(/^evil name_?$/);
    expect(document.chapters[0]?.text).toBe('Just a line of text.');
    expect(existsSync(join(tmpdir(), '..', 'evil name?.txt'))).toBe(false);
  });

  it('records opened documents through the library hook and returns the saved position', async () => {
    const seen: (string | null)[] = [];
    const service = new DocumentService(IMPORT_WORKER, new ReadingTexts(), new FileGrants(), {
      register: (_doc, path) => {
        seen.push(path);
        return { documentId: 7, position: { chapterIndex: 0, sentenceIndex: 2, charOffset: 30 } };
      },
      pathOf: () => undefined,
    });
    const document = await service.open({ name: 'notes.md', bytes: new TextEncoder().encode('# A\n\nB.') }, client);
    expect(document.libraryId).toBe(7);
    expect(document.position).toEqual({ chapterIndex: 0, sentenceIndex: 2, charOffset: 30 });
    // Bytes have no lasting path: the library keeps the document by its content.
    expect(seen).toEqual([null]);
  });

  it('opens a library document kept whole (no file) without parsing, and reads an EPUB’s cover for the library', async () => {
    const registered: { path: string | null; cover?: string; sentences?: number }[] = [];
    const kept = { title: 'Kept', format: 'text' as const, chapters: [{ title: 'Kept', order: 0, text: 'One. Two.', blocks: [{ kind: 'paragraph' as const, start: 0, end: 9 }] }] };
    const service = new DocumentService(IMPORT_WORKER, new ReadingTexts(), new FileGrants(), {
      register: (_doc, path, extras) => {
        registered.push({ path, ...(extras?.cover ? { cover: extras.cover.mediaType } : {}), ...(extras?.table ? { sentences: extras.table.sentences.length } : {}) });
        return { documentId: 3 };
      },
      pathOf: (id) => (id === 3 ? null : undefined),
      storedDocument: (id) => (id === 3 ? kept : undefined),
    });
    const opened = await service.open({ documentId: 3 }, client);
    expect(opened.chapters[0]?.text).toBe('One. Two.');
    expect(opened.text.sentences).toHaveLength(2);
    // Not kept and no file: the library cannot open it, and says to open the file again.
    await expect(service.open({ documentId: 4 }, client)).rejects.toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
    const epub = await makeEpub({ title: 'Covered', cover: true, files: [{ name: 'one.xhtml', body: '<p>A line.</p>' }] });
    await service.open({ name: 'covered.epub', bytes: new Uint8Array(epub) }, client);
    expect(registered).toEqual([
      { path: null, sentences: 2 },
      { path: null, cover: 'image/png', sentences: 1 },
    ]);
  });

  it('holds the opened text for reading, chapters joined, with one sentence table', async () => {
    const texts = new ReadingTexts();
    const service = new DocumentService(IMPORT_WORKER, texts, new FileGrants());
    const document = await service.open({ name: 'two.md', bytes: new TextEncoder().encode('# One\n\nFirst here. Second.\n\n# Two\n\n```\ncode();\n```\n\nThird here.') }, client);
    const held = texts.get(client, document.text.textId);
    expect(document.text.chapterStarts).toEqual(held.chapterStarts);
    expect(held.text.slice(held.chapterStarts[1])).toBe(document.chapters[1]?.text);
    const rows = document.text.sentences.map((row) => [held.text.slice(row.start, row.end), row.chapter, row.block]);
    expect(rows).toEqual([
      ['One', 0, 0],
      ['First here.', 0, 1],
      ['Second.', 0, 1],
      ['Two', 1, 0],
      ['code();', 1, 1],
      ['Third here.', 1, 2],
    ]);
    // The code block is shown but not read.
    expect(held.skip.some((range) => held.text.slice(range.start, range.end).includes('code();'))).toBe(true);
  });

  it('opens a granted file only for the client it was granted to, and not after that client went away', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kokoro-grant-'));
    try {
      const path = join(dir, 'mine.txt');
      writeFileSync(path, 'Only mine to read.');
      const grants = new FileGrants();
      const service = new DocumentService(IMPORT_WORKER, new ReadingTexts(), grants);
      const { handle, name } = grants.grant(client, path);
      expect(name).toBe('mine.txt');
      const other: ClientContext = { id: 'c2', emit: () => undefined };
      await expect(service.open({ handle }, other)).rejects.toMatchObject({ code: 'FILE_NOT_CHOSEN' });
      expect((await service.open({ handle }, client)).chapters[0]?.text).toBe('Only mine to read.');
      grants.drop(client);
      await expect(service.open({ handle }, client)).rejects.toMatchObject({ code: 'FILE_NOT_CHOSEN' });
      // Only absolute paths are granted: a relative one would depend on main's working folder.
      expect(() => grants.grant(client, 'mine.txt')).toThrow(/not chosen/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
