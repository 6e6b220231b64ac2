import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { withFileNameOnly } from '../../src-main/services/import/file-errors';

describe('errors for the window name a file, never its folder', () => {
  it('replaces the path by the file name and drops the folder elsewhere in the message', () => {
    const error = withFileNameOnly(AppError.of('FILE_UNREADABLE', '(/home/ann/books/Moby.epub: open /home/ann/books/other failed in /home/ann/books)'), '/home/ann/books/Moby.epub');
    expect((error as AppError).code).toBe('FILE_UNREADABLE');
    expect((error as AppError).message).toContain('(Moby.epub: open other failed in …)');
    expect((error as AppError).message).not.toContain('/home/ann');
  });

  it('leaves the rest of the message alone for a file at the root of the disk', () => {
    const error = withFileNameOnly(AppError.of('FILE_NOT_FOUND', '(/notes.md and/or its copy)'), '/notes.md');
    expect((error as AppError).message).toContain('(notes.md and/or its copy)');
  });
});
