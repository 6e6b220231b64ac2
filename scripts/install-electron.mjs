// `npm run install-electron`: fetches Electron's program files, as electron's own
// `npx install-electron` does, but says in one line what failed instead of a stack trace.
import { INSTALL_ELECTRON_ADVICE, downloadElectron, electronPackageDir, locateElectron } from './electron-binary.mjs';

function fail(line) {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

const packageDir = electronPackageDir();
if (!packageDir) fail('The `electron` package is not installed. Run `npm install` first.');
process.stdout.write("Installing Electron's program files (downloaded once)…\n");
const result = downloadElectron(packageDir);
if (!result.ok) fail(`Could not download Electron's program files (${result.reason}). ${INSTALL_ELECTRON_ADVICE}.`);
const binary = locateElectron(packageDir);
process.stdout.write(binary ? `Electron is installed: ${binary}\n` : 'Electron is installed.\n');
