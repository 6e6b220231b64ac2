import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST = `${ROOT}dist/`;
export const ENGINE_ENTRY = `${DIST}engine/engine.mjs`;
export const CLI_BIN = `${ROOT}bin/kokoro-reader.js`;
export const RENDERER_DIR = `${DIST}renderer`;
export const IMPORT_WORKER = `${DIST}import/import-worker.mjs`;

/** Engine, CLI and browser tests run the built bundles, as users do; `npm test` builds first. */
export function requireBuild(): void {
  for (const file of [ENGINE_ENTRY, IMPORT_WORKER, `${DIST}cli/cli.js`, `${RENDERER_DIR}/index.html`]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm test does it) before these tests.`);
  }
}
