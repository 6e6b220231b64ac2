/**
 * The text front-end for Kokoro: segments (sentences with source ranges) -> normalised words
 * with source spans -> phonemes (layered G2P) -> vocabulary ids, as words the chunk planner
 * packs. Every word keeps the span of the source text it was spoken from.
 */
import type { G2PLang, Phonemizer, SpelledLetter, Vocab } from '../../../src-shared/g2p/index';
import { phonemesToIds, punctuationPhonemes } from '../../../src-shared/g2p/index';
import type { Boundary, PlannedWord } from '../../../src-shared/kokoro/planner';
import type { TextReplacer } from '../../../src-shared/lexicon/types';
import { normalizeText, type NormalizedWord } from '../../../src-shared/text/normalize/index';
import type { TextRange } from '../../../src-shared/text/segment';
import type { SpeechSegment } from '../../../src-shared/speech/types';

const CLAUSE_PUNCT = new Set([',', ';', ':']);

/** A planned word, and the user's lexicon entries that shaped it (for the audio cache). */
export interface SpokenWord extends PlannedWord {
  lexiconEntryIds: readonly number[];
}

export interface FrontEndResult {
  words: SpokenWord[];
  /** Phoneme symbols that are not in Kokoro's vocabulary, dropped and counted. */
  dropped: number;
}

/** A spoken word of a text: its source span, normalised text and phonemes (punctuation after it included). */
export interface PhonemizedWord {
  text: string;
  start: number;
  end: number;
  phonemes: string;
  punct: string | undefined;
  /** The user's entries that gave its phonemes, and the replacements applied to its text. */
  lexiconEntryIds: readonly number[];
}

export interface PhonemizeTextOptions {
  /** The text is one sentence or part of one (a SpeechSegment): read it so, without splitting it into sentences again. */
  oneSentence?: boolean;
}

/** The bound of a text that is one sentence. Without the spaces at its ends, as the segmenter bounds sentences: a replacement can leave one there. */
function wholeSentence(text: string): TextRange {
  const start = text.length - text.trimStart().length;
  return { start, end: Math.max(start, text.trimEnd().length) };
}

/**
 * Which words are letters of a spelled acronym, and which letter ends one: the letters the
 * normaliser spelled that touch in the text or are parted by one dot ("FBI", "U.S.A."). A lone
 * capital "A" that is the letter (isLetterA) is a one-letter acronym.
 */
function spelledLetters(words: readonly NormalizedWord[], text: string): (SpelledLetter | undefined)[] {
  return words.map((word, i) => {
    if (isLetterA(words, i, text)) return 'last-letter';
    if (!word.spelled) return undefined;
    const next = words[i + 1];
    const sameAcronym = next?.spelled === true && /^\.?$/.test(text.slice(word.end, next.start));
    return sameAcronym ? 'letter' : 'last-letter';
  });
}

/**
 * Whether a capital "A" the normaliser left as a word is the letter ("grade A", "an A in maths"),
 * which misaki says wherever its tagger finds no determiner, rather than the article. Without a
 * tagger, from the source text: the article where it starts a clause (any punctuation or quote
 * before it), in capitals ("A NEW HOPE") and in Title Case ("Build A Boat"); else the letter.
 */
function isLetterA(words: readonly NormalizedWord[], i: number, text: string): boolean {
  const word = words[i];
  const prev = words[i - 1];
  const next = words[i + 1];
  if (!word || word.spelled || !prev || text.slice(word.start, word.end) !== 'A') return false;
  if (prev.punct !== undefined || text.slice(prev.end, word.start).trim() !== '') return false;
  const prevSource = text.slice(prev.start, prev.end);
  if (!/\p{Ll}/u.test(prevSource)) return false;
  const endsPhrase = word.punct !== undefined || next === undefined || text.slice(word.end, next.start).trim() !== '';
  const titleCase = /^\p{Lu}/u.test(prevSource) && next !== undefined && /^\p{Lu}/u.test(text.slice(next.start, next.end));
  return endsPhrase || !titleCase;
}

/** Normalises and phonemizes one piece of text; offsets are relative to it. */
export async function phonemizeText(original: string, lang: G2PLang, g2p: Phonemizer, replacer?: TextReplacer, options: PhonemizeTextOptions = {}): Promise<PhonemizedWord[]> {
  const replaced = replacer?.apply(original, lang);
  const text = replaced ? replaced.text : original;
  const locale = lang === 'en-gb' ? 'en-GB' : 'en-US';
  const sentences = options.oneSentence ? [wholeSentence(text)] : undefined;
  const spoken = normalizeText(text, { locale, sentences }).words;
  const normalized = spoken.map((word) => (replaced ? { ...word, ...replaced.toOriginal({ start: word.start, end: word.end }) } : word));
  if (normalized.length === 0) return [];
  const phonemes = await g2p.phonemizeWords(
    normalized.map((w) => w.text),
    lang,
    { spelled: spelledLetters(spoken, text) },
  );
  // Replacements count for every word of the text: cheaper than mapping each edit to its words.
  const replacementIds = replaced?.entryIds ?? [];
  return normalized.map((word, i) => ({
    text: word.text,
    start: word.start,
    end: word.end,
    phonemes: (phonemes[i]?.phonemes ?? '') + (word.punct ? punctuationPhonemes(word.punct) : ''),
    punct: word.punct,
    lexiconEntryIds: [...replacementIds, ...(phonemes[i]?.lexiconEntryIds ?? [])],
  }));
}

export async function wordsForSegments(segments: readonly SpeechSegment[], lang: G2PLang, g2p: Phonemizer, vocab: Vocab, replacer?: TextReplacer): Promise<FrontEndResult> {
  const words: SpokenWord[] = [];
  let dropped = 0;
  for (const segment of segments) {
    // Each segment is a sentence of the text (or part of one): the normaliser need not split it again.
    const spoken = await phonemizeText(segment.text, lang, g2p, replacer, { oneSentence: true });
    spoken.forEach((word, i) => {
      const converted = phonemesToIds(word.phonemes, vocab);
      dropped += converted.dropped;
      const last = i === spoken.length - 1;
      const after: Boundary = last ? 'sentence' : word.punct && CLAUSE_PUNCT.has(word.punct) ? 'clause' : word.punct ? 'sentence' : 'word';
      words.push({ ids: converted.ids, start: segment.start + word.start, end: segment.start + word.end, sentence: segment.sentence, after, lexiconEntryIds: word.lexiconEntryIds });
    });
  }
  return { words, dropped };
}
