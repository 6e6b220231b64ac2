import { describe, expect, it } from 'vitest';
import { dictionary } from 'cmu-pronouncing-dictionary';
import { arpabetToMisaki, lookupCmu } from '../../src-shared/g2p/cmudict';
import { deriveFromDictionary } from '../../src-shared/g2p/derive';

// Expected strings are misaki's gold entries (v1.0: ɾ written T) where CMUdict agrees.
describe('CMUdict -> misaki symbols', () => {
  it.each([
    ['about', 'əbˈWt'],
    ['hello', 'həlˈO'],
    ['reading', 'ɹˈidɪŋ'],
    ['twenty', 'twˈɛnti'],
    ['winter', 'wˈɪntəɹ'],
    ['passenger', 'pˈæsᵊnʤəɹ'],
    ['capable', 'kˈApəbᵊl'],
    ['basically', 'bˈAsəkᵊli'],
    ['biggest', 'bˈɪɡᵻst'],
    ['dentist', 'dˈɛntɪst'],
    ['analysis', 'ənˈæləsɪs'],
    ['attention', 'ətˈɛnʧən'],
    ['annual', 'ˈænjəwəl'],
    ['unheard', 'ˌʌnhˈɜɹd'],
  ])('maps %s to %s as in the gold lexicon', (word, expected) => {
    expect(lookupCmu(dictionary, word)).toBe(expected);
  });

  it('maps the plain phone table', () => {
    expect(arpabetToMisaki('CH JH DH TH NG SH ZH HH Y R')).toBe('ʧʤðθŋʃʒhjɹ');
    expect(['AW1', 'AY1', 'EY1', 'OW1', 'OY1'].map((p) => arpabetToMisaki(p))).toEqual(['ˈW', 'ˈI', 'ˈA', 'ˈO', 'ˈY']);
    expect(['AA1', 'AE1', 'AH1', 'AO1', 'EH1', 'IH1', 'IY1', 'UH1', 'UW1'].map((p) => arpabetToMisaki(p)).join(' ')).toBe(
      'ˈɑ ˈæ ˈʌ ˈɔ ˈɛ ˈɪ ˈi ˈʊ ˈu',
    );
    expect(arpabetToMisaki('ER1')).toBe('ˈɜɹ');
    expect(arpabetToMisaki('B ER1 D ER0')).toBe('bˈɜɹdəɹ');
  });

  it('writes stress marks just before the vowel, not before the syllable', () => {
    expect(arpabetToMisaki('AH0 B R AH1 P T')).toBe('əbɹˈʌpt');
    expect(arpabetToMisaki('S T R IY1 T')).toBe('stɹˈit');
    // CMUdict's 2 is a secondary stress
    expect(lookupCmu(dictionary, 'accidental')).toBe('ˌæksədˈɛntᵊl');
  });

  it('flaps t between a vowel and an unstressed vowel (American T)', () => {
    expect(lookupCmu(dictionary, 'butter')).toBe('bˈʌTəɹ');
    expect(lookupCmu(dictionary, 'water')).toBe('wˈɔTəɹ');
    expect(lookupCmu(dictionary, 'city')).toBe('sˈɪTi');
    expect(lookupCmu(dictionary, 'party')).toBe('pˈɑɹTi'); // after vowel + r
    expect(lookupCmu(dictionary, 'computer')).toBe('kəmpjˈuTəɹ');
    expect(lookupCmu(dictionary, 'little')).toBe('lˈɪTᵊl');
  });

  it('does not flap before a stressed vowel, after n, or before a syllabic n', () => {
    expect(lookupCmu(dictionary, 'attack')).toBe('ətˈæk');
    expect(lookupCmu(dictionary, 'twenty')).toBe('twˈɛnti');
    expect(lookupCmu(dictionary, 'button')).toBe('bˈʌtn');
  });

  it('moves stress like misaki: one primary, in- unstressed before the stress', () => {
    expect(lookupCmu(dictionary, 'engineer')).toBe('ˌɛnʤənˈɪɹ'); // CMUdict has two primaries
    expect(lookupCmu(dictionary, 'navigation')).toBe('nˌævəɡˈAʃən');
    expect(lookupCmu(dictionary, 'incredible')).toBe('ɪnkɹˈɛdəbᵊl');
  });

  it('reduces unstressed vowels as misaki does (ə, ᵻ, ᵊ)', () => {
    expect(arpabetToMisaki('N EY1 K IH0 D', 'naked')).toBe('nˈAkᵻd'); // -ed
    expect(arpabetToMisaki('HH AW1 S IH0 Z', 'houses')).toBe('hˈWsᵻz'); // -es
    expect(arpabetToMisaki('R IY1 D IH0 NG', 'reading')).toBe('ɹˈidɪŋ');
    expect(arpabetToMisaki('B AA1 T AH0 L', 'bottle')).toBe('bˈɑTᵊl');
  });

  it('is undefined for words CMUdict lacks', () => {
    expect(lookupCmu(dictionary, 'zorblatting')).toBeUndefined();
  });

  it('derives words CMUdict lacks from a known stem', () => {
    const lookup = (w: string): string | undefined => lookupCmu(dictionary, w);
    expect(deriveFromDictionary('zorblatting', lookup)).toBeUndefined();
    expect(deriveFromDictionary('unfriendliest', lookup)).toBe('ˌʌnfɹˈɛndliᵻst');
    expect(deriveFromDictionary('bluffness', lookup)).toBe('blˈʌfnəs');
    expect(deriveFromDictionary('adoringly', lookup)).toBe('ədˈɔɹɪŋli');
    expect(deriveFromDictionary('reinstalls', lookup)).toMatch(/^ɹˌi.*z$/);
  });
});
