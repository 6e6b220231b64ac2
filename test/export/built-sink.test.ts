import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { probe, requireFfmpeg } from './audio-tools';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = join(ROOT, 'test/export/sink-child.mjs');

interface ChildResult {
  paths?: string[];
  code?: string | null;
  message?: string;
  left: string[];
}

let bundles: { cjs: string; esm: string };

/**
 * The sink as scripts/build.mjs bundles the app: esbuild with `packages: 'external'`, as
 * CommonJS (main.cjs) and as an ES module (the CLI). Dependencies load from node_modules.
 */
beforeAll(async () => {
  requireFfmpeg();
  const dir = mkdtempSync(join(tmpdir(), 'kokoro-bundle-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const common: BuildOptions = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', packages: 'external', entryPoints: [join(ROOT, 'src-main/services/export/audio-sink.ts')] };
  bundles = { cjs: join(dir, 'audio-sink.cjs'), esm: join(dir, 'audio-sink.mjs') };
  await build({ ...common, outfile: bundles.cjs, format: 'cjs' });
  await build({ ...common, outfile: bundles.esm, format: 'esm' });
});

function runChild(args: string[], limit?: number): ChildResult {
  const command = limit === undefined ? [process.execPath, CHILD, ...args] : ['prlimit', `--fsize=${limit}`, process.execPath, CHILD, ...args];
  const output = execFileSync(command[0]!, command.slice(1), { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1)!) as ChildResult;
}

describe('the sink from the built bundles', () => {
  for (const kind of ['cjs', 'esm'] as const) {
    it(`encodes every format from the ${kind} bundle (the AAC encoder's worker thread included)`, () => {
      for (const format of ['m4b', 'mp3', 'opus', 'flac', 'wav']) {
        const dir = mkdtempSync(join(tmpdir(), 'kokoro-built-'));
        const outPath = join(dir, `book.${format}`);
        const result = runChild([bundles[kind], format, outPath, '2']);
        expect(result, format).toEqual({ paths: [outPath], left: [`book.${format}`] });
        if (format === 'm4b' || format === 'mp3') expect(probe(outPath).chapters.map((chapter) => chapter.tags?.title)).toEqual(['One', 'Two – Über']);
      }
    });
  }
});

describe('a full disk', () => {
  it('gives OUTPUT_DISK_FULL and leaves nothing, for every format (the file size limit of prlimit --fsize: EFBIG)', () => {
    try {
      execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error('prlimit is not installed: install util-linux to run this test');
    }
    for (const format of ['m4b', 'mp3', 'opus', 'flac', 'wav']) {
      const dir = mkdtempSync(join(tmpdir(), 'kokoro-full-'));
      mkdirSync(join(dir, 'out'));
      // 30 s is 240 KB of M4B or MP3, 120 KB of Opus: all pass the 64 KB limit.
      const result = runChild([bundles.esm, format, join(dir, 'out', `book.${format}`), '30'], 64 * 1024);
      expect(result, format).toMatchObject({ code: 'OUTPUT_DISK_FULL', left: [] });
    }
  });
});
