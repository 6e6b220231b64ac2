import type { Phonemizer } from '../../src-shared/g2p/index';

/** Each word's phonemes are its letters (lower case), so ids are predictable. */
export const letterG2P: Phonemizer = {
  phonemizeWords: (words) => Promise.resolve(words.map((word) => ({ word, phonemes: word.toLowerCase().replace(/[^a-z]/g, ''), source: 'user' as const }))),
};

/** The letters and the sentence marks, as Kokoro ids. */
export const letterVocab = Object.fromEntries([...'abcdefghijklmnopqrstuvwxyz'].map((c, i) => [c, 43 + i]).concat([['.', 4], [',', 3], ['?', 6], ['!', 5]]));
