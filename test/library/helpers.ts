import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';

/** A fresh folder per call, removed after the test (chattr'd files are released first by the test). */
export function useTempDirs(): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'kr-library-'));
    made.push(dir);
    return dir;
  };
}

/** A clock the test moves by hand, so "recent" and "updated" orderings are exact. */
export function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms?: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms = 1000) => void (t += ms) };
}

/** The AppError `fn` throws (anything else thrown fails the test, as does not throwing). */
export function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (thrown) {
    if (thrown instanceof AppError) return thrown;
    throw thrown;
  }
  throw new Error('expected an AppError');
}

export { testAudio } from './fixtures';
