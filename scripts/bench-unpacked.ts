/**
 * Start-up cost of the packaged app's check of its unpacked files: npx tsx scripts/bench-unpacked.ts
 *
 * Lists this project's unpacked files as packaging does (electron-builder.yml asarUnpack, the
 * production packages), copies them into a temporary app.asar.unpacked, and prints the number of
 * files, their size and the time verifyUnpacked takes over them (the median of 5 runs).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createUnpackedManifest, verifyUnpacked } from '../src-main/platform/unpacked-integrity';
import { listUnpackedFiles, productionPackageDirs } from './unpacked-manifest';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { asarUnpack } = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { asarUnpack: string[] };
const files = listUnpackedFiles(root, asarUnpack, productionPackageDirs(root));
const manifest = createUnpackedManifest(root, files);
const unpacked = mkdtempSync(join(tmpdir(), 'kr-bench-unpacked-'));
try {
  for (const file of files) cpSync(join(root, file), join(unpacked, file));
  const bytes = files.reduce((sum, file) => sum + statSync(join(root, file)).size, 0);
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const start = process.hrtime.bigint();
    const verdict = verifyUnpacked(unpacked, manifest);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (!verdict.ok) throw new Error(verdict.error.message);
  }
  const median = times.sort((a, b) => a - b)[2] ?? 0;
  console.log(`unpacked files: ${files.length}, ${(bytes / 1e6).toFixed(1)} MB`);
  console.log(`verifyUnpacked: ${median.toFixed(0)} ms (median of 5; runs ${times.map((t) => t.toFixed(0)).join(', ')} ms)`);
} finally {
  rmSync(unpacked, { recursive: true, force: true });
}
