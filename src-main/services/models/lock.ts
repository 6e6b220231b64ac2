/**
 * One writer per model folder: the app and the CLI may both try to download, and two
 * processes appending to the same `.partial` file would corrupt it.
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors/catalogue';

export const LOCK_FILE = '.download.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (thrown) {
    // EPERM: the process exists but belongs to someone else.
    return (thrown as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(String(process.pid));
    } finally {
      await handle.close();
    }
    return true;
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw thrown;
  }
}

/** Runs `work` holding the folder's lock; a lock left by a process that died is taken over. */
export async function withFolderLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const path = join(dir, LOCK_FILE);
  if (!(await tryCreate(path))) {
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw AppError.of('DOWNLOAD_IN_PROGRESS', pid === process.pid ? '' : `(process ${pid})`, { pid });
    }
    await rm(path, { force: true });
    if (!(await tryCreate(path))) throw AppError.of('DOWNLOAD_IN_PROGRESS');
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
