import { join } from 'node:path';
import { ROOT } from './paths';

export const ELECTRON_PACKAGE_DIR = join(ROOT, 'node_modules', 'electron');

/**
 * An environment in which Electron's install script cannot download anything: the mirror is a
 * closed port on this machine, the download cache an empty folder of the test's own, and no
 * npm or package.json setting can point elsewhere (they win over ELECTRON_MIRROR). With
 * `emptyDist`, an Electron already installed here is ignored, so the download is tried.
 */
export function offlineElectronEnv(tempDir: string, options: { emptyDist?: boolean } = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_config_electron_|npm_package_config_electron_|electron_)/i.test(name)));
  return {
    ...env,
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    electron_config_cache: join(tempDir, 'cache'),
    ELECTRON_GET_NO_PROGRESS: '1',
    ...(options.emptyDist ? { ELECTRON_OVERRIDE_DIST_PATH: join(tempDir, 'dist') } : {}),
  };
}
