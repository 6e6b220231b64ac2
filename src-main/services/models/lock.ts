/**
 * One writer per model folder: the app and the CLI may both try to download, and two
 * processes appending to the same `.partial` file would corrupt it.
 *
 * The lock file holds `{"pid":…,"token":…}`. It is written to a temporary file first and
 * linked into place, so it is never seen empty or half-written. A lock whose process is gone is
 * removed by one caller at a time (the one holding the `.break` file), and only while it is
 * still the lock judged stale; then every caller races to create a fresh one, which exactly one
 * wins. A holder removes the lock only while it still carries its own token.
 */
import { randomUUID } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/errors/catalogue';
import { processAlive } from '../../platform/process-alive';

export const LOCK_FILE = '.download.lock';

/** Tokens of the locks this process holds: a lock with our pid but another token is stale. */
const heldTokens = new Set<string>();

interface Holder {
  pid: number;
  token: string;
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as { pid?: unknown; token?: unknown } | null;
    const pid = value?.pid;
    if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0 && typeof value?.token === 'string') return { pid, token: value.token };
  } catch {
    // Not JSON: an older app wrote just the pid.
  }
  const pid = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  return pid > 0 ? { pid, token: '' } : undefined;
}

/** The lock's text, or undefined when there is no lock file. */
async function readLock(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw thrown;
  }
}

function holderAlive(holder: Holder | undefined): boolean {
  if (!holder) return false;
  // Our own pid: a process that died earlier had it too, unless this process holds the lock.
  if (holder.pid === process.pid) return heldTokens.has(holder.token);
  return processAlive(holder.pid);
}

/** Creates the lock atomically (complete or not at all); false if one exists. */
async function tryCreate(path: string, token: string): Promise<boolean> {
  const temp = `${path}.${token}.tmp`;
  await writeFile(temp, JSON.stringify({ pid: process.pid, token }), { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw thrown;
  } finally {
    await rm(temp, { force: true });
  }
}

async function acquire(path: string, token: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreate(path, token)) return;
    const text = await readLock(path);
    if (text === undefined) continue; // released meanwhile
    const holder = parseHolder(text);
    if (holder && holderAlive(holder)) {
      throw AppError.of('DOWNLOAD_IN_PROGRESS', holder.pid === process.pid ? '' : `(process ${holder.pid})`, { pid: holder.pid });
    }
    await removeStaleLock(path, text, token);
  }
  throw AppError.of('DOWNLOAD_IN_PROGRESS');
}

/**
 * Removes the lock whose text was judged stale. Checking and removing are two steps, so only
 * the holder of the break file takes them: nobody else can replace the lock in between (its
 * dead holder will not, and creating fails while it exists). A caller that finds another
 * breaking the lock gives way: the lock is about to be taken.
 */
async function removeStaleLock(path: string, staleText: string, token: string): Promise<void> {
  const breaker = `${path}.break`;
  if (!(await tryCreate(breaker, token))) {
    const otherText = await readLock(breaker);
    if (otherText === undefined) return; // finished meanwhile: try again
    const other = parseHolder(otherText);
    if (other && holderAlive(other)) throw AppError.of('DOWNLOAD_IN_PROGRESS');
    // Left by a process that died while breaking a lock: clear it and try again.
    await rm(breaker, { force: true });
    return;
  }
  try {
    if ((await readLock(path)) === staleText) await rm(path, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

/** Runs `work` holding the folder's lock; a lock left by a process that died is taken over. */
export async function withFolderLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const path = join(dir, LOCK_FILE);
  const token = randomUUID();
  // Held from before the lock appears, so a concurrent caller here never judges it stale.
  heldTokens.add(token);
  try {
    await acquire(path, token);
  } catch (thrown) {
    heldTokens.delete(token);
    throw thrown;
  }
  try {
    return await work();
  } finally {
    heldTokens.delete(token);
    const text = await readLock(path).catch(() => undefined);
    if (text !== undefined && parseHolder(text)?.token === token) await rm(path, { force: true });
  }
}
