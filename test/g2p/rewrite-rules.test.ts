import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignTargets, learnRules, type Example } from '../../scripts/g2p-rule-learner';
import { EspeakPhonemizer } from '../../src-main/engine/g2p/espeak-phonemizer';
import { loadCmuDict, loadVocab } from '../../src-main/engine/g2p/load';
import { G2P } from '../../src-shared/g2p/g2p';
import { CMUDICT_US_RULES } from '../../src-shared/g2p/learned/cmudict-us-rules';
import { ESPEAK_US_RULES } from '../../src-shared/g2p/learned/espeak-us-rules';
import { applyRules, ruleSpelling, TEMPLATES, unpackRules, type RewriteRule } from '../../src-shared/g2p/rewrite-rules';
import { InMemoryUserLexicon } from '../../src-shared/g2p/user-lexicon';
import { FakeEspeak } from './fake-espeak';
import { DEV_TSV, hasDevSet, hasVocab, VOCAB_PATH } from './shared-data';

// Template indexes, as listed in TEMPLATES.
const NEXT = 2;
const STRESS = 6;
const VOWELS_AFTER_SUFFIX2 = 15;

describe('rewrite rules', () => {
  it('rewrites a symbol only in its context', () => {
    const rule: RewriteRule = { template: NEXT, context: 'n', from: 'ɪ', to: 'ə' };
    expect(applyRules('bˈɪlɪn', [rule], '')).toBe('bˈɪlən');
    expect(applyRules('bˈɪlɪk', [rule], '')).toBe('bˈɪlɪk');
  });

  it('inserts before a symbol and deletes one', () => {
    // A secondary stress on a full vowel before the primary stress ("comminution").
    const insert: RewriteRule = { template: STRESS, context: '>', from: 'ɑ', to: 'ˌɑ' };
    expect(applyRules('kɑmənˈuʃən', [insert], '')).toBe('kˌɑmənˈuʃən');
    const drop: RewriteRule = { template: STRESS, context: '<', from: 'ˌ', to: '' };
    expect(applyRules('ˈɔdˌæks', [drop], '')).toBe('ˈɔdæks');
  });

  it('rewrites every match at once, reading contexts before any change', () => {
    // With one-at-a-time rewriting the second ɪ would no longer follow ɪ.
    const rule: RewriteRule = { template: 1, context: 'ɪ', from: 'ɪ', to: 'ə' };
    expect(applyRules('ɪɪɪ', [rule], '')).toBe('ɪəə');
  });

  it('runs rules in order, each on the output of the one before', () => {
    const a: RewriteRule = { template: 0, context: '', from: 'ɪ', to: 'ə' };
    const b: RewriteRule = { template: 0, context: '', from: 'ə', to: 'ᵊ' };
    expect(applyRules('ɪ', [a, b], '')).toBe('ᵊ');
    expect(applyRules('ɪ', [b, a], '')).toBe('ə');
  });

  it('can condition on the spelling, read in lower case without a possessive', () => {
    const rule: RewriteRule = { template: VOWELS_AFTER_SUFFIX2, context: '0|is', from: 'ə', to: 'ɪ' };
    expect(applyRules('ˈæləsəs', [rule], 'allasis')).toBe('ˈæləsɪs');
    expect(applyRules('ˈæləsəs', [rule], 'ALLASIS')).toBe('ˈæləsɪs');
    expect(applyRules('ˈæləsəs', [rule], 'allasus')).toBe('ˈæləsəs');
    expect(ruleSpelling("Kensington's")).toBe('kensington');
    expect(ruleSpelling('Jameses’')).toBe('jameses');
  });

  it('refuses a rule list that names a context it does not know', () => {
    expect(() => unpackRules([[TEMPLATES.length, '', 'ɪ', 'ə']])).toThrow(/no template/);
    expect(unpackRules([[NEXT, 'n', 'ɪ', 'ə']])).toEqual([{ template: NEXT, context: 'n', from: 'ɪ', to: 'ə' }]);
  });
});

describe('rule learner', () => {
  it('aligns an inserted stress mark with the vowel after it', () => {
    expect(alignTargets([...'kɑmən'], [...'kˌɑmən'])).toEqual(['k', 'ˌɑ', 'm', 'ə', 'n']);
    expect(alignTargets([...'ˈɔdˌæks'], [...'ˈɔdæks'])).toEqual(['ˈ', 'ɔ', 'd', '', 'æ', 'k', 's']);
    expect(alignTargets([...'bɪt'], [...'bət'])).toEqual(['b', 'ə', 't']);
  });

  it('finds the rule behind a regular error and improves words it never saw', () => {
    // The layer writes a word-final -ɪs where the reference has -əs; its -ɪs before a k, and a
    // stressed word-initial ˈɪs, are right and must stay.
    const stems = ['kˈæl', 'tˈɛn', 'mˈɔɹ', 'fˈæb', 'ɡˈɑd', 'lˈɛm', 'pˈɪt', 'sˈʌb', 'dˈIv', 'ɹˈOm'];
    const examples: Example[] = stems.flatMap((stem, k) => [
      { word: `w${k}`, hyp: `${stem}ɪs`, ref: `${stem}əs`, train: k < 7 },
      { word: `x${k}`, hyp: `${stem}ɪsk`, ref: `${stem}ɪsk`, train: k < 7 },
      { word: `y${k}`, hyp: `ˈɪs${stem.replace('ˈ', '')}`, ref: `ˈɪs${stem.replace('ˈ', '')}`, train: k < 7 },
    ]);
    const { rules, validationExact } = learnRules(examples, { maxRules: 5, minScore: 2 });
    expect(rules.length).toBeGreaterThan(0);
    // 3 held-out stems, each with one wrong and two right words.
    expect(validationExact[0]).toBe(6);
    expect(validationExact.at(-1)).toBe(9);
    expect(applyRules('bˈæɡɪs', rules, '')).toBe('bˈæɡəs');
    expect(applyRules('bˈæɡɪsk', rules, '')).toBe('bˈæɡɪsk');
  });
});

