import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { RUN_DIR_VARIABLE } from '../helpers/run-temp-dir';

describe('test isolation', () => {
  it('gives this run its own temporary folder, in the workers and in the processes they start', () => {
    const runDir = process.env[RUN_DIR_VARIABLE];
    expect(runDir).toMatch(/kokoro-reader-test-run-/);
    expect(tmpdir()).toBe(runDir);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], { encoding: 'utf8' });
    expect(child.stdout).toBe(runDir);
  });
});
