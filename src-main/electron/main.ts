// Entry of the Electron main process (bundled to dist/main/main.cjs).
import * as electron from 'electron';
import { join } from 'node:path';
import { appPaths } from './app-paths';
import { checkInstalledFiles, startMain } from './app-main';

// The lock comes before anything opens the library: a second instance only hands over to the
// first (which gets 'second-instance') and quits, leaving the database alone. The installed files
// are checked before the library or the engine loads any of them.
if (!electron.app.requestSingleInstanceLock()) {
  electron.app.quit();
} else if (checkInstalledFiles(electron)) {
  startMain(electron, appPaths(join(__dirname, '..')), electron.app.getVersion());
}
