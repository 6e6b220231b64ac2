/**
 * English G2P into Kokoro's (misaki's) phoneme set, word by word, for en-us and en-gb.
 * Pure TypeScript (no Node, no DOM): the lexicons, CMUdict, vocab and eSpeak backend are
 * passed in; src-main/engine/g2p loads them from disk and wraps eSpeak NG.
 *
 *   const g2p = new G2P({ user, misaki: new MisakiLexicon(data), cmudict, espeak });
 *   const words = await g2p.phonemizeWords(['Hello', ',', 'world', '.'], 'en-us');
 *   const { ids, dropped, spans } = assembleTokens(words, vocab);
 */
export type {
  CmuDict,
  EspeakBackend,
  G2PLang,
  MisakiDict,
  MisakiEntry,
  MisakiLexiconData,
  PhonemeSource,
  Phonemizer,
  PhonemizeOptions,
  SpelledLetter,
  UserLexicon,
  UserPronunciation,
  Vocab,
  WordPhonemes,
} from './types';
export { G2P, normalizeWord, type G2PLayers, type G2POptions } from './g2p';
export {
  NEURAL_G2P_FORMAT,
  NeuralG2P,
  NeuralG2PModel,
  readNeuralG2PWeights,
  type NeuralG2PHeader,
  type NeuralG2PHint,
  type NeuralG2PHints,
  type NeuralG2PWeights,
} from './neural/index';
export { MisakiLexicon, type LexiconContext, type LexiconHit } from './misaki-lexicon';
export { InMemoryUserLexicon } from './user-lexicon';
export { arpabetToMisaki, lookupCmu } from './cmudict';
export { espeakToMisaki } from './espeak-convert';
export { posTagsAfter } from './context';
export { assembleTokens, joinPhonemes, phonemesToIds, type AssembledTokens } from './vocab';
export { applyStress, isPunctuationToken, punctuationPhonemes, toV1 } from './symbols';
