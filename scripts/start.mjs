// `npm start`: build, make sure Electron's binary is present, then launch the app.
// Electron 45+ downloads its binary on first launch; when that fails (no network) this says
// so in one line instead of a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { INSTALL_ELECTRON_ADVICE, downloadElectron, electronPackageDir, locateElectron } from './electron-binary.mjs';
import { rebuildSqliteForElectron, sqliteBuiltForNode } from './native-modules.mjs';

function fatal(line) {
  process.stderr.write(`Kokoro Reader cannot start: ${line}\n`);
  process.exit(1);
}

/** The Electron executable, downloading it first if it is missing; fatal when it cannot be had. */
function electronBinary() {
  const packageDir = electronPackageDir();
  if (!packageDir) fatal('the `electron` package is not installed. Run `npm install`, then `npm start`.');
  const present = locateElectron(packageDir);
  if (present) return present;
  process.stderr.write("Downloading Electron's program files (first start only)…\n");
  const download = downloadElectron(packageDir);
  const binary = download.ok ? locateElectron(packageDir) : undefined;
  if (!binary) {
    const why = download.ok ? 'they are not where the download put them' : `they could not be downloaded: ${download.reason}`;
    fatal(`Electron's program files are missing and ${why}. ${INSTALL_ELECTRON_ADVICE}, then \`npm start\`.`);
  }
  return binary;
}

const skipBuild = process.argv.includes('--no-build');
if (!skipBuild) {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) fatal('the build failed (see the messages above).');
}

const binary = electronBinary();

// The app's library needs better-sqlite3 built for Electron; the tests need Node's build.
if (sqliteBuiltForNode() && !rebuildSqliteForElectron()) {
  process.stderr.write('Could not rebuild better-sqlite3 for Electron: the app will start, but without its library (nothing is remembered).\n');
}

const child = spawn(binary, ['.'], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
