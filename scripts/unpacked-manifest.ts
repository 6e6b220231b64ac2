/**
 * Packaging step: the SHA-256 list of the files electron-builder unpacks from the asar
 * (electron-builder.yml `asarUnpack`), written into dist/ so that it is packed inside the asar and
 * covered by its integrity check. The app checks the unpacked folder against it at start
 * (src-main/platform/unpacked-integrity.ts). Run by scripts/after-extract.mjs.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { globSync } from 'tinyglobby';
import { UNPACKED_MANIFEST_FILE, createUnpackedManifest } from '../src-main/platform/unpacked-integrity';
import type { UnpackedManifest } from '../src-main/platform/unpacked-integrity';

/**
 * The files of the app that `patterns` unpack, relative to `projectDir`: those in dist/ and in the
 * production packages (`packageDirs`, absolute), as electron-builder packs them; dev packages are
 * not in the app.
 */
export function listUnpackedFiles(projectDir: string, patterns: readonly string[], packageDirs: readonly string[]): string[] {
  const roots = [join(projectDir, 'dist'), ...packageDirs];
  const files = new Set<string>();
  for (const root of roots) {
    // A package's own dependencies are roots of their own (or dev ones, left out).
    const found = globSync([...patterns], { cwd: root, dot: true, onlyFiles: true, ignore: ['node_modules/**'] });
    for (const file of found) files.add(relative(projectDir, join(root, file)));
  }
  return [...files];
}

/** The production packages' folders, as npm resolves them (the project's own folder excluded). */
export function productionPackageDirs(projectDir: string): string[] {
  // npm ls exits with 1 for the stubbed transformers override ("invalid"), yet lists the tree.
  const listed = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: projectDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], shell: process.platform === 'win32' });
  const dirs = (listed.stdout ?? '').split('\n').filter((line) => line && line !== projectDir);
  if (listed.error || dirs.length === 0) throw new Error(`npm ls listed no production packages in ${projectDir}: run npm ci first.`);
  return [...new Set(dirs)];
}

/** Writes the manifest into dist/ before electron-builder packs the app. */
export function writeUnpackedManifest(projectDir: string, patterns: readonly string[]): UnpackedManifest {
  const manifest = createUnpackedManifest(projectDir, listUnpackedFiles(projectDir, patterns, productionPackageDirs(projectDir)));
  writeFileSync(join(projectDir, UNPACKED_MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}
