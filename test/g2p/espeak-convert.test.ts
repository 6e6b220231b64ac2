import { describe, expect, it } from 'vitest';
import { espeakToMisaki } from '../../src-shared/g2p/espeak-convert';
import { toV1 } from '../../src-shared/g2p/symbols';

const us = (ipa: string, word = ''): string => toV1(espeakToMisaki(ipa, 'en-us', word));
const gb = (ipa: string): string => toV1(espeakToMisaki(ipa, 'en-gb'));

describe('eSpeak IPA -> misaki symbols (misaki table, longest match first)', () => {
  it('maps diphthongs and affricates to one letter', () => {
    expect(us('pɹˈaɪs')).toBe('pɹˈIs');
    expect(us('hˈaʊs')).toBe('hˈWs');
    expect(us('dʒˈʌdʒ')).toBe('ʤˈʌʤ');
    expect(us('tʃˈɜːtʃ')).toBe('ʧˈɜɹʧ');
    expect(us('bˈɔɪ')).toBe('bˈY');
    expect(us('fˈeɪs')).toBe('fˈAs');
    expect(us('ɡˈoʊt')).toBe('ɡˈOt');
  });

  it('maps single symbols', () => {
    expect(us('ɐbˈaʊt')).toBe('əbˈWt'); // ɐ -> ə
    expect(us('bˈʌɾɚ')).toBe('bˈʌTəɹ'); // ɚ -> əɹ, then v1.0 ɾ -> T
    expect(us('lˈɒx')).toBe('lˈɒk'); // x -> k
    expect(us('ɹɪç')).toBe('ɹɪk'); // ç -> k
    expect(us('ɬˈæn')).toBe('lˈæn'); // ɬ -> l
    expect(us('rˈɛd')).toBe('ɹˈɛd'); // r -> ɹ
    expect(us('kʲˈuːt')).toBe('kˈut'); // ʲ dropped
    expect(us('kʲəʊ')).not.toContain('ʲ');
    expect(us('bˈɑ̃')).toBe('bˈɑ'); // nasalisation dropped
  });

  it('turns syllabic consonants and the glottal stop into misaki forms', () => {
    expect(us('bˈʌʔn̩')).toBe('bˈʌtn'); // ʔn̩ -> ʔn -> tn
    expect(us('sˈɜːʔn̩')).toBe('sˈɜɹtn');
    expect(us('lˈɪtl̩')).toBe('lˈɪtᵊl'); // l̩ -> ᵊl
    expect(us('bˈɑːɾəl')).toBe('bˈɑTᵊl'); // əl -> ᵊl after a consonant
  });

  it('applies the American rules: oʊ -> O, ɜː -> ɜɹ, ɪə -> iə, no length marks', () => {
    expect(us('həlˈoʊ')).toBe('həlˈO');
    expect(us('wˈɜːld')).toBe('wˈɜɹld');
    expect(us('nˈɜːɹs')).toBe('nˈɜɹs');
    expect(us('ɪdˈiːə')).toBe('ɪdˈiə');
    expect(us('ɹˈiːd')).toBe('ɹˈid');
    expect(us('θˈɔːt')).toBe('θˈɔt');
  });

  it('applies the British rules: əʊ -> Q, eə -> ɛː, iə -> ɪə, keeps ː, ɒ and a', () => {
    expect(gb('ɡˈəʊt')).toBe('ɡˈQt');
    expect(gb('hˈeə')).toBe('hˈɛː');
    expect(gb('nˈiə')).toBe('nˈɪə');
    expect(gb('lˈɒt')).toBe('lˈɒt');
    expect(gb('bˈaθ')).toBe('bˈaθ');
    expect(gb('θˈɔːt')).toBe('θˈɔːt');
    expect(gb('stˈɑːt')).toBe('stˈɑːt');
    expect(gb('nˈɜːs')).toBe('nˈɜːs');
    expect(gb('wˈɔːtə')).toBe('wˈɔːtə'); // no American flap
    expect(gb('pɹˈaɪs')).toBe('pɹˈIs');
  });

  it('keeps eSpeak ɚɹ before a vowel as one ɹ', () => {
    expect(us('lˈæsɚɹˌeɪɾɪŋ')).toBe('lˈæsəɹˌATɪŋ');
  });

  it('reduces vowels and adds stresses the way the American gold lexicon does', () => {
    expect(us('ˈɑːɹdvɑːɹk', 'aardvark')).toBe('ˈɑɹdvˌɑɹk'); // full vowel after the stress
    expect(us('ɔːltˈɜːnətˌɪv', 'alternative')).toBe('ɔltˈɜɹnəTɪv'); // -ive unstressed, flapped
    expect(us('bˈɛndiɪst', 'bendiest')).toBe('bˈɛndiᵻst'); // -est
    expect(us('ɐkjˈuːmjʊlˌeɪt', 'accumulate')).toBe('əkjˈumjəlˌAt');
  });
});
