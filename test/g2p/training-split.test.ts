/**
 * The G2P model's training script drops the test bucket and the dev set before anything else
 * (../shared/g2p/SPLIT.md), checked on its own output (`--dump-split`, which needs no torch).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEV_TSV, hasDevSet, hasLexicon, LEXICON_DIR } from './shared-data';

const TRAIN_SCRIPT = fileURLToPath(new URL('../../scripts/g2p-model/train.py', import.meta.url));
const inTestBucket = (word: string): boolean => createHash('sha256').update(word, 'utf8').digest()[0]! % 16 === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;

interface Split {
  train: string[];
  validation: string[];
}

function dumpSplit(lexiconDir: string, dev: string, options: readonly string[] = []): Split {
  const out = execFileSync('python3', [TRAIN_SCRIPT, '--dump-split', '--lexicon-dir', lexiconDir, '--dev', dev, ...options], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Split;
}

const inValidation = (word: string): boolean => createHash('sha256').update(word, 'utf8').digest()[1]! % 64 === 0;

/** Words in and out of the test bucket, found by the rule itself. */
function wordsWhere(bucket: boolean, count: number, prefix: string): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++) if (inTestBucket(`${prefix}${i}`) === bucket) found.push(`${prefix}${i}`);
  return found;
}

const title = `G2P model training split (python3 scripts/g2p-model/train.py --dump-split)${hasPython ? '' : ': skipped, python3 is not on PATH'}`;

describe.skipIf(!hasPython)(title, () => {
  it('drops every test-bucket word and every dev word, gold and silver, and keeps the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'g2p-split-'));
    const bucket = wordsWhere(true, 6, 'w');
    const dev = wordsWhere(false, 6, 'dev');
    // Kept words, four of them in the validation slice (the trainer's second-byte rule).
    const held = wordsWhere(false, 4000, 'val').filter(inValidation).slice(0, 4);
    const kept = [...wordsWhere(false, 40, 'keep').filter((w) => !inValidation(w)), ...held];
    // Entries as misaki writes them: strings and part-of-speech dicts, in both files.
    const gold: Record<string, unknown> = {};
    const silver: Record<string, unknown> = {};
    [...bucket, ...dev, ...kept].forEach((w, i) => {
      const target = i % 2 === 0 ? gold : silver;
      target[w] = i % 3 === 0 ? { DEFAULT: 'wˈɜɹd', VERB: 'wɜɹd' } : 'wˈɜɹd';
    });
    writeFileSync(join(dir, 'us_gold.json'), JSON.stringify(gold));
    writeFileSync(join(dir, 'us_silver.json'), JSON.stringify(silver));
    writeFileSync(join(dir, 'dev.tsv'), dev.map((w) => `${w}\twˈɜɹd\n`).join(''));

    const split = dumpSplit(dir, join(dir, 'dev.tsv'));
    const used = [...split.train, ...split.validation];
    for (const w of [...bucket, ...dev]) expect(used).not.toContain(w);
    expect(used.sort()).toEqual([...kept].sort());
    // Validation is a slice of the training words, not of the held-out ones.
    expect(split.validation.sort()).toEqual([...held].sort());
    expect(split.validation.every((w) => !split.train.includes(w))).toBe(true);

    // --train-on gold: the steps see gold's kept words only; the held-out words stay out and validation is unchanged.
    const goldOnly = dumpSplit(dir, join(dir, 'dev.tsv'), ['--train-on', 'gold']);
    expect(goldOnly.train.sort()).toEqual(split.train.filter((w) => w in gold).sort());
    expect(goldOnly.train.length).toBeGreaterThan(0);
    expect(goldOnly.train.length).toBeLessThan(split.train.length);
    expect(goldOnly.validation).toEqual(split.validation);
  });

  it.skipIf(!hasLexicon || !hasDevSet)("on misaki's lexicons: no test-bucket or dev word, ~1/64 held out for validation", () => {
    const split = dumpSplit(LEXICON_DIR, DEV_TSV);
    const devWords = new Set(readFileSync(DEV_TSV, 'utf8').split('\n').map((l) => l.split('\t')[0]).filter((w) => w));
    const used = [...split.train, ...split.validation];
    expect(used.filter(inTestBucket)).toEqual([]);
    expect(used.filter((w) => devWords.has(w))).toEqual([]);
    expect(split.train.length).toBeGreaterThan(150_000);
    expect(split.validation.length).toBeGreaterThan(split.train.length / 100);
  });
});
