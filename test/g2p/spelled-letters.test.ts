/**
 * Letters the normaliser spelled ("FBI", "U.S.A."): said by their names, stressed as misaki
 * stresses an acronym (its get_NNP: every letter secondary but the last), and told apart from
 * the words "A" and "I".
 */
import { describe, expect, it } from 'vitest';
import { G2P, InMemoryUserLexicon, type SpelledLetter } from '../../src-shared/g2p/index';
import { FakeEspeak } from './fake-espeak';

const cmudict = { f: 'EH1 F', b: 'B IY1', i: 'AY1', a: 'AH0', am: 'AE1 M', the: 'DH AH0', and: 'AH0 N D' };

async function say(g2p: G2P, words: string[], spelled: (SpelledLetter | undefined)[], lang: 'en-us' | 'en-gb' = 'en-us'): Promise<string[]> {
  return (await g2p.phonemizeWords(words, lang, { spelled })).map((o) => o.phonemes);
}

describe('spelled letters', () => {
  it('stresses the last letter of an acronym and makes the others secondary', async () => {
    const g2p = new G2P({ cmudict, espeak: new FakeEspeak({}) });
    const plain = await say(g2p, ['F', 'B'], []);
    expect(plain).toEqual(['ˈɛf', 'bˈi']);
    // ("the" before the vowel of ˌɛf is ði.)
    expect(await say(g2p, ['the', 'F', 'B', 'I'], [undefined, 'letter', 'letter', 'last-letter'])).toEqual(['ði', 'ˌɛf', 'bˌi', 'ˈI']);
  });

  it('says "A" and "I" by their names, where the same words unspelled are the article and the pronoun', async () => {
    const g2p = new G2P({ cmudict, espeak: new FakeEspeak({}) });
    const words = ['the', 'F', 'B', 'I', 'and', 'I', 'am'];
    const spelled: (SpelledLetter | undefined)[] = [undefined, 'letter', 'letter', 'last-letter'];
    const out = await say(g2p, words, spelled);
    expect(out.slice(1, 4)).toEqual(['ˌɛf', 'bˌi', 'ˈI']);
    // The pronoun after it keeps misaki's weak form.
    expect(out[5]).toBe('ˌI');
    expect(out[5]).toBe((await say(g2p, words, []))[5]);
    // "U S A" spelled: A by name, with the primary; the article "A" starting a clause is not.
    const usa = await say(g2p, ['A', 'F', 'A'], [undefined, 'letter', 'last-letter']);
    expect(usa[2]).toBe('ˈA');
    expect(usa[0]).not.toBe('ˈA');
  });

  it("takes the user's entry for a letter, and still stresses it as a letter of the acronym", async () => {
    const user = new InMemoryUserLexicon([['Z', 'zˈɛd']]);
    const g2p = new G2P({ user, cmudict, espeak: new FakeEspeak({}) });
    const out = await g2p.phonemizeWords(['Z', 'F'], 'en-us', { spelled: ['letter', 'last-letter'] });
    expect(out.map((o) => [o.phonemes, o.source])).toEqual([['zˌɛd', 'user'], ['ˈɛf', 'cmudict']]);
  });

  it('does the same in British English, where eSpeak NG says the other letters', async () => {
    const espeak = new FakeEspeak({ B: 'bˈiː', C: 'sˈiː' });
    const g2p = new G2P({ espeak });
    expect(await say(g2p, ['B', 'B', 'C'], ['letter', 'letter', 'last-letter'], 'en-gb')).toEqual(['bˌiː', 'bˌiː', 'sˈiː']);
    expect(await say(g2p, ['I', 'A'], ['letter', 'last-letter'], 'en-gb')).toEqual(['ˌI', 'ˈA']);
  });
});

describe('a capital "A" the normaliser did not spell', () => {
  const words = { a: 'AH0', grade: 'G R EY1 D', student: 'S T UW1 D AH0 N T', this: 'DH IH1 S', is: 'IH1 Z', test: 'T EH1 S T' };
  const g2p = new G2P({ cmudict: words, espeak: new FakeEspeak({}) });

  it('is the letter where the front end marks it (a one-letter acronym), else the article, also inside a clause', async () => {
    expect(await say(g2p, ['a', 'grade', 'A', 'student'], [undefined, undefined, 'last-letter'])).toEqual(['ɐ', 'ɡɹˈAd', 'ˈA', 'stˈudᵊnt']);
    // The front end leaves it unmarked in capitals ("THIS IS A TEST", which the normaliser lower-cases).
    expect((await say(g2p, ['this', 'is', 'A', 'test'], []))[2]).toBe('ɐ');
  });

  it("keeps the user's entry", async () => {
    const user = new InMemoryUserLexicon([['A', 'ˈɑ']]);
    const withUser = new G2P({ user, cmudict: words, espeak: new FakeEspeak({}) });
    expect((await withUser.phonemizeWords(['grade', 'A', 'student'], 'en-us', { spelled: [undefined, 'last-letter'] }))[1]?.phonemes).toBe('ˈɑ');
    expect((await withUser.phonemizeWords(['this', 'is', 'A', 'test'], 'en-us'))[2]?.phonemes).toBe('ˈɑ');
  });
});
