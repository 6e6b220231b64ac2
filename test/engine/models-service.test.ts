import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('says in plain words what an incomplete folder lacks, and takes no folder path from the window (importing is the CLI’s)', async () => {
    const dir = mkdtempSync(join(root, 'import-'));
    let installed = 0;
    const service = new ModelService({ dir, manifest: fixtureManifest(), onInstalled: () => Promise.resolve(void installed++) });
    const doctor = await service.handlers['models:doctor'](null, recordingClient('w'));
    expect(doctor.ok).toBe(false);
    expect(doctor.problems.join('\n')).toContain('vocab.json (or config.json): missing');
    const refused = await dispatch(service.handlers, 'models:import', { path: source }, recordingClient('w'));
    expect(refused.ok ? 'ok' : refused.error.code).toBe('UNKNOWN_METHOD');
    expect(readdirSync(dir)).toEqual([]);
    expect(installed).toBe(0);
  });
});
