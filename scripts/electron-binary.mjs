// Electron's program files (its binary), shared by `npm start` and `npm run install-electron`:
// where they are, and fetching them with electron's own install.js. That script prints a raw
// stack trace when the download fails, so callers say what failed in one line of their own.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** What to do when the download failed. */
export const INSTALL_ELECTRON_ADVICE = 'Connect to the internet and run `npm run install-electron` (or `npm install` again)';

/** The folder of the installed `electron` package; undefined when npm has not installed it. */
export function electronPackageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The Electron executable when its program files are in place, else undefined. */
export function locateElectron(packageDir) {
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

/**
 * Downloads, verifies and unpacks Electron's program files with electron's install.js (it does
 * nothing when they are there). Resolves to { ok } or { ok: false, reason } with the reason in
 * a few words, e.g. "fetch failed".
 */
export function downloadElectron(packageDir) {
  const install = spawnSync(process.execPath, [join(packageDir, 'install.js')], { encoding: 'utf8', timeout: 600_000 });
  if (install.status === 0) return { ok: true };
  if (install.error) return { ok: false, reason: install.error.code === 'ETIMEDOUT' ? 'it took longer than 10 minutes' : install.error.message };
  // The first line of its stack trace, without the error's class: "TypeError: fetch failed".
  const firstLine = (install.stderr ?? '').trim().split('\n')[0] ?? '';
  return { ok: false, reason: firstLine.replace(/^\w*Error: /, '') || `install.js exited with ${install.status ?? install.signal}` };
}
