// Entry of the Electron main process (bundled to dist/main/main.cjs).
import * as electron from 'electron';
import { join } from 'node:path';
import { appPaths } from './app-paths';
import { startMain } from './app-main';

startMain(electron, appPaths(join(__dirname, '..')), electron.app.getVersion());
