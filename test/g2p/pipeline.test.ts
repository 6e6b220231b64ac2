import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EspeakPhonemizer } from '../../src-main/engine/g2p/espeak-phonemizer';
import { loadCmuDict, loadMisakiLexicon, loadVocab } from '../../src-main/engine/g2p/load';
import { G2P } from '../../src-shared/g2p/g2p';
import { MisakiLexicon } from '../../src-shared/g2p/misaki-lexicon';
import type { CmuDict, UserPronunciation, Vocab } from '../../src-shared/g2p/types';
import { InMemoryUserLexicon } from '../../src-shared/g2p/user-lexicon';
import { FakeEspeak } from './fake-espeak';
import { DEV_TSV, hasDevSet, hasLexicon, hasVocab, LEXICON_DIR, VOCAB_PATH } from './shared-data';

describe('layered G2P', () => {
  let cmudict: CmuDict;
  beforeAll(async () => {
    cmudict = await loadCmuDict();
  });

  it('takes the first layer that knows a word: user, CMUdict, eSpeak', async () => {
    const espeak = new FakeEspeak({ zorblat: 'zˈɔːɹblæt' });
    const user = new InMemoryUserLexicon([['tomato', 'təmˈɑTO']]);
    const g2p = new G2P({ user, cmudict, espeak });
    const out = await g2p.phonemizeWords(['tomato', 'water', 'zorblat', '.'], 'en-us');
    expect(out).toEqual([
      { word: 'tomato', phonemes: 'təmˈɑTO', source: 'user' },
      { word: 'water', phonemes: 'wˈɔTəɹ', source: 'cmudict' },
      { word: 'zorblat', phonemes: 'zˈɔɹblˌæt', source: 'espeak' }, // ɔː -> ɔ, full æ gets ˌ
      { word: '.', phonemes: '.', source: 'punct' },
    ]);
    expect(espeak.calls).toEqual([{ words: ['zorblat'], lang: 'en-us' }]);
  });

  it('lets a user entry win over every other layer, per accent', async () => {
    const user = new InMemoryUserLexicon();
    user.set('water', 'wˈɔːtə', 'en-gb');
    user.set('Nice', 'nˈis');
    const g2p = new G2P({ user, cmudict, espeak: new FakeEspeak({ water: 'wˈɔːtə' }) });
    expect((await g2p.phonemizeWords(['water'], 'en-us'))[0]?.source).toBe('cmudict');
    expect((await g2p.phonemizeWords(['water'], 'en-gb'))[0]).toEqual({ word: 'water', phonemes: 'wˈɔːtə', source: 'user' });
    expect((await g2p.phonemizeWords(['Nice'], 'en-us'))[0]?.phonemes).toBe('nˈis');
    expect((await g2p.phonemizeWords(['nice'], 'en-us'))[0]?.source).toBe('cmudict');
    expect((await g2p.phonemizeWords(["Nice's"], 'en-us'))[0]?.phonemes).toBe('nˈisᵻz');
  });

  it("names the user's lexicon entry behind each word it answered, possessives and compounds included", async () => {
    const entries: Record<string, UserPronunciation> = { kokoro: { phonemes: 'kˈOkəɹO', entryId: 7 }, misaki: { phonemes: 'misˈɑki', entryId: 9 } };
    const g2p = new G2P({ user: { lookup: (word) => entries[word.toLowerCase()] }, cmudict });
    const out = await g2p.phonemizeWords(['Kokoro', "Kokoro's", 'Kokoro-Misaki', 'water'], 'en-us');
    expect(out.map((w) => w.lexiconEntryIds)).toEqual([[7], [7], [7, 9], undefined]);
  });

  it('uses only the user lexicon and eSpeak for British English', async () => {
    const espeak = new FakeEspeak({ water: 'wˈɔːtə', goat: 'ɡˈəʊt' });
    const g2p = new G2P({ cmudict, espeak });
    const out = await g2p.phonemizeWords(['water', 'goat'], 'en-gb');
    expect(out.map((o) => [o.phonemes, o.source])).toEqual([
      ['wˈɔːtə', 'espeak'],
      ['ɡˈQt', 'espeak'],
    ]);
  });

  it('keeps Kokoro punctuation, folds a few marks and silences the rest', async () => {
    const g2p = new G2P({ cmudict });
    const out = await g2p.phonemizeWords(['(', 'hi', ')', '...', '–', "'", ';', '!?'], 'en-us');
    expect(out.map((o) => o.phonemes)).toEqual(['(', 'hˈI', ')', '…', '—', '', ';', '!?']);
  });

  it('leaves a word no layer knows silent', async () => {
    const out = await new G2P({ cmudict }).phonemizeWords(['zorblat'], 'en-us');
    expect(out[0]).toEqual({ word: 'zorblat', phonemes: '', source: 'none' });
  });

  it('un-stresses common function words that eSpeak says in isolation', async () => {
    const g2p = new G2P({ espeak: new FakeEspeak({ and: 'ˈand', tea: 'tˈiː' }) });
    const inText = await g2p.phonemizeWords(['tea', 'and', 'tea'], 'en-gb');
    expect(inText.map((o) => o.phonemes)).toEqual(['tˈiː', 'and', 'tˈiː']);
    const alone = await g2p.phonemizeWords(['and'], 'en-gb', { context: false });
    expect(alone[0]?.phonemes).toBe('ˈand');
  });
});

