import { beforeEach, describe, expect, it } from 'vitest';
import type { ModelsOverview } from '../../src-shared/ipc/contract';
import type { ModelFileStatus, ModelProgress } from '../../src-shared/models/types';
import { fail } from '../../src-shared/ipc/result';
import { formatDuration, formatSize, ModelsStore } from './models.svelte';
import { StatusStore } from './status.svelte';
import { FakeApi } from './testing/fake-api';

function file(name: string, overrides: Partial<ModelFileStatus> = {}): ModelFileStatus {
  return {
    name,
    role: name,
    path: `/models/${name}`,
    state: 'missing',
    present: false,
    verified: false,
    size: null,
    expectedSize: null,
    approxSize: null,
    partialSize: null,
    checksumKnown: false,
    sha256: null,
    problem: null,
    ...overrides,
  };
}

function progress(overallBytes: number, overallTotal = 100_000_000): ModelProgress {
  return { file: 'a.tflite', fileIndex: 0, fileCount: 2, phase: 'downloading', fileBytes: overallBytes, fileTotal: overallTotal, overallBytes, overallTotal, overallTotalExact: true };
}

let api: FakeApi;
let overview: ModelsOverview;
let clock: number;
let installedCalls: number;
let store: ModelsStore;
let status: StatusStore;
/** Settles the pending `models:download` as the service does when it ends. */
let finishDownload: (outcome: 'done' | 'cancelled') => void;

beforeEach(() => {
  clock = 0;
  installedCalls = 0;
  overview = { dir: '/models', kokoro: 'absent', files: [file('a.tflite', { approxSize: 236_000_000 }), file('b.bin', { expectedSize: 880 })] };
  api = new FakeApi()
    .answer('models:list', () => overview)
    .answer(
      'models:download',
      () =>
        new Promise((resolve) => {
          finishDownload = (outcome) => resolve(outcome === 'done' ? { dir: '/models', downloaded: ['a.tflite', 'b.bin'], skipped: [], bytesTransferred: 1 } : fail('DOWNLOAD_CANCELLED'));
        }),
    )
    .answer('models:cancel', (params) => {
      if (params?.discard) overview = { ...overview, files: overview.files.map((f) => ({ ...f, partialSize: null })) };
      else overview = { ...overview, kokoro: 'incomplete', files: overview.files.map((f, i) => (i === 0 ? { ...f, state: 'partial', partialSize: 40_000_000 } : f)) };
      finishDownload('cancelled');
      return { cancelled: true };
    });
  status = new StatusStore(api);
  store = new ModelsStore({ api, status, onInstalled: () => Promise.resolve(void installedCalls++), now: () => clock });
});

describe('the models store (installing Kokoro from the window)', () => {
  it('offers the download with its size from the manifest (exact sizes where known, else approximate)', async () => {
    expect(store.available).toBe(false);
    await store.load();
    expect(store.available).toBe(true);
    expect(store.installed).toBe(false);
    expect(store.downloadSize).toBe(236_000_880);
    expect(formatSize(store.downloadSize)).toBe('236 MB');
    expect([formatSize(12_345_678), formatSize(4_200)]).toEqual(['12.3 MB', '4 kB']);
    expect(store.paused).toBe(false);
  });

  it('measures the speed and the time left from the progress events', async () => {
    await store.load();
    const running = store.download();
    expect(store.activity).toBe('downloading');
    api.push('models:progress', progress(0));
    expect(store.bytesPerSecond).toBeUndefined();
    clock = 1000;
    api.push('models:progress', progress(2_000_000));
    clock = 2000;
    api.push('models:progress', progress(4_000_000));
    expect(store.bytesPerSecond).toBe(2_000_000);
    expect(store.secondsLeft).toBe(48);
    expect(formatDuration(store.secondsLeft ?? 0)).toBe('48 s');
    overview = { ...overview, kokoro: 'installed' };
    finishDownload('done');
    await running;
    expect(store.activity).toBe('idle');
    expect(store.installed).toBe(true);
    // The engine has the model: the voices are listed again, once.
    expect(installedCalls).toBe(1);
    expect(store.outcome).toContain('installed and ready');
  });

  it('pauses: the partial download stays, and resuming downloads again (the service continues the partial file)', async () => {
    await store.load();
    const running = store.download();
    api.push('models:progress', progress(40_000_000));
    await store.pause();
    await running;
    expect(api.paramsOf('models:cancel')).toEqual([null]);
    expect(store.activity).toBe('idle');
    expect(store.paused).toBe(true);
    // A pause is not a failure.
    expect(store.error).toBeUndefined();
    expect(store.outcome).toBe('Download paused.');
    const resumed = store.download();
    expect(store.activity).toBe('downloading');
    expect(api.paramsOf('models:download')).toHaveLength(2);
    overview = { ...overview, kokoro: 'installed', files: overview.files.map((f) => ({ ...f, state: 'verified', present: true, partialSize: null })) };
    finishDownload('done');
    await resumed;
    expect(store.paused).toBe(false);
    expect(installedCalls).toBe(1);
  });

  it('cancels: what arrived is removed, and the offer comes back', async () => {
    await store.load();
    const running = store.download();
    api.push('models:progress', progress(10_000_000));
    await store.cancel();
    await running;
    expect(api.paramsOf('models:cancel')).toEqual([{ discard: true }]);
    expect(store.paused).toBe(false);
    expect(store.progress).toBeUndefined();
    expect(store.outcome).toBe('Download cancelled.');
    expect(installedCalls).toBe(0);
  });

  it('imports from a typed folder, saying what was refused and what is still missing', async () => {
    api.answer('models:import', () => ({
      ok: false,
      complete: false,
      files: [
        { name: 'a.tflite', outcome: 'copied', source: '/x/a.tflite', error: null },
        { name: 'b.bin', outcome: 'rejected', source: '/x/b.bin', error: { code: 'CHECKSUM_MISMATCH', message: 'A model file is damaged.' } },
      ],
    }));
    await store.load();
    await store.importFolder('/x');
    expect(api.paramsOf('models:import')).toEqual([{ folder: '/x' }]);
    expect(store.outcome).toContain('Imported 1 file.');
    expect(store.outcome).toContain('b.bin was refused: A model file is damaged.');
    expect(installedCalls).toBe(0);
  });

  it('shows why an import failed, and a cancelled folder dialog changes nothing', async () => {
    api.answer('models:import', (params) => (params?.folder ? fail('FOLDER_PATH_NEEDED', '(“kokoro” is not a full path)') : null));
    await store.load();
    await store.importFolder('kokoro');
    expect(store.error?.code).toBe('FOLDER_PATH_NEEDED');
    await store.importFolder();
    expect(store.error).toBeUndefined();
    expect(store.outcome).toBe('');
  });

  it('loads the precision main keeps, shows a change at once, and puts it back with the reason when main refuses it', async () => {
    let kept: 'exact' | 'fast' = 'fast';
    api.answer('models:settings', () => ({ precision: kept })).answer('models:configure', (params) => ({ precision: (kept = params.precision) }));
    await store.load();
    expect(store.precision).toBe('fast');
    await store.setPrecision('exact');
    expect(store.precision).toBe('exact');
    expect(api.paramsOf('models:configure')).toEqual([{ precision: 'exact' }]);

    api.answer('models:configure', () => fail('INVALID_REQUEST', '(models:configure: precision: must be "exact" or "fast")'));
    const change = store.setPrecision('fast');
    expect(store.precision).toBe('fast');
    await change;
    expect(store.precision).toBe('exact');
    expect(status.error?.code).toBe('INVALID_REQUEST');
  });
});
