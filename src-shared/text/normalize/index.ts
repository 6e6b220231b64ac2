// Text normalisation: turns written text into speakable words, each carrying the source
// span (UTF-16 offsets into the original string) it was read from.
//
// Decisions:
// * Emoji are skipped: they produce no words (naming them mid-sentence distracts more than
//   it informs; the same choice as speech/clean-text.ts).
// * Hyphenated words are split into their parts, each with its own sub-span ("well-known"
//   -> "well" "known"), so every part can be looked up and highlighted; a word with a
//   one-letter part stays whole ("x-ray", "e-mail", "T-shirt").
// * Curly quotes and apostrophes become straight; quotation marks and brackets are not
//   words and are dropped; sentence punctuation . , ? ! ; : is kept as `punct` on the word
//   it follows (dashes and mid-sentence ellipses become ","). The sentence bounds decide
//   whether a "." ends a sentence, so "Dr." never carries a full stop: the caller's bounds
//   when it has them (the engine reads one sentence at a time), else the segmenter's.
// * Letters to be spelled ("FBI", "U.S.", "a.m.") are emitted one word per letter, upper
//   case, with `spelled: true`, so later stages can say letter names ("A" is not "a").
// * Acronyms read as words ("NASA") are emitted capitalised ("Nasa") so they are not spelled.
// * Integers with more than 36 digits are read digit by digit, one word per digit.
// * Never throws: each token is processed under a guard and falls back to nothing.
// All steps are linear: whole-token patterns only run on tokens of <= 256 characters.
//
// How: the text is split into tokens (tokens.ts); the rules (rules/, in the order of
// rules/index.ts) read them through a context (context.ts) and write the words through an
// emitter (emitter.ts); the driver (driver.ts) runs the rules and adds the punctuation.

import { segmentSentences } from '../segment';
import type { TextRange } from '../segment';
import { NormalizeContext } from './context';
import { readTokens } from './driver';
import { WordEmitter } from './emitter';
import { RULES } from './rules/index';
import { tokenize } from './tokens';
import type { NormalizeOptions, NormalizeResult, NormalizedWord } from './types';

export type { NormalizeOptions, NormalizeResult, NormalizedWord, Punct } from './types';

/** The sentences of text[from, to) as the segmenter finds them, with offsets into the whole text. */
function segmentRange(text: string, from: number, to: number): TextRange[] {
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  return segmentSentences(slice).map((sentence) => ({ start: sentence.start + from, end: sentence.end + from }));
}

/** Normalises text into speakable words, each with the source span it came from. Never throws. */
export function normalizeText(text: string, options: NormalizeOptions = {}): NormalizeResult {
  if (typeof text !== 'string' || text.length === 0) return { words: [] };
  const from = Math.max(0, Math.min(text.length, options.range?.start ?? 0));
  const to = Math.max(from, Math.min(text.length, options.range?.end ?? text.length));
  const output = new WordEmitter();
  try {
    const sentences = options.sentences ?? segmentRange(text, from, to);
    readTokens(new NormalizeContext(tokenize(text, from, to), sentences, options.locale, output), RULES);
  } catch {
    // Defensive: return what was produced so far rather than fail the whole read.
  }
  return { words: output.words };
}

/** The spoken text: words separated by spaces, sentence punctuation kept. */
export function wordsToString(words: readonly NormalizedWord[]): string {
  return words.map((word) => (word.punct ? word.text + word.punct : word.text)).join(' ');
}

export function normalizeToString(text: string, options: NormalizeOptions = {}): string {
  return wordsToString(normalizeText(text, options).words);
}
