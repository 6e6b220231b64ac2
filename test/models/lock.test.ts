import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { LOCK_FILE, withFolderLock } from '../../src-main/services/models/lock';
import { deadPid, livePid } from '../helpers/processes';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kr-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lockPath = (): string => join(dir, LOCK_FILE);

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (thrown) {
    return thrown instanceof AppError ? thrown.code : String(thrown);
  }
  return undefined;
}

describe('model folder lock', () => {
  it('holds {pid, token} while working, refuses a second holder, and leaves no files behind', async () => {
    const seen = await withFolderLock(dir, async () => {
      const holder = JSON.parse(await readFile(lockPath(), 'utf8')) as { pid: number; token: string };
      expect(await codeOf(withFolderLock(dir, async () => 'second'))).toBe('DOWNLOAD_IN_PROGRESS');
      return holder;
    });
    expect(seen).toEqual({ pid: process.pid, token: expect.any(String) });
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock left by a dead process', async () => {
    await writeFile(lockPath(), JSON.stringify({ pid: deadPid(), token: 'crashed' }));
    expect(await withFolderLock(dir, async () => 'ran')).toBe('ran');
    expect(existsSync(lockPath())).toBe(false);
  });

  it('treats a lock with this process id but a token it does not hold as stale (pid reuse)', async () => {
    await writeFile(lockPath(), JSON.stringify({ pid: process.pid, token: 'from-an-earlier-process' }));
    expect(await withFolderLock(dir, async () => 'ran')).toBe('ran');
    // The older format, just the pid.
    await writeFile(lockPath(), String(process.pid));
    expect(await withFolderLock(dir, async () => 'ran again')).toBe('ran again');
  });

  it('clears a break file left by a process that died while taking over a lock', async () => {
    await writeFile(lockPath(), JSON.stringify({ pid: deadPid(), token: 'crashed' }));
    await writeFile(`${lockPath()}.break`, JSON.stringify({ pid: deadPid(), token: 'crashed-breaker' }));
    expect(await withFolderLock(dir, async () => 'ran')).toBe('ran');
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives way while a live caller is taking over a stale lock', async () => {
    await writeFile(lockPath(), JSON.stringify({ pid: deadPid(), token: 'crashed' }));
    await writeFile(`${lockPath()}.break`, JSON.stringify({ pid: livePid(), token: 'breaking' }));
    expect(await codeOf(withFolderLock(dir, async () => 'ran'))).toBe('DOWNLOAD_IN_PROGRESS');
  });

  it('removes the lock at the end only while it still carries its own token', async () => {
    const other = JSON.stringify({ pid: livePid(), token: 'someone-else' });
    await withFolderLock(dir, async () => {
      await writeFile(lockPath(), other);
    });
    expect(await readFile(lockPath(), 'utf8')).toBe(other);
  });

  it('lets exactly one of two callers take over the same stale lock', async () => {
    await writeFile(lockPath(), JSON.stringify({ pid: deadPid(), token: 'crashed' }));
    let inside = 0;
    let most = 0;
    const work = async (): Promise<void> => {
      most = Math.max(most, ++inside);
      await new Promise((r) => setTimeout(r, 30));
      inside--;
    };
    // Eight callers: with fewer, the interleavings that once let two in (a live lock moved
    // aside by a late caller) hardly ever happen.
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => withFolderLock(dir, work)));
    expect(most).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('DOWNLOAD_IN_PROGRESS');
    expect(await readdir(dir)).toEqual([]);
  });
});
