import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src-main/services/app-services';
import type { AppServices } from '../../src-main/services/app-services';
import type { ClientContext } from '../../src-main/services/handlers';
import { dispatch } from '../../src-main/services/router';
import { childProcessTransport } from '../../src-main/services/engine/child-process-transport';
import type { AppInfo } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/ipc/result';
import { ENGINE_ENTRY, IMPORT_WORKER, requireBuild } from '../helpers/paths';

let services: AppServices | undefined;
const dirs: string[] = [];
afterEach(() => {
  services?.dispose();
  services = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const client: ClientContext = { id: 'c', emit: () => undefined };

function start(dataDir: string): AppServices {
  requireBuild();
  services = createAppServices({ engineTransport: childProcessTransport(ENGINE_ENTRY, { stderr: 'ignore' }), importWorker: IMPORT_WORKER, version: 'test', dataDir, log: () => undefined });
  return services;
}

describe('app services with a library', () => {
  it('keeps working with a fresh library when the old one is not a database, tells the user, and keeps the damaged file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-services-'));
    dirs.push(dataDir);
    writeFileSync(join(dataDir, 'library.sqlite3'), 'this is not an SQLite database, just some words '.repeat(200));
    const app = start(dataDir);
    const info = (await dispatch(app.handlers, 'app:info', null, client)) as Result<AppInfo>;
    expect(info.ok).toBe(true);
    if (info.ok) expect(info.value.notices?.join(' ')).toMatch(/library/i);
    // Nothing is lost: the damaged file is kept aside, and the fresh library works.
    expect(readdirSync(dataDir).some((name) => name.startsWith('library.sqlite3.') && name !== 'library.sqlite3')).toBe(true);
    const prefs = await dispatch(app.handlers, 'prefs:set', { speed: 1.25 }, client);
    expect(prefs).toMatchObject({ ok: true, value: { speed: 1.25 } });
  });

  it('answers prefs and positions for unknown documents with catalogue errors', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kokoro-services-'));
    dirs.push(dataDir);
    const app = start(dataDir);
    const saved = await dispatch(app.handlers, 'library:position', { documentId: 999, chapterIndex: 0, sentenceIndex: 0, charOffset: 0 }, client);
    expect(saved).toMatchObject({ ok: false, error: { code: 'DOCUMENT_NOT_FOUND' } });
    const override = await dispatch(app.handlers, 'prefs:set', { documentId: 999, speed: 1.1 }, client);
    expect(override).toMatchObject({ ok: false, error: { code: 'DOCUMENT_NOT_FOUND' } });
  });
});
