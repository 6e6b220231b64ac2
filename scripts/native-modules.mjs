// better-sqlite3 is a native module, built for one ABI at a time: Node's for the tests and the
// CLI, Electron's for the app. These helpers tell which one is in node_modules and switch it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** True when better-sqlite3 loads in this Node (so it is built for Node, not Electron). */
export function sqliteBuiltForNode() {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { encoding: 'utf8' });
  return probe.status === 0;
}

/** Rebuilds better-sqlite3 for this Node (after `npm start` or packaging built it for Electron). */
export function rebuildSqliteForNode() {
  process.stderr.write('Rebuilding better-sqlite3 for Node (it was built for Electron)…\n');
  return spawnSync('npm', ['rebuild', 'better-sqlite3'], { stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;
}

/** Rebuilds better-sqlite3 for the installed Electron (needs network for Electron's headers). */
export function rebuildSqliteForElectron() {
  process.stderr.write("Rebuilding better-sqlite3 for Electron (first start only)…\n");
  const cli = require.resolve('electron-builder/cli.js');
  return spawnSync(process.execPath, [cli, 'install-app-deps'], { stdio: 'inherit' }).status === 0;
}
