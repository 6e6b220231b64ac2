/**
 * Context from neighbouring words, without a part-of-speech tagger: the previous word picks
 * the part-of-speech entry of a heteronym (misaki's gold lexicon keys them DEFAULT, NOUN,
 * VERB, VBD, VBN, ADJ...), and the next word's first sound picks a few weak forms.
 */

const TO = new Set(['to']);
const MODALS = new Set([
  'will', 'would', 'can', 'could', 'shall', 'should', 'may', 'might', 'must',
  'do', 'does', 'did', "don't", "doesn't", "didn't", "won't", "can't", 'cannot',
  "couldn't", "wouldn't", "shouldn't", "mustn't", "let's", "i'll", "you'll", "we'll",
  "they'll", "he'll", "she'll", "i'd", "you'd", "we'd", "they'd",
]);
const HAVE = new Set(['have', 'has', 'had', 'having', "i've", "you've", "we've", "they've", "haven't", "hasn't", "hadn't"]);
const BE = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', "isn't", "aren't", "wasn't", "weren't"]);
const THIRD_PERSON = new Set(['he', 'she', 'it', 'who']);
const OTHER_SUBJECTS = new Set(['i', 'you', 'we', 'they']);
const DETERMINERS = new Set([
  'the', 'a', 'an', 'my', 'your', 'his', 'her', 'its', 'our', 'their', 'this', 'that',
  'these', 'those', 'some', 'any', 'no', 'every', 'each', 'another', 'which', 'what', 'whose',
]);

/**
 * Part-of-speech keys to try for the word after `prev` (lowercase word, or undefined after
 * punctuation or at the start). DEFAULT is always the last resort and is not listed.
 */
export function posTagsAfter(prev: string | undefined): readonly string[] {
  if (prev === undefined) return [];
  const p = prev.toLowerCase().replace(/’/g, "'");
  if (TO.has(p) || MODALS.has(p)) return ['VERB', 'VB'];
  if (HAVE.has(p)) return ['VBN', 'VBD', 'VERB'];
  // "was read", "is used": a participle if the entry has one, else an adjective; never VERB
  // ("is present" is not the verb).
  if (BE.has(p)) return ['VBN', 'ADJ'];
  // "he read" can only be past; "they read" stays the base form.
  if (THIRD_PERSON.has(p)) return ['VBD', 'VERB'];
  if (OTHER_SUBJECTS.has(p)) return ['VERB'];
  if (DETERMINERS.has(p)) return ['NOUN'];
  return [];
}

export type SpecialCase = 'the' | 'a' | 'an' | 'to' | 'in' | 'am' | 'I';

/** misaki's context-dependent function words (its get_special_case), by spelling. */
export function specialCaseOf(word: string): SpecialCase | undefined {
  switch (word) {
    case 'the': case 'The': case 'THE': return 'the';
    case 'a': case 'A': return 'a';
    case 'an': case 'An': case 'AN': return 'an';
    case 'to': case 'To': case 'TO': return 'to';
    case 'in': case 'In': case 'IN': return 'in';
    case 'am': return 'am';
    case 'I': return 'I';
    default: return undefined;
  }
}

/**
 * The weak form of a special-case word given the next word's first sound. Only used in
 * running text when a word follows (nextVowel true/false); at the end of a clause, or for a
 * word on its own, the lexicon's citation form is kept.
 */
export function specialCasePhonemes(kind: SpecialCase, nextVowel: boolean): string {
  switch (kind) {
    case 'the': return nextVowel ? 'ði' : 'ðə';
    case 'a': return 'ɐ';
    case 'an': return 'ɐn';
    case 'to': return nextVowel ? 'tʊ' : 'tə';
    case 'in': return 'ɪn';
    case 'am': return 'ɐm';
    case 'I': return 'ˌI';
  }
}
