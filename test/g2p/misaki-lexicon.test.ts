import { beforeAll, describe, expect, it } from 'vitest';
import { loadMisakiLexicon } from '../../src-main/engine/g2p/load';
import { G2P } from '../../src-shared/g2p/g2p';
import { MisakiLexicon } from '../../src-shared/g2p/misaki-lexicon';
import { hasLexicon, LEXICON_DIR } from './shared-data';

describe.skipIf(!hasLexicon)('misaki lexicons (read from ../shared/lexicon)', () => {
  let lex: MisakiLexicon;
  let g2p: G2P;
  let silverOnly: [string, string];
  beforeAll(async () => {
    const data = await loadMisakiLexicon(LEXICON_DIR);
    if (!data) throw new Error('no lexicon');
    const entry = Object.entries(data.silver ?? {}).find(
      ([w, p]) => /^[a-z]{6,}$/.test(w) && typeof p === 'string' && !(w in data.gold),
    );
    silverOnly = [entry?.[0] ?? '', String(entry?.[1])];
    lex = new MisakiLexicon(data);
    g2p = new G2P({ misaki: lex });
  });

  const say = async (sentence: string): Promise<string[]> =>
    (await g2p.phonemizeWords(sentence.split(' '), 'en-us')).map((w) => w.phonemes);

  it('looks up gold, then silver', () => {
    expect(lex.lookup('hello')).toEqual({ phonemes: 'həlˈO', source: 'gold' });
    expect(lex.lookup(silverOnly[0])).toEqual({ phonemes: silverOnly[1], source: 'silver' });
  });

  it('resolves "read" by the word before it', async () => {
    expect((await say('I will read'))[2]).toBe('ɹˈid'); // after a modal: VERB -> DEFAULT
    expect((await say('to read it'))[1]).toBe('ɹˈid');
    expect((await say('he read it'))[1]).toBe('ɹˈɛd'); // VBD
    expect((await say('I have read it'))[2]).toBe('ɹˈɛd'); // VBN
    expect((await say('it was read aloud'))[2]).toBe('ɹˈɛd'); // VBN
  });

  it('resolves "live" and "object" by the word before them', async () => {
    expect((await say('they live here'))[1]).toBe('lˈɪv'); // VERB
    expect((await say('a live show'))[1]).toBe('lˈIv'); // NOUN -> DEFAULT
    expect((await say('we object strongly'))[1]).toBe('əbʤˈɛkt'); // VERB
    expect((await say('the object is'))[1]).toBe('ˈɑbʤəkt'); // NOUN -> DEFAULT
    expect((await say('to record it'))[1]).toBe('ɹəkˈɔɹd');
    expect((await say('a record label'))[1]).toBe('ɹˈɛkəɹd');
  });

  it('says "used to" as jˈust', async () => {
    expect((await say('I used to go'))[1]).toBe('jˈust');
    expect((await say('I used it'))[1]).toBe('jˈuzd');
  });

  it('uses weak forms from the next word, citation forms at the end', async () => {
    expect(await say('the apple')).toEqual(['ði', 'ˈæpᵊl']);
    expect(await say('the pear')).toEqual(['ðə', 'pˈɛɹ']);
    expect((await say('go to bed'))[1]).toBe('tə');
    expect((await say('go to it'))[1]).toBe('tʊ');
    expect((await say('a cat'))[0]).toBe('ɐ');
    expect((await g2p.phonemizeWords(['the'], 'en-us'))[0]?.phonemes).toBe('ði'); // alone: gold
  });

  it('handles case like misaki: capitalised, all caps, acronyms', () => {
    expect(lex.lookup('Hello')?.phonemes).toBe('həlˈO');
    expect(lex.lookup('HELLO')?.phonemes).toBe('həlˈO');
    // not a word: spelled letter by letter, primary stress on the last letter
    expect(lex.lookup('XQZ')?.phonemes).toBe('ˌɛkskjˌuzˈi');
  });

  it('stems -s, -ed, -ing from a known word', () => {
    const gold = lex.lookup('brunch')?.phonemes ?? '';
    expect(gold).not.toBe('');
    expect(lex.lookup('brunched')?.phonemes).toBe(`${gold}t`);
    expect(lex.lookup('brunching')?.phonemes).toBe(`${gold}ɪŋ`);
    expect(lex.lookup("Zanzibar's")?.phonemes).toMatch(/z$/);
  });

  it('returns undefined for words it does not know', () => {
    expect(lex.lookup('zorblatting')).toBeUndefined();
  });
});
