/**
 * A G2P model that reads other layers' output besides the letters (header.hints): what it is
 * given, where it sits among the layers, and that the trainer builds the same input
 * (scripts/g2p-model/train.py's source_tokens).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { espeakToMisaki, G2P, InMemoryUserLexicon, toV1 } from '../../src-shared/g2p/index';
import { parseNeuralG2PHeader } from '../../src-shared/g2p/neural/index';
import { FakeEspeak } from './fake-espeak';
import { HINTS, tinyNeuralG2P } from './tiny-neural';

const TRAIN_DIR = fileURLToPath(new URL('../../scripts/g2p-model/', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;

// eSpeak's IPA and CMUdict's ARPAbet for a few words; "Zorblaxity" is in neither dictionary.
const espeakIpa = { cat: 'kˈæt', Zorblaxity: 'zˈɔːɹblæksɪti', 'Привет': 'pɹɪvjˈɛt', cats: 'kˈæts' };
const cmudict = { cat: 'K AE1 T' };

describe('neural G2P that reads eSpeak and CMUdict', () => {
  it('builds its input from the letters and each hint, in the header\'s order', () => {
    const model = tinyNeuralG2P({ hints: ['espeak', 'cmudict'] });
    expect(model.hintLayers).toEqual(['espeak', 'cmudict']);
    expect(model.sourceFor('cat', { espeak: 'kˈæt', cmudict: 'kæt' })).toEqual(['c', 'a', 't', '<e>', 'ek', 'eˈ', 'eæ', 'et', '<c>', 'ck', 'cæ', 'ct']);
    // A layer with nothing to say adds nothing; a layer that is not there stops the model.
    expect(model.sourceFor('cat', { espeak: 'kˈæt', cmudict: '' })).toEqual(['c', 'a', 't', '<e>', 'ek', 'eˈ', 'eæ', 'et']);
    expect(model.sourceFor('cat', { cmudict: 'kæt' })).toBeUndefined();
    expect(model.phonemize('cat')).toBeUndefined();
    // A letters-only model ignores hints.
    expect(tinyNeuralG2P().sourceFor('cat', { espeak: 'kˈæt' })).toEqual(['c', 'a', 't']);
  });

  it('asks for gold\'s style first when it was trained on marked lexicons', () => {
    const model = tinyNeuralG2P({ hints: ['espeak'], styleToken: '<gold>' });
    expect(model.sourceFor('cat', { espeak: 'kˈæt' })).toEqual(['<gold>', 'c', 'a', 't', '<e>', 'ek', 'eˈ', 'eæ', 'et']);
    const header = model.model.header;
    expect(parseNeuralG2PHeader(header)).toBe(header);
    expect(() => parseNeuralG2PHeader({ ...header, styleToken: '<bronze>' })).toThrow(/styleToken must be one of srcVocab/);
    expect(() => parseNeuralG2PHeader({ ...header, hints: [{ layer: 'festival', marker: '<f>', prefix: 'f' }] })).toThrow(/hints must be a list/);
  });

  it('answers different hints differently, and remembers each (word, hints) once', () => {
    const model = tinyNeuralG2P({ hints: ['espeak'], minConfidence: 0 });
    const predict = vi.spyOn(model.model, 'predictScored');
    const hints = ['kˈæt', 'kˈɑt', 'sˈɪt', 'dˈɔɡ', 'bˈʌs'];
    for (const espeak of hints) expect(model.phonemize('cat', { espeak })).toBeDefined();
    // Random weights: the answers are nonsense, but how sure the model is depends on every token.
    const scored = predict.mock.results.map((r) => JSON.stringify(r.value));
    expect(new Set(scored).size).toBe(hints.length);
    model.phonemize('cat', { espeak: 'kˈæt' });
    expect(predict).toHaveBeenCalledTimes(hints.length);
  });

  it('takes the words CMUdict has when it reads CMUdict, after eSpeak, given what modelHints gives', async () => {
    const neural = tinyNeuralG2P({ hints: ['espeak', 'cmudict'], minConfidence: 0 });
    const phonemize = vi.spyOn(neural, 'phonemize');
    const espeak = new FakeEspeak(espeakIpa);
    const g2p = new G2P({ cmudict, neural, espeak });
    const out = await g2p.phonemizeWords(['cat', 'Zorblaxity', 'Привет'], 'en-us', { context: false });
    expect(out.map((o) => o.source)).toEqual(['model', 'model', 'espeak']);
    // eSpeak was asked once, for all three.
    expect(espeak.calls.map((c) => c.words)).toEqual([['cat', 'Zorblaxity', 'Привет']]);
    // What the trainer reads (scripts/g2p-model/hints.ts) is what the model was given.
    const hints = await new G2P({ cmudict, espeak: new FakeEspeak(espeakIpa) }).modelHints(['cat', 'Zorblaxity']);
    expect(hints).toEqual([
      { espeak: 'kˈæt', cmudict: 'kˈæt' },
      { espeak: 'zˈɔɹblˌæksəTi', cmudict: '' },
    ]);
    // Each with the layer that would take the word if the model declined it (its threshold).
    expect(phonemize.mock.calls.slice(0, 2)).toEqual([
      ['cat', hints[0], 'cmudict'],
      ['Zorblaxity', hints[1], 'espeak'],
    ]);
    expect(out[0]?.phonemes).toBe(neural.phonemize('cat', hints[0]));
    // British English: eSpeak alone, as before.
    expect((await g2p.phonemizeWords(['Zorblaxity'], 'en-gb', { context: false }))[0]?.source).toBe('espeak');
  });

  it('says the function words it takes from CMUdict unstressed in running text, as eSpeak\'s', async () => {
    const neural = tinyNeuralG2P({ hints: ['espeak', 'cmudict'], minConfidence: 0 });
    // A citation form, as a model that reads eSpeak's and CMUdict's output may well give.
    vi.spyOn(neural, 'phonemize').mockReturnValue('wˈʌz');
    const g2p = new G2P({ cmudict: { was: 'W AA1 Z', it: 'IH1 T' }, neural, espeak: new FakeEspeak({ was: 'wˈʌz', it: 'ˈɪt' }) });
    const [it, was] = await g2p.phonemizeWords(['it', 'was'], 'en-us');
    expect(was).toMatchObject({ source: 'model', phonemes: 'wʌz' });
    expect(it?.source).toBe('model');
    const alone = await g2p.phonemizeWords(['was'], 'en-us', { context: false });
    expect(alone[0]?.phonemes).toBe('wˈʌz');
  });

  it('comes before CMUdict when asked, which then takes the words the model is unsure of', async () => {
    const words = ['cat', 'Zorblaxity', 'Привет'];
    const run = async (minConfidenceOverCmudict: number, minConfidence = 0): Promise<{ sources: string[]; version: string }> => {
      const neural = tinyNeuralG2P({ hints: ['espeak'], minConfidence, minConfidenceOverCmudict });
      const g2p = new G2P({ cmudict, neural, espeak: new FakeEspeak(espeakIpa) }, { cmudictAfterModel: true });
      const out = await g2p.phonemizeWords(words, 'en-us', { context: false });
      return { sources: out.map((o) => o.source), version: g2p.version };
    };
    const sure = await run(0);
    expect(sure.sources).toEqual(['model', 'model', 'espeak']);
    // Unsure over CMUdict's words only: CMUdict takes "cat", the model keeps the word CMUdict lacks.
    expect((await run(1.01)).sources).toEqual(['cmudict', 'model', 'espeak']);
    // Unsure of everything: the same layers as without the model.
    expect((await run(1.01, 1.01)).sources).toEqual(['cmudict', 'espeak', 'espeak']);
    // The order is part of the version (the audio cache key), and so are the thresholds.
    const before = new G2P({ cmudict, neural: tinyNeuralG2P({ hints: ['espeak'], minConfidence: 0, minConfidenceOverCmudict: 0 }), espeak: new FakeEspeak(espeakIpa) });
    expect(before.version).not.toBe(sure.version);
    expect(sure.version).toMatch(/cmudict-after-model/);
    expect((await run(0.5)).version).not.toBe(sure.version);
    // A model that reads letters only answers before eSpeak is asked, and hands over to CMUdict the same way.
    const letters = tinyNeuralG2P({ minConfidence: 0, minConfidenceOverCmudict: 1.01 });
    const espeak = new FakeEspeak(espeakIpa);
    const out = await new G2P({ cmudict, neural: letters, espeak }, { cmudictAfterModel: true }).phonemizeWords(words, 'en-us', { context: false });
    expect(out.map((o) => o.source)).toEqual(['cmudict', 'model', 'espeak']);
    expect(espeak.calls.map((c) => c.words)).toEqual([['Привет']]);
  });

  it('reads a hyphenated word whole when it comes before CMUdict, unless it declines it or a part is the user\'s', async () => {
    const dict = { cat: 'K AE1 T', dog: 'D AO1 G' };
    const ipa = { 'cat-dog': 'kˈætdˈɔɡ' };
    const word = async (g2p: G2P): Promise<{ source: string; phonemes: string }> => {
      const [out] = await g2p.phonemizeWords(['cat-dog'], 'en-us', { context: false });
      return { source: out?.source ?? '', phonemes: out?.phonemes ?? '' };
    };
    const sure = tinyNeuralG2P({ hints: ['espeak'], minConfidence: 0, minConfidenceOverCmudict: 0 });
    const unsure = tinyNeuralG2P({ hints: ['espeak'], minConfidence: 1.01, minConfidenceOverCmudict: 1.01 });
    // CMUdict first: the parts joined by misaki's rule (equal weights: the first part gives up its primary).
    const parts = await word(new G2P({ cmudict: dict, neural: sure, espeak: new FakeEspeak(ipa) }));
    expect(parts).toEqual({ source: 'cmudict', phonemes: 'kˌætdˈɔɡ' });
    // The model first: the whole word is the model's, and its answer is not the parts joined.
    const whole = await word(new G2P({ cmudict: dict, neural: sure, espeak: new FakeEspeak(ipa) }, { cmudictAfterModel: true }));
    expect(whole.source).toBe('model');
    expect(whole.phonemes).not.toBe(parts.phonemes);
    expect(whole.phonemes).toBe(sure.phonemize('cat-dog', { espeak: toV1(espeakToMisaki(ipa['cat-dog'], 'en-us', 'cat-dog')) }, 'espeak'));
    // Declined: the parts again.
    expect(await word(new G2P({ cmudict: dict, neural: unsure, espeak: new FakeEspeak(ipa) }, { cmudictAfterModel: true }))).toEqual(parts);
    // The user's own part wins over the model.
    const user = new InMemoryUserLexicon([['cat', 'kˈIt']]);
    const mine = await word(new G2P({ user, cmudict: dict, neural: sure, espeak: new FakeEspeak(ipa) }, { cmudictAfterModel: true }));
    expect(mine).toEqual({ source: 'user', phonemes: 'kˈItdˌɔɡ' });
  });

  it('speaks a number the normaliser spelled out ("eighty-two") from its parts, not the model, as gold writes such numbers', async () => {
    const dict = { eighty: 'EY1 T IY0', two: 'T UW1', first: 'F ER1 S T', twenty: 'T W EH1 N T IY0' };
    const sure = tinyNeuralG2P({ hints: ['espeak'], minConfidence: 0, minConfidenceOverCmudict: 0 });
    const g2p = new G2P({ cmudict: dict, neural: sure, espeak: new FakeEspeak({}) }, { cmudictAfterModel: true });
    const out = await g2p.phonemizeWords(['eighty-two', 'twenty-first', 'Twenty-Two'], 'en-us', { context: false });
    // The parts as CMUdict says them (on their own, the sure model would take them).
    const cmudictOnly = new G2P({ cmudict: dict, espeak: new FakeEspeak({}) });
    const [eighty, two, first, twenty] = await cmudictOnly.phonemizeWords(['eighty', 'two', 'first', 'twenty'], 'en-us', { context: false });
    const secondary = (ps: string | undefined): string => (ps ?? '').replace('ˈ', 'ˌ');
    expect(out.map((o) => o.source)).toEqual(['cmudict', 'cmudict', 'cmudict']);
    expect(out.map((o) => o.phonemes)).toEqual([
      secondary(eighty?.phonemes) + two?.phonemes,
      secondary(twenty?.phonemes) + first?.phonemes,
      secondary(twenty?.phonemes) + two?.phonemes,
    ]);
    // Another hyphenated word CMUdict has the parts of is still the model's.
    const [other] = await g2p.phonemizeWords(['two-eighty'], 'en-us', { context: false });
    expect(other?.source).toBe('model');
    // CMUdict first, with its own entry stressing the tens part: the same pattern still.
    const withEntry = new G2P({ cmudict: { ...dict, 'twenty-two': 'T W EH1 N T IY0 T UW2' }, neural: sure, espeak: new FakeEspeak({}) });
    const [twentyTwo] = await withEntry.phonemizeWords(['twenty-two'], 'en-us', { context: false });
    expect(twentyTwo?.phonemes).toBe(out[2]?.phonemes);
  });

  it('leaves CMUdict\'s words to CMUdict when it reads only eSpeak', async () => {
    const neural = tinyNeuralG2P({ hints: ['espeak'], minConfidence: 0 });
    const out = await new G2P({ cmudict, neural, espeak: new FakeEspeak(espeakIpa) }).phonemizeWords(['cat', 'Zorblaxity'], 'en-us', { context: false });
    expect(out.map((o) => o.source)).toEqual(['cmudict', 'model']);
  });

  it('hands a word it is unsure of back to CMUdict (with its rules), then to eSpeak', async () => {
    const unsure = tinyNeuralG2P({ hints: ['espeak', 'cmudict'], minConfidence: 1.01 });
    const g2p = new G2P({ cmudict, neural: unsure, espeak: new FakeEspeak(espeakIpa) });
    const out = await g2p.phonemizeWords(['cat', 'Zorblaxity'], 'en-us', { context: false });
    expect(out.map((o) => o.source)).toEqual(['cmudict', 'espeak']);
    const without = await new G2P({ cmudict, espeak: new FakeEspeak(espeakIpa) }).phonemizeWords(['cat', 'Zorblaxity'], 'en-us', { context: false });
    expect(out.map((o) => o.phonemes)).toEqual(without.map((o) => o.phonemes));
  });

  it('is not used without eSpeak, whose output it needs', async () => {
    const neural = tinyNeuralG2P({ hints: ['espeak', 'cmudict'], minConfidence: 0 });
    const out = await new G2P({ cmudict, neural }).phonemizeWords(['cat', 'Zorblaxity'], 'en-us', { context: false });
    expect(out.map((o) => o.source)).toEqual(['cmudict', 'none']);
  });

  it.skipIf(!hasPython)('gets the input the trainer builds (train.py source_tokens)', () => {
    const said = { espeak: 'zˈɔɹblæksᵻTi', cmudict: '' };
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(TRAIN_DIR)})`,
      'import train',
      'said = json.loads(sys.argv[1])',
      'print(json.dumps({"tokens": list(train.source_tokens("Zorblaxity", said, ["espeak", "cmudict"], train.GOLD_STYLE)), "hints": train.HINT_TOKENS}))',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', script, JSON.stringify(said)], { encoding: 'utf8' })) as { tokens: string[]; hints: Record<string, [string, string]> };
    expect(out.hints).toEqual({ espeak: [HINTS.espeak.marker, HINTS.espeak.prefix], cmudict: [HINTS.cmudict.marker, HINTS.cmudict.prefix] });
    expect(out.tokens).toEqual(tinyNeuralG2P({ hints: ['espeak', 'cmudict'], styleToken: '<gold>' }).sourceFor('Zorblaxity', said));
    expect(out.tokens[0]).toBe('<gold>');
  });
});
