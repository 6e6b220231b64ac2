import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, requireBuild } from '../helpers/paths';
import { makeDamagedLibrary } from '../library/helpers';

let data: string;
beforeAll(() => {
  requireBuild();
  data = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-cli-'));
});

function cli(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [CLI_BIN, ...args], { encoding: 'utf8', input, timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('kokoro-reader lexicon', () => {
  it('tells on stderr that a damaged library was set aside, and lists the entries read back from it', () => {
    const own = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-damaged-'));
    const { words } = makeDamagedLibrary(own);
    const run = cli(['lexicon', 'list', '--data-dir', own]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').map((line) => line.split('\t')[4]).sort()).toEqual([...words].sort());
    const notes = run.stderr.trim().split('\n');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^note: The library database is damaged\. \(library: .*rows read back from it: .*lexicon entries 3.*\) The damaged file is kept aside/);
    // Told once: the next command finds a sound library.
    expect(cli(['lexicon', 'list', '--data-dir', own]).stderr).toBe('');
  });

  it('exports and imports TSV (the columns list prints) when the file ends in .tsv', () => {
    const own = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-tsv-'));
    expect(cli(['lexicon', 'add', 'Nguyen', 'wˈɪn', '--data-dir', own]).code).toBe(0);
    const file = join(own, 'mine.tsv');
    expect(cli(['lexicon', 'export', file, '--data-dir', own]).stdout).toMatch(/exported 1 entries/);
    expect(readFileSync(file, 'utf8')).toBe(cli(['lexicon', 'list', '--data-dir', own]).stdout);
    const other = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-tsv-in-'));
    expect(JSON.parse(cli(['lexicon', 'import', file, '--data-dir', other]).stdout)).toEqual({ added: 1, updated: 0, unchanged: 0, removed: 0 });
    expect(cli(['lexicon', 'list', '--data-dir', other]).stdout.split('\t').slice(1)).toEqual(['en-us', 'word', 'phonemes', 'Nguyen', 'wˈɪn\n']);
  });

  it('refuses an accent it does not know instead of filing the entry under en-us', () => {
    const own = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-lang-'));
    const run = cli(['lexicon', 'add', 'Nguyen', 'wˈɪn', '--lang', 'fr', '--data-dir', own]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('kokoro-reader: --lang must be en-us, en-gb or all, got "fr"');
    expect(cli(['lexicon', 'list', '--data-dir', own]).stdout).toBe('');
    expect(cli(['lexicon', 'add', 'Nguyen', 'wˈɪn', '--lang', 'EN-GB', '--data-dir', own]).code).toBe(0);
  });

  it('adds, lists, exports, removes and imports entries; phonemize uses them only with --data-dir', () => {
    expect(cli(['lexicon', 'add', 'Nguyen', 'wˈɪn', '--data-dir', data]).stdout).toMatch(/^added \d+: Nguyen -> wˈɪn/);
    expect(cli(['lexicon', 'add', '--replace', 'St', 'Street', '--lang', 'all', '--data-dir', data]).code).toBe(0);
    const list = cli(['lexicon', 'list', '--data-dir', data]).stdout.trim().split('\n');
    expect(list.map((l) => l.split('\t').slice(1))).toEqual([
      ['en-us', 'word', 'phonemes', 'Nguyen', 'wˈɪn'],
      ['all', 'word', 'replacement', 'St', 'Street'],
    ]);
    expect(cli(['phonemize', '--lexicon', 'cmudict', '--data-dir', data], 'Mr Nguyen\n').stdout).toContain('wˈɪn');
    expect(cli(['phonemize', '--lexicon', 'cmudict'], 'Mr Nguyen\n').stdout).not.toContain('wˈɪn');

    const file = join(data, 'lexicon.json');
    expect(cli(['lexicon', 'export', file, '--data-dir', data]).stdout).toMatch(/exported 2 entries/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toBeTruthy();
    const id = list[0]?.split('\t')[0] ?? '';
    expect(cli(['lexicon', 'remove', id, '--data-dir', data]).stdout).toBe(`removed ${id}\n`);
    expect(cli(['lexicon', 'list', '--data-dir', data]).stdout.trim().split('\n')).toHaveLength(1);
    expect(cli(['lexicon', 'import', file, '--replace-all', '--data-dir', data]).code).toBe(0);
    expect(cli(['lexicon', 'list', '--data-dir', data]).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('applies replacement rules before reading, with spans pointing at the original text', () => {
    const run = cli(['phonemize', '--json', '--lexicon', 'cmudict', '--data-dir', data], 'Main St now\n');
    const entry = JSON.parse(run.stdout) as { words: { text: string; start: number; end: number }[] };
    const street = entry.words.find((w) => w.text.toLowerCase() === 'street');
    expect(street).toMatchObject({ start: 5, end: 7 });
    expect(entry.words.at(-1)).toMatchObject({ start: 8, end: 11 });
  });

  it('refuses an invalid or dangerous regular expression with a clear error', () => {
    for (const pattern of ['(unclosed', '(a+)+$']) {
      const run = cli(['lexicon', 'add', '--regex', pattern, 'x', '--data-dir', data]);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/kokoro-reader: /);
    }
  });

  it('fails with one line when asked to remove an entry that is not there', () => {
    const own = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-cli-'));
    const run = cli(['lexicon', 'remove', '999', '--data-dir', own]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^kokoro-reader: There is no pronunciation entry with that id\. \(999\) .*`kokoro-reader lexicon list`/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('normalize --data-dir applies that folder\'s replacements before normalising', () => {
    const own = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-cli-'));
    expect(cli(['lexicon', 'add', '--replace', 'SQL', 'sequel', '--data-dir', own]).code).toBe(0);
    expect(cli(['lexicon', 'add', '--replace', 'pct', '%', '--data-dir', own]).code).toBe(0);
    const run = cli(['normalize', '--data-dir', own], 'I like SQL.\nUp 5 pct\n');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('I like sequel.\nUp five percent.\n');
    expect(cli(['normalize'], 'I like SQL.\n').stdout).not.toContain('sequel');
  });

  it('says in one line when the file to import or export is a folder or is missing', () => {
    const own = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-cli-'));
    const cases: [string[], string][] = [
      [['lexicon', 'import', own], `That is a folder, not a file. (${own}) Name a file inside it.`],
      [['lexicon', 'export', own], `That is a folder, not a file. (${own}) Name a file inside it.`],
      [['lexicon', 'import', join(own, 'missing.json')], `The file could not be found. (${join(own, 'missing.json')}) Check the path and try again.`],
    ];
    for (const [args, message] of cases) {
      const run = cli([...args, '--data-dir', own]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toBe(`kokoro-reader: ${message}\n`);
    }
  });
});