describe('rules and memory inside the G2P', () => {
  // eSpeak's American IPA for a few words; the learned rules change at least one (checked below).
  const ipa = { ability: 'ɐbˈɪlɪɾi', dentist: 'dˈɛntɪst', tables: 'tˈeɪbəlz' };
  const words = Object.keys(ipa);

  it('applies the learned rules to American English only', async () => {
    const plainUs = await new G2P({ espeak: new FakeEspeak(ipa) }, { learnedRules: false }).phonemizeWords(words, 'en-us', { context: false });
    const us = await new G2P({ espeak: new FakeEspeak(ipa) }).phonemizeWords(words, 'en-us', { context: false });
    const plainGb = await new G2P({ espeak: new FakeEspeak(ipa) }, { learnedRules: false }).phonemizeWords(words, 'en-gb', { context: false });
    const gb = await new G2P({ espeak: new FakeEspeak(ipa) }).phonemizeWords(words, 'en-gb', { context: false });
    expect(gb).toEqual(plainGb);
    expect(us.map((o) => o.phonemes)).not.toEqual(plainUs.map((o) => o.phonemes));
    // Each American word is exactly what the rule list makes of the plain conversion.
    const rules = unpackRules(ESPEAK_US_RULES);
    expect(us.map((o) => o.phonemes)).toEqual(plainUs.map((o) => applyRules(o.phonemes, rules, o.word)));
  });

  it('asks eSpeak once per word and accent, and still lets a new user entry win', async () => {
    const espeak = new FakeEspeak(ipa);
    const user = new InMemoryUserLexicon();
    const g2p = new G2P({ user, espeak });
    const first = await g2p.phonemizeWords(['dentist'], 'en-us');
    expect(await g2p.phonemizeWords(['dentist'], 'en-us')).toEqual(first);
    await g2p.phonemizeWords(['dentist'], 'en-gb');
    expect(espeak.calls).toEqual([
      { words: ['dentist'], lang: 'en-us' },
      { words: ['dentist'], lang: 'en-gb' },
    ]);
    user.set('dentist', 'dˈɛnTɪst');
    expect((await g2p.phonemizeWords(['dentist'], 'en-us'))[0]).toMatchObject({ phonemes: 'dˈɛnTɪst', source: 'user' });
  });

  it('remembers CMUdict words without going stale for the user lexicon', async () => {
    const user = new InMemoryUserLexicon();
    const g2p = new G2P({ user, cmudict: await loadCmuDict() });
    expect((await g2p.phonemizeWords(['water'], 'en-us'))[0]?.source).toBe('cmudict');
    user.set('water', 'wˈɑTəɹ');
    expect((await g2p.phonemizeWords(['water'], 'en-us'))[0]).toMatchObject({ phonemes: 'wˈɑTəɹ', source: 'user' });
  });
});

describe('the learned rule lists', () => {
  const lists = { cmudict: unpackRules(CMUDICT_US_RULES), espeak: unpackRules(ESPEAK_US_RULES) };

  it.runIf(hasVocab)('only ever write symbols Kokoro has', async () => {
    const vocab = await loadVocab(VOCAB_PATH);
    for (const rules of Object.values(lists)) {
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.template).toBeLessThan(TEMPLATES.length);
        for (const symbol of [...rule.from, ...rule.to]) expect(Object.hasOwn(vocab, symbol), symbol).toBe(true);
      }
    }
  });

  // The lists were learned on gold words outside the dev set, so this is a held-out check.
  describe.runIf(hasDevSet)('on the dev words', () => {
    const rows = readFileSync(DEV_TSV, 'utf8')
      .split('\n')
      .filter((l) => l.includes('\t'))
      .map((l) => l.split('\t') as [string, string]);

    async function exactMatches(g2p: G2P, words: readonly [string, string][]): Promise<number> {
      const out = await g2p.phonemizeWords(words.map((r) => r[0]), 'en-us', { context: false });
      return out.filter((o, i) => o.phonemes === words[i]?.[1]).length;
    }

    it('bring CMUdict closer to misaki', async () => {
      const cmudict = await loadCmuDict();
      const inDict = rows.filter(([w]) => Object.hasOwn(cmudict, w.toLowerCase()));
      const plain = await exactMatches(new G2P({ cmudict }, { learnedRules: false }), inDict);
      const learned = await exactMatches(new G2P({ cmudict }), inDict);
      expect(learned).toBeGreaterThan(plain);
    });

    it('bring eSpeak closer to misaki', async () => {
      const cmudict = await loadCmuDict();
      const espeak = new EspeakPhonemizer();
      const outside = rows.filter(([w]) => !Object.hasOwn(cmudict, w.toLowerCase())).slice(0, 300);
      const plain = await exactMatches(new G2P({ espeak }, { learnedRules: false }), outside);
      const learned = await exactMatches(new G2P({ espeak }), outside);
      expect(learned).toBeGreaterThan(plain);
    });
  });
});
