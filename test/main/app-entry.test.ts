import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths } from '../../src-main/electron/app-paths';

describe('the app entry', () => {
  it('keeps the library, the audio cache, the models and the engine caches in one data folder', () => {
    const linux = appPaths('/opt/kokoro/dist', { platform: 'linux', env: { XDG_DATA_HOME: '/data' }, home: '/home/u' });
    expect(linux).toMatchObject({ dataDir: '/data/kokoro-reader', modelDir: '/data/kokoro-reader/models', cacheDir: '/data/kokoro-reader/cache' });
    const windows = appPaths('C:\\kokoro\\dist', { platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, home: 'C:\\Users\\u' });
    expect(windows.cacheDir).toBe('C:\\Users\\u\\AppData\\Roaming\\Kokoro Reader\\cache');
    expect(linux.engineEntry).toBe(join('/opt/kokoro/dist', 'engine', 'engine.mjs'));
    expect(linux.rendererDir).toBe(join('/opt/kokoro/dist', 'renderer'));
  });
});
