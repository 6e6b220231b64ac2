import type { Electron, MainHandle, MainOptions, MainPaths } from '../../src-main/electron/app-main';
import { startMain } from '../../src-main/electron/app-main';
import { ENGINE_ENTRY, IMPORT_WORKER, RENDERER_DIR, requireBuild } from '../helpers/paths';
import { FakeBrowserWindow, createFakeElectron } from './fake-electron';
import type { FakeElectronOptions } from './fake-electron';

/** Main started on a fake electron with the built engine and import worker, and its first window. */
export async function startFakeMain(paths: Partial<MainPaths> = {}, options: FakeElectronOptions = {}, mainOptions: MainOptions = {}): Promise<{ fake: ReturnType<typeof createFakeElectron>; main: MainHandle; win: FakeBrowserWindow }> {
  requireBuild();
  const fake = createFakeElectron(options);
  const main = startMain(fake.electron as unknown as Electron, { rendererDir: RENDERER_DIR, preload: '/app/preload.cjs', engineEntry: ENGINE_ENTRY, importWorker: IMPORT_WORKER, ...paths }, '0.1.0', mainOptions);
  // Main opens its window once the app is ready: a resolved promise in the fake.
  await new Promise((r) => setTimeout(r, 0));
  const win = FakeBrowserWindow.instances.at(-1);
  if (!win) throw new Error('main created no window');
  return { fake, main, win };
}
