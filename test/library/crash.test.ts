import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorData } from '../../src-shared/errors/catalogue';
import { AudioCache } from '../../src-main/services/library';
import { CRASH_CACHE_BYTES, crashEntry, crashKey } from './crash-writer';
import { useTempDirs } from './helpers';

const tempDir = useTempDirs();
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRITER_SOURCE = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const ROUNDS = 20;
const PER_ROUND = 1000;
let writer: string[] = [];

// The writer is the same TypeScript source, bundled once: `node --import tsx` works too, but
// costs ~0.4 s of compile per start, 20 times, on shared cores.
const bundleDir = mkdtempSync(join(tmpdir(), 'kr-crash-writer-'));
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));
beforeAll(async () => {
  const out = join(bundleDir, 'crash-writer.mjs');
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  await build({
    entryPoints: [WRITER_SOURCE],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins: [{ name: 'native', setup: (b) => b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: sqlite, external: true })) }],
  });
  writer = [out];
});

/** Starts the writer, waits until it is writing, lets it run a random while, then SIGKILLs it. */
async function writeAndKill(dataDir: string, round: number, delayMs: number): Promise<{ signal: NodeJS.Signals | null; finished: boolean }> {
  const child = spawn(process.execPath, [...writer, dataDir, String(round * PER_ROUND), String(round * PER_ROUND + PER_ROUND - 1)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('writing')) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`writer exited (${code}) before writing: ${stderr}`)));
  });
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  const { signal } = await exited;
  expect(stderr).not.toMatch(/problem/);
  return { signal, finished: stdout.includes('done') };
}

describe('audio cache: crash safety', () => {
  it(`survives SIGKILL at random moments (${ROUNDS} rounds): the file checks out and no entry returns wrong audio`, async () => {
    const dataDir = tempDir();
    const expectedByKey = new Map<string, number>();
    for (let n = 0; n < ROUNDS * PER_ROUND; n++) expectedByKey.set(crashKey(n), n);
    let killedMidWrite = 0;
    let entriesChecked = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const { signal, finished } = await writeAndKill(dataDir, round, Math.floor(Math.random() * 120));
      if (signal === 'SIGKILL' && !finished) killedMidWrite++;

      const problems: ErrorData[] = [];
      const cache = AudioCache.open({ dataDir, maxBytes: CRASH_CACHE_BYTES, onProblem: (p) => problems.push(p) });
      // Opened after a kill: the unclean shutdown was noticed and integrity_check said ok
      // (a failing check would have set the file aside and reported DATABASE_CORRUPT).
      expect(cache.db.report.problem, `round ${round}`).toBeUndefined();
      if (!finished) expect(cache.db.report).toMatchObject({ uncleanShutdown: true, integrityChecked: true });
      expect(cache.db.connection.pragma('integrity_check', { simple: true })).toBe('ok');

      const keys = cache.db.connection.prepare('SELECT key FROM entries').pluck().all() as string[];
      for (const key of keys) {
        const n = expectedByKey.get(key);
        expect(n, 'an entry under a key the writer never used').toBeDefined();
        const got = cache.get(key);
        const want = crashEntry(n ?? -1);
        expect(got, `entry ${n} after round ${round}`).toBeDefined();
        expect(got?.samples.length).toBe(want.samples.length);
        expect(Buffer.from(got?.samples.buffer ?? new ArrayBuffer(0)).equals(Buffer.from(want.samples.buffer))).toBe(true);
        expect(got?.sentences).toEqual(want.sentences);
        expect(got?.tokenSpans).toEqual(want.tokenSpans);
        entriesChecked++;
      }
      expect(problems, `round ${round}`).toEqual([]);
      const totals = cache.stats();
      expect(totals.entries).toBe(keys.length);
      expect(totals.bytes).toBe(Number(cache.db.connection.prepare('SELECT coalesce(sum(bytes), 0) FROM entries').pluck().get()));
      cache.close();
    }
    expect(killedMidWrite).toBeGreaterThanOrEqual(ROUNDS / 2);
    expect(entriesChecked).toBeGreaterThan(0);
  }, 180_000);
});
