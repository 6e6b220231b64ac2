import { join } from 'node:path';
import { cacheDirIn, defaultDataDir, defaultModelDir } from '../services/paths';
import type { PlatformContext } from '../services/paths';
import type { MainPaths } from './app-main';

/**
 * Where the app finds its built parts (beside `dist/main`) and keeps the user's files: one data
 * folder, shared with the CLI, holds the library, the audio cache, the models and the engine's
 * caches, so that nothing is left in Electron's `userData` folder.
 */
export function appPaths(distDir: string, context: PlatformContext = {}): Required<MainPaths> {
  const dataDir = defaultDataDir(context);
  return {
    rendererDir: join(distDir, 'renderer'),
    preload: join(distDir, 'preload', 'preload.cjs'),
    engineEntry: join(distDir, 'engine', 'engine.mjs'),
    importWorker: join(distDir, 'import', 'import-worker.mjs'),
    // The same folders the CLI uses, so `kokoro-reader models download` installs for the app too.
    modelDir: defaultModelDir(context),
    dataDir,
    cacheDir: cacheDirIn(dataDir, context),
  };
}
