/**
 * Words written as parts (src-shared/g2p/compound.ts): misaki's rule for joining parts its
 * lexicons have (G2P.resolve_tokens in misaki/en.py), and numbers as its gold lexicon writes them.
 */
import { describe, expect, it } from 'vitest';
import { isNumberCompound, joinCompound, joinNumberCompound } from '../../src-shared/g2p/compound';

const part = (text: string, phonemes: string): { text: string; phonemes: string } => ({ text, phonemes });

describe("misaki's rule for a word written as parts", () => {
  it('takes the primary from the lighter of two stressed parts, counting diphthongs twice', () => {
    // ˈATi weighs 5 (A counts 2), tˈu 3: "two" gives way.
    expect(joinCompound([part('eighty', 'ˈATi'), part('two', 'tˈu')])).toBe('ˈATitˌu');
    // Equal weights: the first part gives way.
    expect(joinCompound([part('cat', 'kˈæt'), part('dog', 'dˈɔɡ')])).toBe('kˌætdˈɔɡ');
    // A demoted part loses its secondary marks too (sˈɔltwˌɔTəɹ weighs 11, ɛkspˈɛɹɪmˌɛntᵊl 15).
    expect(joinCompound([part('saltwater', 'sˈɔltwˌɔTəɹ'), part('experimental', 'ɛkspˈɛɹɪmˌɛntᵊl')])).toBe('sˌɔltwɔTəɹɛkspˈɛɹɪmˌɛntᵊl');
  });

  it('leaves the stress alone when at most half the parts have a primary', () => {
    expect(joinCompound([part('re', 'ɹi'), part('do', 'dˈu')])).toBe('ɹidˈu');
    expect(joinCompound([part('a', 'ˈA'), part('b', 'bˌi'), part('c', 'sˈi'), part('d', 'dˌi')])).toBe('ˈAbˌisˈidˌi');
  });

  it('demotes the lighter half of three or more stressed parts', () => {
    // Three primaries, more than (3+1)/2: the lightest one (tˈu, 3) gives way.
    expect(joinCompound([part('one', 'wˈʌn'), part('two', 'tˈu'), part('three', 'θɹˈi')])).toBe('wˈʌntˌuθɹˈi');
    // Four primaries: the two lightest, ˈæb (3), then ʤˈi (4; it ties with hˈI and comes first).
    expect(joinCompound([part('ab', 'ˈæb'), part('cdef', 'kˈIdɛf'), part('g', 'ʤˈi'), part('hi', 'hˈI')])).toBe('ˌæbkˈIdɛfʤˌihˈI');
  });

  it('counts a part with no primary among the half it demotes, which leaves it as it is', () => {
    // Three primaries of four parts: two give way, kˌId (no primary, first in line) and tˈu (3).
    expect(joinCompound([part('one', 'wˈʌn'), part('kid', 'kˌId'), part('two', 'tˈu'), part('three', 'θɹˈi')])).toBe('wˈʌnkˌIdtˌuθɹˈi');
  });

  it('always takes the primary from the second of two parts after a one-letter part ("X-ray")', () => {
    expect(joinCompound([part('X', 'ˈɛks'), part('ray', 'ɹˈA')])).toBe('ˈɛksɹˌA');
    // Even when the second part is the heavier one.
    expect(joinCompound([part('T', 'tˈi'), part('shirt', 'ʃˈɜɹt')])).toBe('tˈiʃˌɜɹt');
  });

  it('skips parts with no phonemes when counting', () => {
    expect(joinCompound([part('eighty', 'ˈATi'), part("'", ''), part('two', 'tˈu')])).toBe('ˈATitˌu');
    // The one-letter rule looks at the first part that has phonemes.
    expect(joinCompound([part("'", ''), part('T', 'tˈi'), part('shirt', 'ʃˈɜɹt')])).toBe('tˈiʃˌɜɹt');
    // A one-letter part without phonemes is not it: "shirt" ties with "sleeve" (5 each) and, first, gives way.
    expect(joinCompound([part('T', ''), part('shirt', 'ʃˈɜɹt'), part('sleeve', 'slˈiv')])).toBe('ʃˌɜɹtslˈiv');
  });
});

describe('numbers written as a tens word and a unit', () => {
  it('recognises the normaliser\'s spelled-out numbers, cardinal and ordinal, in any case', () => {
    expect(isNumberCompound(['eighty', 'two'])).toBe(true);
    expect(isNumberCompound(['Twenty', 'First'])).toBe(true);
    expect(isNumberCompound(['two', 'eighty'])).toBe(false);
    expect(isNumberCompound(['eighty', 'twelve'])).toBe(false);
    expect(isNumberCompound(['twenty', 'one', 'two'])).toBe(false);
  });

  it("makes the tens part's stress secondary and keeps the unit's, as gold's twˌɛntiwˈʌn", () => {
    expect(joinNumberCompound('twˈɛnti', 'wˈʌn')).toBe('twˌɛntiwˈʌn');
    // Unlike misaki's general rule, which would demote the lighter unit.
    expect(joinCompound([part('twenty', 'twˈɛnti'), part('one', 'wˈʌn')])).toBe('twˈɛntiwˌʌn');
    expect(joinNumberCompound('ˈATi', 'sˈɪks')).toBe('ˌATisˈɪks');
  });
});
