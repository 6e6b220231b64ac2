import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DocumentService } from '../../src-main/services/document-service';
import type { ClientContext } from '../../src-main/services/reader-service';
import { IMPORT_WORKER, requireBuild } from '../helpers/paths';

const client: ClientContext = { id: 'c1', emit: () => undefined };

describe('document service', () => {
  it('opens bytes under the user-given name, never writing outside its private folder', async () => {
    requireBuild();
    const service = new DocumentService(IMPORT_WORKER);
    const document = await service.open({ name: '../../../evil name?.txt', bytes: new TextEncoder().encode('Just a line of text.') }, client);
    expect(document.title).toMatch(/^evil name_?$/);
    expect(document.chapters[0]?.text).toBe('Just a line of text.');
    expect(existsSync(join(tmpdir(), '..', 'evil name?.txt'))).toBe(false);
  });

  it('records opened documents through the library hook and returns the saved position', async () => {
    const seen: (string | null)[] = [];
    const service = new DocumentService(IMPORT_WORKER, (_doc, path) => {
      seen.push(path);
      return { documentId: 7, position: { chapterIndex: 0, sentenceIndex: 2, charOffset: 30 } };
    });
    const document = await service.open({ name: 'notes.md', bytes: new TextEncoder().encode('# A\n\nB.') }, client);
    expect(document.libraryId).toBe(7);
    expect(document.position).toEqual({ chapterIndex: 0, sentenceIndex: 2, charOffset: 30 });
    // Bytes have no lasting path: the library keeps the document by its content.
    expect(seen).toEqual([null]);
  });

  it('refuses a request with neither a path nor bytes', async () => {
    await expect(new DocumentService(IMPORT_WORKER).open({ name: 'x.txt' }, client)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
