import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths';

const electronDir = join(ROOT, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');
const binaryPresent = existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));

describe('npm start', () => {
  // Where Electron's binary could be downloaded, start would open the app instead; this checks the offline case.
  it.skipIf(binaryPresent)('says in one line what is wrong when the Electron binary is missing', () => {
    const run = spawnSync(process.execPath, ['scripts/start.mjs', '--no-build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^Kokoro Reader cannot start: Electron's program files are missing .* `npx install-electron`/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(lines.length).toBeLessThanOrEqual(2);
  });
});
