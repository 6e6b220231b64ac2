// Entry of the Electron main process (bundled to dist/main/main.cjs).
import * as electron from 'electron';
import { join } from 'node:path';
import { appPaths } from './app-paths';
import { startMain } from './app-main';

// The lock comes before anything opens the library: a second instance only hands over to the
// first (which gets 'second-instance') and quits, leaving the database alone.
if (electron.app.requestSingleInstanceLock()) {
  startMain(electron, appPaths(join(__dirname, '..')), electron.app.getVersion());
} else {
  electron.app.quit();
}
