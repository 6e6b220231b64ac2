import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN } from '../../src-main/electron/app-main';
import { GRANT_DROPPED_FILE } from '../../src-main/electron/file-channels';
import type { FileGrant, LibraryEntry, OpenedDocument, ReaderApi } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/ipc/result';
import { describeError } from '../../src-shared/errors/catalogue';
import type { FakeBrowserWindow, createFakeElectron } from './fake-electron';
import { startFakeMain } from './fake-main';

let fake: ReturnType<typeof createFakeElectron>;
let win: FakeBrowserWindow;
const dir = mkdtempSync(join(tmpdir(), 'kokoro-file-access-'));
const dataDir = join(dir, 'data');
const book = join(dir, 'Chosen Book.md');
const secret = join(dir, 'id_rsa');

beforeAll(async () => {
  writeFileSync(book, '# Chosen\n\nThe user picked this one.\n');
  writeFileSync(secret, 'PRIVATE KEY. Not for reading aloud.\n');
  // A model folder, so the models channels are served (an empty one: nothing is installed).
  ({ fake, win } = await startFakeMain({ dataDir, modelDir: join(dir, 'models') }));
});

afterAll(() => {
  fake?.app.emit('will-quit');
  rmSync(dir, { recursive: true, force: true });
});

const fromPage = () => ({ sender: win.webContents, senderFrame: { url: `${APP_ORIGIN}/index.html` } });
async function request<T>(channel: string, params: unknown): Promise<Result<T>> {
  const handler = fake.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler(fromPage(), params)) as Result<T>;
}
const codeOf = (result: Result<unknown>): string => (result.ok ? 'ok' : result.error.code);
const recentTitles = async (): Promise<string[]> => {
  const recent = await request<LibraryEntry[]>('library:recent', null);
  if (!recent.ok) throw new Error(recent.error.message);
  return recent.value.map((entry) => entry.title);
};

/** The preload, loaded in our window with the renderer side of the fake electron; its `window.api`. */
async function loadPreload(): Promise<ReaderApi> {
  const preload = fake.preloadIn(win);
  vi.resetModules();
  vi.doMock('electron', () => preload.module);
  // The preload waits for the page's load event to hand over the audio port.
  vi.stubGlobal('addEventListener', () => undefined);
  await import('../../src-main/electron/preload');
  return preload.exposed.get('api') as ReaderApi;
}

