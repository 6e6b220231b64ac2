import { spawnSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledNeuralG2PDir, loadCmuDict, loadNeuralG2P } from '../../src-main/engine/g2p/load';
import { EspeakPhonemizer } from '../../src-main/engine/g2p/espeak-phonemizer';
import { G2P } from '../../src-shared/g2p/index';
import { CLI_BIN, ROOT, requireBuild } from '../helpers/paths';
import { mixedScriptText } from '../helpers/mixed-script';

const SHARED = join(ROOT, '..', 'shared');

beforeAll(() => requireBuild());

function cli(args: string[], input: string) {
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kokoro-reader normalize', () => {
  it('prints what a listener should hear, one line per input line', () => {
    const run = cli(['normalize'], 'Dr. Smith paid $3.50 on 2024-05-01 at 12:30.\n\nChapter IV\n');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'Doctor Smith paid three dollars and fifty cents on May first, twenty twenty-four at twelve thirty.',
      '',
      'Chapter four.',
      '',
    ]);
  });

  it('reads dates day first for en-gb', () => {
    expect(cli(['normalize', '--lang', 'en-gb'], '5/1/2024\n').stdout).toMatch(/^the fifth of January/i);
    expect(cli(['normalize'], '5/1/2024\n').stdout).toMatch(/^May first/i);
  });
});

