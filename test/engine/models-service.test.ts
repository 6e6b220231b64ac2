import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ModelService } from '../../src-main/services/models-service';
import { parseManifest } from '../../src-main/services/models';
import type { ClientContext } from '../../src-main/services/handlers';
import { dispatch } from '../../src-main/services/router';
import type { PushMap } from '../../src-shared/ipc/contract';
import { writeKokoroFixture } from '../helpers/kokoro-fixtures';
import { ROOT } from '../helpers/paths';
import { FixtureServer } from '../models/fixture-server';

const REV = '0123456789abcdef0123456789abcdef01234567';
let server: FixtureServer;
let root: string;
let source: string;

/** A manifest of the fixture model's files (sizes known, checksums not), served from `server`. */
function fixtureManifest() {
  return parseManifest({
    schemaVersion: 1,
    id: 'fixture',
    description: 'the test model',
    files: readdirSync(source).map((name) => ({
      name,
      role: name,
      format: name.endsWith('.tflite') ? 'tflite' : name.endsWith('.json') ? 'json' : 'float32',
      revision: REV,
      url: server.url(`/${REV}/${name}`),
      size: readFileSync(join(source, name)).length,
      sha256: null,
    })),
  });
}

function recordingClient(id: string): ClientContext & { progress: PushMap['models:progress'][] } {
  const progress: PushMap['models:progress'][] = [];
  return {
    id,
    progress,
    emit(event, data) {
      if (event === 'models:progress') progress.push(data as PushMap['models:progress']);
    },
  };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kokoro-models-service-'));
  source = mkdtempSync(join(root, 'source-'));
  writeKokoroFixture(source, 'descriptive');
  copyFileSync(join(ROOT, '..', 'shared', 'kokoro', 'vocab.json'), join(source, 'vocab.json'));
  server = new FixtureServer();
  await server.start();
  for (const name of readdirSync(source)) server.serve(`/${REV}/${name}`, readFileSync(join(source, name)));
});

