import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src-shared/audio/wav';
import type { ImportedDocument } from '../../src-shared/document/model';
import { makeEpub } from '../import/fixtures';
import { CLI_BIN, requireBuild } from '../helpers/paths';

let dir: string;
let book: string;

beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'kokoro-import-cli-'));
  book = join(dir, 'book.epub');
  const chapter = (title: string, words: number) => `<h1>${title}</h1><p>${Array.from({ length: words }, (_, i) => `word${i}`).join(' ')}.</p>`;
  writeFileSync(
    book,
    await makeEpub({
      title: 'A Generated Book',
      author: 'Test Author',
      files: [
        { name: 'one.xhtml', body: chapter('The Beginning', 10) },
        { name: 'two.xhtml', body: chapter('The Middle', 20) },
        { name: 'three.xhtml', body: `${chapter('The End', 5)}<pre><code>skipped();</code></pre>` },
      ],
      toc: [
        { title: 'The Beginning', href: 'one.xhtml' },
        { title: 'The Middle', href: 'two.xhtml' },
        { title: 'The End', href: 'three.xhtml' },
      ],
    }),
  );
});

function cli(args: string[]) {
  const run = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_DATA_HOME: dir } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('kokoro-reader import', () => {
  it('prints the three chapters of a generated EPUB with their word counts', () => {
    const run = cli(['import', book]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^A Generated Book — Test Author \(epub, \d+ words\)$/);
    expect(lines.slice(1)).toEqual(['  1. The Beginning\t12 words', '  2. The Middle\t22 words', '  3. The End\t7 words']);
  });

  it('prints the whole document model with --json', () => {
    const document = JSON.parse(cli(['import', book, '--json']).stdout) as ImportedDocument;
    expect(document.chapters.map((c) => c.title)).toEqual(['The Beginning', 'The Middle', 'The End']);
    const last = document.chapters[2];
    expect(last?.blocks.some((b) => b.kind === 'code' && b.skipFromReading)).toBe(true);
  });

  it('speak --in reads a document, leaving out what is not to be read', () => {
    const out = join(dir, 'book.wav');
    const run = cli(['speak', '--in', book, '--out', out, '--verbose', '--voice', 'en-us']);
    expect(run.code, run.stderr).toBe(0);
    const chunkLines = run.stderr.split('\n').filter((l) => l.startsWith('chunk'));
    // Six sentences (a heading and a paragraph per chapter); the code block is not read.
    expect(chunkLines).toHaveLength(6);
    expect(chunkLines.at(-1)).toMatch(/sentence 6\/6, cache: miss$/);
    expect(decodeWav(readFileSync(out)).samples.length).toBeGreaterThan(24000);
  });

  it('names the file it could not open', () => {
    const missing = cli(['import', join(dir, 'nope.epub')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/could not be found\. \(.*nope\.epub\)/);
  });

  it('says that a folder is a folder, and to name a file inside it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'kokoro-import-folder-'));
    for (const args of [['import', folder], ['speak', '--in', folder, '--out', join(folder, 'x.wav')]]) {
      const run = cli(args);
      expect(run.code, args[0]).toBe(1);
      expect(run.stderr, args[0]).toBe(`kokoro-reader: That is a folder, not a file. (${folder}) Name a file inside it.\n`);
    }
  });
});
