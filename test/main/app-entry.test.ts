import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appPaths } from '../../src-main/electron/app-paths';
import { LIBRARY_FILE } from '../../src-main/services/library/index';
import { defaultDataDir } from '../../src-main/services/paths';
import { UNPACKED_MANIFEST_FILE, createUnpackedManifest } from '../../src-main/platform/unpacked-integrity';
import { FakeInstanceLock, createFakeElectron } from './fake-electron';

type FakeElectron = ReturnType<typeof createFakeElectron>;

let dir: string;
const savedEnv = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kokoro-entry-'));
});
afterEach(() => {
  vi.doUnmock('electron');
  vi.resetModules();
  process.env = { ...savedEnv };
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the app's entry (src-main/electron/main.ts) as one instance, with its own per-user folders. */
async function startInstance(fake: FakeElectron, home: string): Promise<string> {
  process.env = { ...savedEnv, HOME: home, XDG_DATA_HOME: join(home, 'data'), APPDATA: join(home, 'appdata') };
  vi.doMock('electron', () => fake.electron);
  vi.resetModules();
  await import('../../src-main/electron/main');
  return defaultDataDir();
}

describe('the app entry', () => {
  it('keeps the library, the audio cache, the models and the engine caches in one data folder', () => {
    const linux = appPaths('/opt/kokoro/dist', { platform: 'linux', env: { XDG_DATA_HOME: '/data' }, home: '/home/u' });
    expect(linux).toMatchObject({ dataDir: '/data/kokoro-reader', modelDir: '/data/kokoro-reader/models', cacheDir: '/data/kokoro-reader/cache' });
    const windows = appPaths('C:\\kokoro\\dist', { platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home: 'C:\\Users\\u' });
    expect(windows.cacheDir).toBe('C:\\Users\\u\\AppData\\Roaming\\Kokoro Reader\\cache');
    expect(linux.engineEntry).toBe(join('/opt/kokoro/dist', 'engine', 'engine.mjs'));
    expect(linux.rendererDir).toBe(join('/opt/kokoro/dist', 'renderer'));
  });

  it('a second instance hands over to the first, opens no database and quits', async () => {
    const lock = new FakeInstanceLock();
    // Not ready: the first instance opens its library at once, and starts no engine in this test.
    const first = createFakeElectron({ instanceLock: lock, ready: false });
    const firstData = await startInstance(first, join(dir, 'first'));
    try {
      expect(first.app.hasSingleInstanceLock()).toBe(true);
      expect(existsSync(join(firstData, LIBRARY_FILE))).toBe(true);
      expect(first.handlers.size).toBeGreaterThan(0);

      const second = createFakeElectron({ instanceLock: lock, ready: false });
      const handedOver = new Promise<unknown[]>((resolve) => first.app.once('second-instance', (...args: unknown[]) => resolve(args)));
      const secondData = await startInstance(second, join(dir, 'second'));
      expect(second.app.quitCalled).toBe(true);
      expect(existsSync(secondData)).toBe(false);
      expect(second.handlers.size).toBe(0);
      expect(second.forked).toHaveLength(0);
      expect(second.app.listenerCount('will-quit')).toBe(0);
      const [, argv, workingDirectory] = await handedOver;
      expect(argv).toEqual(process.argv);
      expect(workingDirectory).toBe(process.cwd());
    } finally {
      first.app.emit('will-quit');
    }
  });

  it('a packaged app whose unpacked files were changed says so and opens nothing', async () => {
    const appPath = join(dir, 'resources', 'app.asar');
    const unpacked = join(`${appPath}.unpacked`, 'node_modules', 'native');
    mkdirSync(unpacked, { recursive: true });
    writeFileSync(join(unpacked, 'native.node'), 'as packaged');
    const manifest = createUnpackedManifest(`${appPath}.unpacked`, ['node_modules/native/native.node']);
    mkdirSync(join(appPath, 'dist'), { recursive: true });
    writeFileSync(join(appPath, UNPACKED_MANIFEST_FILE), JSON.stringify(manifest));
    writeFileSync(join(unpacked, 'native.node'), 'replaced');
    const fake = createFakeElectron({ packaged: true, appPath, ready: false });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const data = await startInstance(fake, join(dir, 'home'));
      expect(fake.errorBoxes.map((box) => box.content)).toEqual([expect.stringContaining('(node_modules/native/native.node has been changed) Reinstall Kokoro Reader')]);
      expect(fake.app.exitCode).toBe(1);
      expect(existsSync(data)).toBe(false);
      expect(fake.handlers.size).toBe(0);
      expect(fake.privileged).toEqual([]);
    } finally {
      stderr.mockRestore();
    }
  });
});
