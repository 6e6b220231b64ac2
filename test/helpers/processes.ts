import { spawnSync } from 'node:child_process';

/** Whether a process exists: the app's own check (signal 0; EPERM counts as alive). */
export { processAlive } from '../../src-main/platform/process-alive';

/** The pid of a process that has exited (a child that ran and ended), so no live process has it. */
export function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (!pid) throw new Error('no child pid');
  return pid;
}

/** The pid of a process that outlives the test: the test runner that started this worker. */
export function livePid(): number {
  return process.ppid;
}
