/**
 * Vitest global setup: every run gets a temporary folder of its own, and TMPDIR points there for
 * the test workers and every process they start (engines, the CLI, Chromium). So no test can
 * pass or fail because of what an earlier run left in a shared temp path; the folder goes at
 * the end of the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RUN_DIR_VARIABLE = 'KOKORO_TEST_RUN_DIR';

export function setup(): () => void {
  // Each test project runs the global setup: the first one makes the folder, the others use it
  // (a nested folder would make paths too long for Chromium's sockets).
  if (process.env[RUN_DIR_VARIABLE]) return () => undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kokoro-reader-test-run-'));
  process.env[RUN_DIR_VARIABLE] = dir;
  // os.tmpdir() reads TMPDIR on POSIX and TMP/TEMP on Windows.
  process.env.TMPDIR = dir;
  process.env.TMP = dir;
  process.env.TEMP = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