describe('eSpeak NG through npm phonemizer', () => {
  const espeak = new EspeakPhonemizer();

  it('phonemizes a batch word by word, each as if alone', async () => {
    const words = ['hello', 'world', 'the', 'butter', 'e.g.', ''];
    const raw = await espeak.phonemizeRaw(words, 'en-us');
    expect(raw).toHaveLength(words.length);
    expect(raw[0]).toBe('həlˈoʊ');
    expect(raw[1]).toBe('wˈɜːld');
    expect(raw[3]).toBe('bˈʌɾɚ');
    expect(raw[4]).not.toBe('');
    expect(raw[5]).toBe('');
  });

  it('switches between the American and British voices', async () => {
    for (let i = 0; i < 2; i++) {
      expect(await espeak.phonemizeRaw(['goat'], 'en-us')).toEqual(['ɡˈoʊt']);
      expect(await espeak.phonemizeRaw(['goat'], 'en-gb')).toEqual(['ɡˈəʊt']);
    }
  });

  it('gives British conversions end to end (ɒ, ː, Q, ɛː, a)', async () => {
    const g2p = new G2P({ espeak });
    const out = await g2p.phonemizeWords(['lot', 'thought', 'goat', 'hair', 'bath', 'near'], 'en-gb', { context: false });
    expect(out.map((o) => o.phonemes)).toEqual(['lˈɒt', 'θˈɔːt', 'ɡˈQt', 'hˈɛː', 'bˈaθ', 'nˈɪə']);
    expect(out.every((o) => o.source === 'espeak')).toBe(true);
  });

  it('gives American conversions end to end (O, ɜɹ, T, no ː)', async () => {
    const g2p = new G2P({ espeak });
    const out = await g2p.phonemizeWords(['goat', 'nurse', 'butter', 'thought'], 'en-us', { context: false });
    expect(out.map((o) => o.phonemes)).toEqual(['ɡˈOt', 'nˈɜɹs', 'bˈʌTəɹ', 'θˈɔt']);
  });
});

describe.skipIf(!(hasDevSet && hasVocab && hasLexicon))('dev set (../shared/g2p/us_gold_dev.tsv)', () => {
  let vocab: Vocab;
  let words: string[];
  let refs: string[];
  const espeak = new EspeakPhonemizer();
  beforeAll(async () => {
    vocab = await loadVocab(VOCAB_PATH);
    const rows = readFileSync(DEV_TSV, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split('\t'));
    words = rows.map((r) => r[0] ?? '');
    refs = rows.map((r) => r[1] ?? '');
  });

  const outsideVocab = (phonemes: readonly string[]): string[] =>
    [...new Set(phonemes.flatMap((p) => [...p]))].filter((c) => !Object.hasOwn(vocab, c));

  it('matches the gold lexicon exactly with misaki lexicons loaded', async () => {
    const data = await loadMisakiLexicon(LEXICON_DIR);
    if (!data) throw new Error('no lexicon');
    const out = await new G2P({ misaki: new MisakiLexicon(data) }).phonemizeWords(words, 'en-us', { context: false });
    expect(out.map((o) => o.phonemes)).toEqual(refs);
  });

  it('produces only vocab symbols from CMUdict and eSpeak, in both accents', { timeout: 60_000 }, async () => {
    const us = await new G2P({ cmudict: await loadCmuDict(), espeak }).phonemizeWords(words, 'en-us', { context: false });
    const gb = await new G2P({ espeak }).phonemizeWords(words, 'en-gb', { context: false });
    expect(us.filter((o) => o.phonemes === '')).toEqual([]);
    expect(gb.filter((o) => o.phonemes === '')).toEqual([]);
    expect(outsideVocab(us.map((o) => o.phonemes))).toEqual([]);
    expect(outsideVocab(gb.map((o) => o.phonemes))).toEqual([]);
    expect(outsideVocab(refs)).toEqual([]);
  });
});
