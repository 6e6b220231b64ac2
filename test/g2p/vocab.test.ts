import { describe, expect, it } from 'vitest';
import { loadVocab } from '../../src-main/engine/g2p/load';
import type { Vocab, WordPhonemes } from '../../src-shared/g2p/types';
import { assembleTokens, joinPhonemes, phonemesToIds } from '../../src-shared/g2p/vocab';
import { hasVocab, VOCAB_PATH } from './shared-data';

const tiny: Vocab = { ' ': 16, ',': 3, '.': 4, h: 50, ə: 83, l: 54, ˈ: 156, O: 31, '“': 14, '”': 15 };

const w = (word: string, phonemes: string, source: WordPhonemes['source'] = 'gold'): WordPhonemes => ({
  word,
  phonemes,
  source,
});

describe('phoneme ids', () => {
  it('maps symbols to ids and counts the ones outside the vocab', () => {
    expect(phonemesToIds('həlˈO', tiny)).toEqual({ ids: [50, 83, 54, 156, 31], dropped: 0 });
    expect(phonemesToIds('həlˈOx!', tiny)).toEqual({ ids: [50, 83, 54, 156, 31], dropped: 2 });
    expect(phonemesToIds('', tiny)).toEqual({ ids: [], dropped: 0 });
  });

  it('does not take inherited object keys for symbols', () => {
    expect(phonemesToIds('constructor', {})).toEqual({ ids: [], dropped: 11 });
    expect(phonemesToIds('toString', { t: 62 })).toEqual({ ids: [62, 62], dropped: 6 });
  });

  it('joins words with spaces and attaches punctuation', () => {
    const tokens = [w('“', '“', 'punct'), w('hello', 'həlˈO'), w(',', ',', 'punct'), w('hello', 'həlˈO'), w('”', '”', 'punct'), w('.', '.', 'punct')];
    expect(joinPhonemes(tokens)).toBe('“həlˈO, həlˈO”.');
    expect(joinPhonemes([w('a', 'ɐ'), w('—', '—', 'punct'), w('b', 'bˈi')])).toBe('ɐ — bˈi');
    expect(joinPhonemes([w('"', '"', 'punct'), w('hi', 'hˈI'), w('"', '"', 'punct'), w('yes', 'jˈɛs')])).toBe('"hˈI" jˈɛs');
  });

  it('keeps, for every token, the ids it owns', () => {
    const a = assembleTokens([w('hello', 'həlˈO'), w(',', ',', 'punct'), w("'", '', 'punct'), w('hello', 'həlˈO')], tiny);
    expect(a.phonemes).toBe('həlˈO, həlˈO');
    expect(a.ids).toEqual([50, 83, 54, 156, 31, 3, 16, 50, 83, 54, 156, 31]);
    expect(a.spans).toEqual([
      { start: 0, end: 5 },
      { start: 5, end: 6 },
      { start: 6, end: 6 },
      { start: 7, end: 12 },
    ]);
    expect(a.dropped).toBe(0);
  });

  it.skipIf(!hasVocab)('loads Kokoro vocab.json: 114 symbols, the space is 16', async () => {
    const vocab = await loadVocab(VOCAB_PATH);
    expect(Object.keys(vocab)).toHaveLength(114);
    expect(vocab[' ']).toBe(16);
    expect(phonemesToIds('ðə kˈæt', vocab)).toEqual({ ids: [81, 83, 16, 53, 156, 72, 62], dropped: 0 });
  });
});
