/**
 * Per-user folders of the app, computed without Electron (services run in plain Node, where
 * `app.getPath` does not exist). The app and the CLI use the same data folder.
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export const APP_DIR_NAME = 'Kokoro Reader';
/** Linux convention: lower-case, no spaces, under the XDG data folder. */
export const APP_DIR_NAME_LINUX = 'kokoro-reader';

export interface PlatformContext {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/**
 * The per-user data folder:
 * Linux and other Unix: $XDG_DATA_HOME/kokoro-reader, else ~/.local/share/kokoro-reader;
 * macOS: ~/Library/Application Support/Kokoro Reader; Windows: %APPDATA%\Kokoro Reader.
 */
export function defaultDataDir(context: PlatformContext = {}): string {
  const platform = context.platform ?? process.platform;
  const env = context.env ?? process.env;
  const home = context.home ?? homedir();
  if (platform === 'win32') {
    const appData = env.APPDATA;
    return win32.join(appData && win32.isAbsolute(appData) ? appData : win32.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return posix.join(xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.local', 'share'), APP_DIR_NAME_LINUX);
}

function joinFor(context: PlatformContext): (...parts: string[]) => string {
  return ((context.platform ?? process.platform) === 'win32' ? win32 : posix).join;
}

/** Where model files go unless the app or `--model-dir` says otherwise. */
export function defaultModelDir(context: PlatformContext = {}): string {
  return joinFor(context)(defaultDataDir(context), 'models');
}

/** Files the engine can rebuild (the LiteRT loader copy): in the data folder too, so it stays one folder. */
export function cacheDirIn(dataDir: string, context: PlatformContext = {}): string {
  return joinFor(context)(dataDir, 'cache');
}
