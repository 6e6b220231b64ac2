// Builds every part of the app into dist/: main, preload and engine with esbuild, the CLI,
// and the renderer with Vite. Fast enough to run before every test run and every start.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { cp, rm } from 'node:fs/promises';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Dependencies load from node_modules at run time (native modules and wasm data files must).
  packages: 'external',
};

await rm('dist', { recursive: true, force: true });
await Promise.all([
  esbuild({ ...common, entryPoints: ['src-main/electron/main.ts'], outfile: 'dist/main/main.cjs', format: 'cjs', external: ['electron'] }),
  // The sandboxed preload can require only 'electron': everything else is bundled in.
  esbuild({ ...common, packages: undefined, entryPoints: ['src-main/electron/preload.ts'], outfile: 'dist/preload/preload.cjs', format: 'cjs', external: ['electron'] }),
  esbuild({ ...common, entryPoints: ['src-main/processes/engine-process.ts'], outfile: 'dist/engine/engine.mjs', format: 'esm' }),
  esbuild({ ...common, entryPoints: ['src-main/cli/cli.ts'], outfile: 'dist/cli/cli.js', format: 'esm' }),
  // Documents are parsed in a worker thread so the app's main process never blocks on a big file.
  esbuild({ ...common, entryPoints: ['src-main/services/import/import-worker.ts'], outfile: 'dist/import/import-worker.mjs', format: 'esm' }),
  viteBuild({ configFile: 'vite.config.ts' }),
]);
// The neural G2P's weights ship with the app (the engine finds them beside its bundle).
await cp('models/g2p', 'dist/models/g2p', { recursive: true, filter: (src) => !src.endsWith('.md') });