// A test whose download was cancelled before it asked for a file leaves that file's fault
// queued; the next test's first request would take it (a stall after 10 bytes, not its own 16).
afterEach(() => server.clearFaults());

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the model service (the window’s models:* channels)', () => {
  it('downloads with progress to the asking window, then has the engine load the model', async () => {
    const dir = mkdtempSync(join(root, 'download-'));
    let installed = 0;
    const service = new ModelService({ dir, manifest: fixtureManifest(), onInstalled: () => Promise.resolve(void installed++) });
    const client = recordingClient('w1');
    expect((await service.overview()).kokoro).toBe('absent');
    const result = await dispatch(service.handlers, 'models:download', null, client);
    expect(result.ok).toBe(true);
    expect(installed).toBe(1);
    expect((await service.overview()).kokoro).toBe('installed');
    // Each file's end reached the window, whatever the throttling of byte counts.
    expect(client.progress.filter((p) => p.phase === 'done').map((p) => p.file).sort()).toEqual(readdirSync(source).sort());
    expect((await service.doctor()).ok).toBe(true);
  });

  it('runs one operation at a time, cancels the asking window’s, and loads nothing after a cancel', async () => {
    const dir = mkdtempSync(join(root, 'cancel-'));
    let installed = 0;
    const service = new ModelService({ dir, manifest: fixtureManifest(), onInstalled: () => Promise.resolve(void installed++) });
    const first = recordingClient('w1');
    const other = recordingClient('w2');
    // The first file stalls, so the download is still running when the others ask.
    const [firstFile] = readdirSync(source).sort();
    server.fault(`/${REV}/${firstFile}`, { kind: 'stall', after: 10 });
    const running = dispatch(service.handlers, 'models:download', null, first);
    await expect.poll(() => first.progress.length).toBeGreaterThan(0);
    const second = await dispatch(service.handlers, 'models:download', null, other);
    expect(second.ok ? 'ok' : second.error.code).toBe('DOWNLOAD_IN_PROGRESS');
    expect(await dispatch(service.handlers, 'models:cancel', null, other)).toEqual({ ok: true, value: { cancelled: false } });
    expect(await dispatch(service.handlers, 'models:cancel', null, first)).toEqual({ ok: true, value: { cancelled: true } });
    const cancelled = await running;
    expect(cancelled.ok ? 'ok' : cancelled.error.code).toBe('DOWNLOAD_CANCELLED');
    expect(installed).toBe(0);
    expect((await service.overview()).kokoro).toBe('absent');
  });

  it('says in plain words what an incomplete folder lacks, and imports from a typed full path when there is no folder dialog', async () => {
    const dir = mkdtempSync(join(root, 'import-'));
    let installed = 0;
    const service = new ModelService({ dir, manifest: fixtureManifest(), onInstalled: () => Promise.resolve(void installed++) });
    const doctor = await service.handlers['models:doctor'](null, recordingClient('w'));
    expect(doctor.ok).toBe(false);
    expect(doctor.problems.join('\n')).toContain('vocab.json (or config.json): missing');
    const relative = await dispatch(service.handlers, 'models:import', { folder: 'kokoro' }, recordingClient('w'));
    expect(relative.ok ? 'ok' : relative.error.code).toBe('FOLDER_PATH_NEEDED');
    expect(relative.ok ? '' : relative.error.message).toContain('“kokoro” is not a full path');
    const imported = await dispatch(service.handlers, 'models:import', { folder: source }, recordingClient('w'));
    expect(imported).toMatchObject({ ok: true, value: { complete: true } });
    expect(installed).toBe(1);
    expect((await service.overview()).kokoro).toBe('installed');
  });

  it('in the app, imports only the folder chosen in the dialog, never a path the page names', async () => {
    const dir = mkdtempSync(join(root, 'import-dialog-'));
    const asked: string[] = [];
    let answer: string | undefined = undefined;
    const service = new ModelService({
      dir,
      manifest: fixtureManifest(),
      onInstalled: () => Promise.resolve(),
      chooseFolder: (client) => Promise.resolve(void asked.push(client.id)).then(() => answer),
    });
    const named = await dispatch(service.handlers, 'models:import', { folder: source }, recordingClient('w'));
    expect(named.ok ? 'ok' : named.error.code).toBe('FOLDER_PATH_REFUSED');
    expect(readdirSync(dir)).toEqual([]);
    // The dialog cancelled: nothing happens.
    expect(await dispatch(service.handlers, 'models:import', null, recordingClient('w'))).toEqual({ ok: true, value: null });
    answer = source;
    const imported = await dispatch(service.handlers, 'models:import', null, recordingClient('w'));
    expect(imported).toMatchObject({ ok: true, value: { complete: true } });
    expect(asked).toEqual(['w', 'w']);
  });

  it('pauses (the partial download stays, and the next download resumes it) and cancels (the partial download goes)', async () => {
    const dir = mkdtempSync(join(root, 'pause-'));
    const service = new ModelService({ dir, manifest: fixtureManifest(), onInstalled: () => Promise.resolve() });
    const client = recordingClient('w1');
    const [firstFile = ''] = readdirSync(source).sort();
    const path = `/${REV}/${firstFile}`;
    server.fault(path, { kind: 'stall', after: 16 });
    const running = dispatch(service.handlers, 'models:download', null, client);
    const partialSize = async () => (await service.overview()).files.find((f) => f.name === firstFile)?.partialSize;
    await expect.poll(partialSize).toBe(16);
    expect(await dispatch(service.handlers, 'models:cancel', null, client)).toEqual({ ok: true, value: { cancelled: true } });
    await running;
    expect(await partialSize()).toBe(16);
    // Cancel after a pause: nothing runs, the partial file is removed.
    expect(await dispatch(service.handlers, 'models:cancel', { discard: true }, client)).toEqual({ ok: true, value: { cancelled: false } });
    expect(await partialSize()).toBeNull();
    // Paused again, then resumed: the second request asks only for the rest.
    server.fault(path, { kind: 'stall', after: 16 });
    const before = server.requestsFor(path).length;
    const again = dispatch(service.handlers, 'models:download', null, client);
    await expect.poll(() => server.requestsFor(path).length).toBe(before + 1);
    await expect.poll(partialSize).toBe(16);
    await dispatch(service.handlers, 'models:cancel', null, client);
    await again;
    const resumed = await dispatch(service.handlers, 'models:download', null, client);
    expect(resumed.ok).toBe(true);
    expect(server.requestsFor(path).at(-1)?.range).toBe('bytes=16-');
    expect((await service.overview()).kokoro).toBe('installed');
  });
});
