/**
 * Whether a process with this id exists (for lock files and temporary files named after their
 * writer). Signal 0 checks existence only; EPERM means it exists under another user.
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
