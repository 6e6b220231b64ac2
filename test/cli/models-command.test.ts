import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuild } from '../helpers/paths';

beforeAll(() => requireBuild());

function cli(args: string[], home: string) {
  const run = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_DATA_HOME: home } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('kokoro-reader models import', () => {
  it('fails with one line when the folder holds no model file', () => {
    const home = mkdtempSync(join(tmpdir(), 'kokoro-models-cli-'));
    const source = join(home, 'downloads');
    mkdirSync(source);
    writeFileSync(join(source, 'notes.txt'), 'not a model file');
    const run = cli(['models', 'import', source, '--model-dir', join(home, 'models')], home);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^kokoro-reader: No Kokoro model files were found in that folder\. \(.*downloads\) /);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).not.toMatch(/not in that folder/);
    expect(existsSync(join(home, 'models', 'config.json'))).toBe(false);
  });
});
