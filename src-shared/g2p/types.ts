/** Languages the English G2P handles. */
export type G2PLang = 'en-us' | 'en-gb';

/**
 * Which layer produced a word's phonemes. `rule` is a misaki-style context rule for a few
 * function words (the/a/an/to/in/I); `none` means no layer knew the word (it is then silent).
 */
export type PhonemeSource =
  | 'user'
  | 'gold'
  | 'silver'
  | 'cmudict'
  | 'model'
  | 'espeak'
  | 'rule'
  | 'punct'
  | 'none';

export interface WordPhonemes {
  /** The input token, unchanged. */
  word: string;
  /** Kokoro (misaki) symbols, v1.0 flavour (`T`, no `ɾ`/`ʔ`); '' when silent. */
  phonemes: string;
  source: PhonemeSource;
  /** The user-lexicon entries that gave the phonemes (source 'user'), for the audio cache. */
  lexiconEntryIds?: readonly number[];
}

/** A word that is one letter of a spelled acronym ("F" of "FBI"): the last one keeps its stress. */
export type SpelledLetter = 'letter' | 'last-letter';

export interface PhonemizeOptions {
  /**
   * true (default): the words are running text, so the previous/next word choose heteronyms
   * and weak forms. false: every word is pronounced on its own (word lists, benchmarks).
   */
  context?: boolean;
  /**
   * Per word, whether it is a letter of an acronym (the normaliser spelled it, or it is a lone
   * "A" the front end found to be the letter: "grade A"): said by its name ("A" and "I" are not
   * the article and pronoun), stressed as misaki stresses acronyms (the letters secondary, the
   * last one primary: ˌɛf bˌi ˈI). An unmarked "A" is the article.
   */
  spelled?: readonly (SpelledLetter | undefined)[];
}

export interface Phonemizer {
  phonemizeWords(
    words: readonly string[],
    lang: G2PLang,
    options?: PhonemizeOptions,
  ): Promise<WordPhonemes[]>;
}

/**
 * A user's own pronunciation, in Kokoro symbols. `entryId` names the lexicon entry it came
 * from, so audio made with it can be invalidated when the entry changes. Returned with each
 * lookup, not recorded on the side: lookups of concurrent requests interleave.
 */
export interface UserPronunciation {
  phonemes: string;
  entryId?: number;
}

/** A user's own pronunciations. */
export interface UserLexicon {
  lookup(word: string, lang: G2PLang): UserPronunciation | undefined;
}

/** Kokoro's vocab.json: symbol -> token id. */
export type Vocab = Readonly<Record<string, number>>;

/** One misaki lexicon value: phonemes, or per part-of-speech phonemes (null = spell it). */
export type MisakiEntry = string | null | { readonly [tag: string]: string | null };
export type MisakiDict = Readonly<Record<string, MisakiEntry>>;

export interface MisakiLexiconData {
  gold: MisakiDict;
  silver?: MisakiDict | undefined;
}

/** CMUdict as shipped by `cmu-pronouncing-dictionary`: word -> ARPAbet with stress digits. */
export type CmuDict = Readonly<Record<string, string>>;

/**
 * eSpeak NG (or anything like it): raw IPA for each word, in order, one string per word
 * ('' when it had nothing to say). Conversion to Kokoro symbols happens in src-shared.
 */
export interface EspeakBackend {
  phonemizeRaw(words: readonly string[], lang: G2PLang): Promise<string[]>;
}
