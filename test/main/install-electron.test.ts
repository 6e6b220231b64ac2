import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_PACKAGE_DIR, offlineElectronEnv } from '../helpers/electron';
import { ROOT } from '../helpers/paths';

describe('npm run install-electron', () => {
  it('says in one line what failed and what to do when the download fails, and installs nothing', () => {
    const temp = mkdtempSync(join(tmpdir(), 'kokoro-install-electron-'));
    const before = readdirSync(ELECTRON_PACKAGE_DIR);
    const run = spawnSync(process.execPath, ['scripts/install-electron.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: offlineElectronEnv(temp, { emptyDist: true }) });
    expect(run.status).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Could not download Electron's program files \(.+\)\. Connect to the internet and run `npm run install-electron`/);
    expect(readdirSync(ELECTRON_PACKAGE_DIR)).toEqual(before);
    expect(existsSync(join(temp, 'dist'))).toBe(false);
    expect(existsSync(join(temp, 'cache')) ? readdirSync(join(temp, 'cache'), { recursive: true }).filter((f) => String(f).endsWith('.zip')) : []).toEqual([]);
  });
});