describe('kokoro-reader phonemize', () => {
  it('phonemizes mixed-script text completely, with no dictionary noise for the scripts eSpeak has no dictionary for', () => {
    // Each line starts with a word eSpeak knows, so a line lost or shifted shows.
    const lines = mixedScriptText(1500, 60).map((line) => `hello ${line}`);
    // eSpeak alone: every word of every script goes through it.
    const run = cli(['phonemize', '--lexicon', 'none', '--no-model'], `${lines.join('\n')}\n`);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout.split('\n');
    expect(out.pop()).toBe('');
    expect(out).toHaveLength(lines.length);
    for (const line of out) expect(line).toMatch(/^həlˈO/);
  });

  it('gives one line of Kokoro phonemes per input line, in order, with every layer by default', () => {
    const run = cli(['phonemize', '--model-dir', join(SHARED, 'lexicon')], 'Hello world.\n\nI read the book\n');
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual(['həlˈO wˈɜɹld.', '', 'ˌI ɹˈid ðə bˈʊk.', '']);
  });

  it('uses the neural model for words no lexicon has (by default, or with --model), eSpeak alone with --lexicon none --no-model, and the British rules with --lang en-gb', async () => {
    // The built CLI finds the weights beside its bundle (dist/models/g2p), as the engine does.
    const neural = await loadNeuralG2P(bundledNeuralG2PDir() ?? '');
    // Names the model is sure of (below its confidence threshold a word goes on to eSpeak), given
    // the other layers' output it reads, as the app gives it; the test needs one where the model
    // and eSpeak NG differ, which most are not.
    const candidates = ['Quendrilova', 'Okonkwo', 'Thaddeus', 'Schwarzkopf', 'Zorblaxity', 'Ferrante', 'Nakamura', 'Pemberton'];
    const hints = await new G2P({ espeak: new EspeakPhonemizer() }).modelHints(candidates);
    const modelSays = new Map(candidates.map((w, i) => [w, neural.phonemize(w, hints[i])]));
    const names = candidates.filter((w) => modelSays.get(w) !== undefined);
    expect(names.length).toBeGreaterThan(2);
    const made = cli(['phonemize', '--lexicon', 'none', '--model'], `${names.join('\n')}\n`).stdout.trim().split('\n');
    expect(made).toEqual(names.map((w) => `${modelSays.get(w) ?? '?'}.`));
    expect(cli(['phonemize', '--lexicon', 'none'], `${names.join('\n')}\n`).stdout.trim().split('\n')).toEqual(made);
    const espeakOnly = cli(['phonemize', '--lexicon', 'none', '--no-model'], `${names.join('\n')}\n`).stdout.trim().split('\n');
    expect(espeakOnly).toHaveLength(names.length);
    expect(espeakOnly.some((line, i) => line !== made[i])).toBe(true);
    const none = cli(['phonemize', '--lexicon', 'none', '--no-model'], 'water\n').stdout.trim();
    const gb = cli(['phonemize', '--lang', 'en-gb'], 'water\n').stdout.trim();
    expect(none).toMatch(/^wˈɔ/);
    expect(gb).toMatch(/ː/);
    expect(gb).not.toBe(none);
  });

  it('asks the model before CMUdict by default, and CMUdict first with --lexicon cmudict', async () => {
    const neural = await loadNeuralG2P(bundledNeuralG2PDir() ?? '');
    // Words CMUdict has; the test needs some the model is sure of and says otherwise.
    const candidates = ['tomato', 'either', 'caramel', 'pecan', 'almond', 'often', 'mischievous', 'pajamas', 'syrup', 'coupon', 'envelope', 'Caribbean', 'aunt', 'creek', 'route', 'naive', 'poinsettia', 'Wednesday'];
    const layers = new G2P({ cmudict: await loadCmuDict(), espeak: new EspeakPhonemizer() });
    const cmudictSays = await layers.phonemizeWords(candidates, 'en-us', { context: false });
    const hints = await layers.modelHints(candidates);
    const words = candidates.filter((w, i) => {
      const model = neural.phonemize(w, hints[i], 'cmudict');
      return cmudictSays[i]?.source === 'cmudict' && model !== undefined && model !== cmudictSays[i]?.phonemes;
    });
    expect(words.length).toBeGreaterThan(0);
    // A model folder without misaki's lexicons: they would answer these words first.
    const noLexicons = await mkdtemp(join(tmpdir(), 'no-lexicons-'));
    const byDefault = cli(['phonemize', '--model-dir', noLexicons], `${words.join('\n')}\n`).stdout.trim().split('\n');
    expect(byDefault).toEqual(words.map((w) => `${neural.phonemize(w, hints[candidates.indexOf(w)], 'cmudict') ?? '?'}.`));
    const cmudictFirst = cli(['phonemize', '--lexicon', 'cmudict'], `${words.join('\n')}\n`).stdout.trim().split('\n');
    expect(cmudictFirst).toEqual(words.map((w) => `${cmudictSays[candidates.indexOf(w)]?.phonemes ?? '?'}.`));
  });

  it('prints words with source spans and vocabulary ids with --json', () => {
    const run = cli(['phonemize', '--json', '--lexicon', 'cmudict', '--model-dir', join(SHARED, 'kokoro')], 'Pay $5 now.\n');
    const entry = JSON.parse(run.stdout) as { words: { text: string; start: number; end: number; ids: number[] }[]; ids: number[] };
    expect(entry.words.map((w) => [w.text, w.start, w.end])).toEqual([
      ['pay', 0, 3],
      ['five', 4, 6],
      ['dollars', 4, 6],
      ['now', 7, 10],
    ].map(([t, s, e]) => [expect.stringMatching(new RegExp(`^${String(t)}$`, 'i')), s, e]));
    expect(entry.ids.length).toBeGreaterThan(10);
    expect(entry.ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
  });

  it('ends each sentence with its own ? or !, else with the "." Kokoro is given, and says why in its usage', () => {
    const run = cli(['phonemize', '--lexicon', 'cmudict'], 'Hello world,\nReally? Yes!\nChapter IV\n');
    expect(run.stdout.split('\n').map((line) => line.at(-1))).toEqual(['.', '!', '.', undefined]);
    const help = cli(['phonemize', '--help'], '');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/ends with its \? or !, else with "\." even\s+where the text has none/);
    expect(help.stdout).toMatch(/falls in pitch and pauses/);
  });

  it('refuses misaki when the lexicons are not there, and a bad --lang', () => {
    const missing = cli(['phonemize', '--lexicon', 'misaki', '--model-dir', '/nonexistent'], 'x\n');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs misaki's lexicons/);
    expect(cli(['phonemize', '--lang', 'fr'], 'x\n').code).toBe(2);
  });
});
