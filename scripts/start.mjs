// `npm start`: build, make sure Electron's binary is present, then launch the app.
// Electron 45+ downloads its binary on first launch; when that fails (no network) this says
// so in one line instead of a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { rebuildSqliteForElectron, sqliteBuiltForNode } from './native-modules.mjs';

const require = createRequire(import.meta.url);

function fatal(line) {
  process.stderr.write(`Kokoro Reader cannot start: ${line}\n`);
  process.exit(1);
}

/** The Electron executable, downloading it first if it is missing; undefined when it cannot be had. */
function electronBinary() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    fatal('the `electron` package is not installed. Run `npm install`, then `npm start`.');
  }
  const located = () => {
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) return undefined;
    const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  };
  if (located()) return located();
  process.stderr.write("Downloading Electron's program files (first start only)…\n");
  const install = spawnSync(process.execPath, [join(packageDir, 'install.js')], { encoding: 'utf8', timeout: 600_000 });
  return install.status === 0 ? located() : undefined;
}

const skipBuild = process.argv.includes('--no-build');
if (!skipBuild) {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) fatal('the build failed (see the messages above).');
}

const binary = electronBinary();
if (!binary) {
  fatal(
    "Electron's program files are missing and could not be downloaded (is this computer offline?). " +
      'Connect to the internet and run `npx install-electron`, or `npm install` again, then `npm start`.',
  );
}

// The app's library needs better-sqlite3 built for Electron; the tests need Node's build.
if (sqliteBuiltForNode() && !rebuildSqliteForElectron()) {
  process.stderr.write('Could not rebuild better-sqlite3 for Electron: the app will start, but without its library (nothing is remembered).\n');
}

const child = spawn(binary, ['.'], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
