// Entry of the Electron main process (bundled to dist/main/main.cjs).
import * as electron from 'electron';
import { join } from 'node:path';
import { startMain } from './app-main';

startMain(electron, {
  rendererDir: join(__dirname, '../renderer'),
  preload: join(__dirname, '../preload/preload.cjs'),
  engineEntry: join(__dirname, '../engine/engine.mjs'),
}, electron.app.getVersion());
