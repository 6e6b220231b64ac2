import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Whether a process with this id exists (for lock files and temporary files named after their
 * writer). Signal 0 checks existence only; EPERM means it exists under another user. A pid means
 * this only where it was taken: see `pidScope`.
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    return (thrown as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let scope: string | undefined;

/**
 * Names where this process's pid means this process: the host, and on Linux the PID namespace
 * (containers on one host may share a host name, not their pids). A file named with another
 * scope's pid was written by a process that `processAlive` cannot see, whatever it answers.
 * Safe in a file name: letters, digits and `-` only.
 */
export function pidScope(): string {
  if (scope === undefined) {
    const host = hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';
    const namespace = pidNamespace();
    scope = namespace === undefined ? host : `${host}-${namespace}`;
  }
  return scope;
}

/** The PID namespace's inode on Linux (`pid:[4026531836]`); undefined elsewhere. */
function pidNamespace(): string | undefined {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
  } catch {
    return undefined;
  }
}