describe('which files a window may open (fake electron)', () => {
  it('refuses a path the user never chose, with a catalogue error, and stores nothing in the library', async () => {
    for (const params of [{ path: secret }, { path: '/etc/passwd' }, { path: secret, name: 'notes.txt' }, { handle: 'h', path: secret }]) {
      const result = await request<OpenedDocument>('document:open', params);
      expect(codeOf(result), JSON.stringify(params)).toBe('INVALID_REQUEST');
      if (!result.ok) expect(result.error.message).toContain('paths are not accepted');
    }
    // A handle main never issued (a guess, or one from another session) names no file.
    const forged = await request<OpenedDocument>('document:open', { handle: '00000000-0000-4000-8000-000000000000' });
    if (forged.ok) throw new Error('a forged handle opened a file');
    expect(forged.error.code).toBe('FILE_NOT_CHOSEN');
    expect(describeError(forged.error)).toContain('Open it with Open… or drop it on the window');
    expect(await recentTitles()).toEqual([]);
  });

  it('opens the file chosen in the file dialog by the handle main gives for it, shown on the asking window', async () => {
    fake.userPicks.push([book]);
    const chosen = await request<FileGrant | null>('dialog:open', null);
    if (!chosen.ok || !chosen.value) throw new Error(`no file chosen: ${JSON.stringify(chosen)}`);
    expect(chosen.value.name).toBe('Chosen Book.md');
    expect(chosen.value.handle).not.toContain(dir);
    expect(fake.dialogs.at(-1)?.window).toBe(win);
    expect(fake.dialogs.at(-1)?.options.properties).toEqual(['openFile']);
    expect(fake.dialogs.at(-1)?.options.filters?.[0]?.extensions).toEqual(expect.arrayContaining(['md', 'txt', 'epub', 'pdf', 'docx', 'html']));

    const opened = await request<OpenedDocument>('document:open', { handle: chosen.value.handle });
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.value.chapters.map((c) => c.title)).toEqual(['Chosen']);
    expect(opened.value.libraryId).toBeDefined();
    // The library tells the window the file's name, never where it is.
    const recent = await request<LibraryEntry[]>('library:recent', null);
    if (!recent.ok) throw new Error(recent.error.message);
    expect(recent.value.map((entry) => entry.fileName)).toEqual(['Chosen Book.md']);
    expect(JSON.stringify(recent.value)).not.toContain(dir);
  });

  it('answers null when the user cancels the dialog', async () => {
    fake.userPicks.push([]);
    expect(await request('dialog:open', null)).toEqual({ ok: true, value: null });
  });

  it('reopens a library document by its id (main knows its file); an unknown id is DOCUMENT_NOT_FOUND', async () => {
    const recent = await request<LibraryEntry[]>('library:recent', null);
    const entry = recent.ok ? recent.value[0] : undefined;
    if (!entry) throw new Error('nothing in the library');
    const reopened = await request<OpenedDocument>('document:open', { documentId: entry.documentId });
    expect(reopened.ok && reopened.value.title).toBe('Chosen');
    expect(codeOf(await request('document:open', { documentId: entry.documentId + 1000 }))).toBe('DOCUMENT_NOT_FOUND');
  });

  it('says by name only, never by folder, that a library document\'s file has gone', async () => {
    const moved = join(dir, 'Moved Book.md');
    writeFileSync(moved, '# Moved\n\nIt was here.');
    fake.userPicks.push([moved]);
    const chosen = await request<FileGrant | null>('dialog:open', null);
    if (!chosen.ok || !chosen.value) throw new Error('no file chosen');
    const opened = await request<OpenedDocument>('document:open', { handle: chosen.value.handle });
    if (!opened.ok || opened.value.libraryId === undefined) throw new Error('not in the library');
    rmSync(moved);
    const gone = await request('document:open', { documentId: opened.value.libraryId });
    if (gone.ok) throw new Error('a deleted file opened');
    expect(gone.error.code).toBe('FILE_NOT_FOUND');
    expect(gone.error.message).toContain('Moved Book.md');
    expect(JSON.stringify(gone.error)).not.toContain(dir);
  });

  it('grants a dropped file through the preload (webUtils.getPathForFile), and nothing the page makes up', async () => {
    const api = await loadPreload();
    if (!api.grantFile) throw new Error('the preload offers no grantFile');
    const titlesBefore = (await recentTitles()).sort();
    const dropped = await api.grantFile(fake.webUtils.userFile(book, '# Chosen'));
    if (!dropped.ok) throw new Error(dropped.error.message);
    expect(dropped.value.name).toBe('Chosen Book.md');
    const opened = await api.invoke('document:open', { handle: dropped.value.handle });
    expect(opened.ok && opened.value.title).toBe('Chosen');

    // A File the page constructs has no path on disk, whatever its name says.
    const madeUp = await api.grantFile(new File(['x'], secret));
    expect(codeOf(madeUp)).toBe('FILE_NOT_CHOSEN');
    expect(codeOf(await api.grantFile(secret))).toBe('FILE_NOT_CHOSEN');
    // The grant channel is main's and the preload's only: the page's invoke cannot reach it.
    const direct = await api.invoke(GRANT_DROPPED_FILE as 'dialog:open', null);
    expect(codeOf(direct)).toBe('UNKNOWN_METHOD');
    expect((await recentTitles()).sort()).toEqual(titlesBefore);
  });

  it('grants a dropped file only when it is a regular file of a kind the app opens, and says what is wrong otherwise', async () => {
    const api = await loadPreload();
    if (!api.grantFile) throw new Error('the preload offers no grantFile');
    const shelf = join(dir, 'Shelf.epub');
    mkdirSync(shelf);
    const program = join(dir, 'setup.exe');
    writeFileSync(program, 'MZ');
    const bare = join(dir, 'README');
    writeFileSync(bare, 'Plain words, but no extension.');
    const refusals: Array<[path: string, code: string, says: RegExp]> = [
      [shelf, 'PATH_IS_FOLDER', /folder, not a file/],
      [program, 'UNSUPPORTED_FORMAT', /setup\.exe is a \.exe file/],
      [bare, 'UNSUPPORTED_FORMAT', /README is a file without an extension/],
      [join(dir, 'gone.md'), 'FILE_NOT_FOUND', /could not be found/],
    ];
    const socketServer = createServer();
    if (process.platform !== 'win32') {
      const pipe = join(dir, 'pipe.txt');
      execFileSync('mkfifo', [pipe]);
      const socket = join(dir, 'socket.md');
      await new Promise<void>((resolve) => socketServer.listen(socket, resolve));
      refusals.push([pipe, 'NOT_A_REGULAR_FILE', /pipe\.txt is a named pipe/], [socket, 'NOT_A_REGULAR_FILE', /socket\.md is a socket/], ['/dev/null', 'NOT_A_REGULAR_FILE', /null is a device/]);
    }
    try {
      for (const [path, code, says] of refusals) {
        const result = await api.grantFile(fake.webUtils.userFile(path, ''));
        if (result.ok) throw new Error(`${path} was granted`);
        expect(result.error.code, path).toBe(code);
        expect(describeError(result.error), path).toMatch(says);
        expect(JSON.stringify(result.error), path).not.toContain(dir);
      }
    } finally {
      socketServer.close();
    }
  });

  it('takes no folder path for installing a model: a window gets the folder the user picks in main\'s dialog, never one it names', async () => {
    const api = await loadPreload();
    const refused = await api.invoke('models:import', { folder: dir });
    expect(codeOf(refused)).toBe('FOLDER_PATH_REFUSED');
  });

  it('takes grants only from our own page', async () => {
    const handler = fake.handlers.get(GRANT_DROPPED_FILE);
    const result = (await handler?.({ sender: win.webContents, senderFrame: { url: 'https://evil.example/' } }, secret)) as Result<FileGrant>;
    expect(codeOf(result)).toBe('FORBIDDEN_SENDER');
  });
});
