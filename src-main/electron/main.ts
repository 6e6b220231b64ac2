// Entry of the Electron main process (bundled to dist/main/main.cjs).
import * as electron from 'electron';
import { join } from 'node:path';
import { defaultDataDir, defaultModelDir } from '../services/paths';
import { startMain } from './app-main';

startMain(
  electron,
  {
    rendererDir: join(__dirname, '../renderer'),
    preload: join(__dirname, '../preload/preload.cjs'),
    engineEntry: join(__dirname, '../engine/engine.mjs'),
    importWorker: join(__dirname, '../import/import-worker.mjs'),
    // The same folder the CLI uses, so `kokoro-reader models download` installs for the app too.
    modelDir: defaultModelDir(),
    dataDir: defaultDataDir(),
    cacheDir: join(electron.app.getPath('userData'), 'cache'),
  },
  electron.app.getVersion(),
);
