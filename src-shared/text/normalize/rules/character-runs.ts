import { MAX_PATTERN_TOKEN, MAX_WORD } from '../context';
import type { NormalizeContext } from '../context';
import { SHOUTED_WORDS, SPELLED_ACRONYMS, SYMBOL_WORDS, VULGAR_FRACTIONS, WORD_ACRONYMS } from '../lexicon';
import { DIGIT_WORDS, MAX_CARDINAL_DIGITS, fraction, parseNumber } from '../numbers';
import type { Token } from '../tokens';
import type { Punct } from '../types';

export const RE_UPPER_START = /^[\p{Lu}\p{Lt}]/u;
export const RE_ALL_CAPS = /^\p{Lu}{2,}$/u;
export const RE_VOWEL = /[AEIOUY]/;
const RE_LETTER = /[\p{L}\p{M}]/u;
const RE_EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u20e3\u{e0020}-\u{e007f}]/u;

export function capitalize(word: string): string {
  return word.length ? word[0]!.toUpperCase() + word.slice(1) : word;
}

/** A run of letters, cut every MAX_WORD characters: words, acronyms spelled or said, single letters spelled. */
function readLetters(context: NormalizeContext, token: Token, from: number, to: number): void {
  const { output } = context;
  for (let k = from; k < to; ) {
    let end = Math.min(to, k + MAX_WORD);
    const atEnd = token.text.charCodeAt(end);
    if (end < to && atEnd >= 0xdc00 && atEnd <= 0xdfff) end--; // never cut a surrogate pair
    const letters = token.text.slice(k, end);
    if (letters.length === 1 && !/^[aAiIoO]$/.test(letters)) output.sayFor(token, k, end, letters.toUpperCase(), true);
    else if (
      RE_ALL_CAPS.test(letters) && letters.length <= 6 && !WORD_ACRONYMS.has(letters) &&
      (SPELLED_ACRONYMS.has(letters) || !RE_VOWEL.test(letters) || (letters.length === 2 && !SHOUTED_WORDS.has(letters)))
    ) output.spell(token, k, end);
    else if (WORD_ACRONYMS.has(letters)) output.sayFor(token, k, end, capitalize(letters.toLowerCase()));
    else if (RE_ALL_CAPS.test(letters)) output.sayFor(token, k, end, letters.toLowerCase());
    else output.sayFor(token, k, end, letters);
    k = end;
  }
}

/** A run of digits (with "," or "." between digits): a number, or digit by digit when too long. */
function readDigits(context: NormalizeContext, token: Token, from: number, to: number): void {
  const written = token.text.slice(from, to);
  const parsed = written.length <= MAX_PATTERN_TOKEN ? parseNumber(written) : null;
  if (parsed && parsed.integerDigits.length <= MAX_CARDINAL_DIGITS) {
    context.output.sayFor(token, from, to, context.readNumber(parsed, true));
    return;
  }
  // Long digit strings: one word per digit, each with its own span; separators are silent.
  for (let k = from; k < to; k++) {
    const digit = token.text.charCodeAt(k) - 48;
    if (digit >= 0 && digit <= 9) context.output.sayFor(token, k, k + 1, DIGIT_WORDS[digit] ?? '');
    else if (token.text[k] === '.') context.output.sayFor(token, k, k + 1, 'point');
  }
}

/** The generic reading of characters [from, to) of a token: letter runs, digit runs, symbols. Linear. */
export function readCharacterRuns(context: NormalizeContext, token: Token, from: number, to: number): void {
  const { text } = token;
  const { output } = context;
  let k = from;
  while (k < to) {
    const code = text.charCodeAt(k);
    const codePoint = text.codePointAt(k) ?? code;
    const ch = String.fromCodePoint(codePoint);
    const length = codePoint > 0xffff ? 2 : 1;
    if (RE_LETTER.test(ch)) {
      let j = k + length;
      while (j < to) {
        const codePointJ = text.codePointAt(j) ?? 0;
        const chJ = String.fromCodePoint(codePointJ);
        if (RE_LETTER.test(chJ)) j += codePointJ > 0xffff ? 2 : 1;
        else if (chJ === "'" && j + 1 < to && RE_LETTER.test(text[j + 1] ?? '')) j++;
        else break;
      }
      readLetters(context, token, k, j);
      k = j;
    } else if (code >= 48 && code <= 57) {
      let j = k + 1;
      while (j < to) {
        const codeJ = text.charCodeAt(j);
        if (codeJ >= 48 && codeJ <= 57) j++;
        else if ((codeJ === 44 || codeJ === 46) && j + 1 < to && text.charCodeAt(j + 1) >= 48 && text.charCodeAt(j + 1) <= 57) j++;
        else break;
      }
      readDigits(context, token, k, j);
      k = j;
    } else {
      const vulgar = VULGAR_FRACTIONS.get(ch);
      const symbolWords = SYMBOL_WORDS.get(ch);
      if (vulgar) output.sayFor(token, k, k + length, fraction(vulgar[0], vulgar[1], context.numberStyle));
      else if (ch === '#' && /\d/.test(text[k + 1] ?? '')) output.sayFor(token, k, k + 1, 'number');
      else if (symbolWords && !RE_EMOJI.test(ch.replace(/[©®™]/, ''))) output.sayFor(token, k, k + length, symbolWords);
      else if (/[,;:!?\u2014\u2013\u2026]/.test(ch) && k > from) {
        const mark: Punct = ch === '?' ? '?' : ch === '!' ? '!' : ch === ';' ? ';' : ch === ':' ? ':' : ',';
        output.punctuate(mark);
      }
      // Everything else (emoji, quotes, brackets, other marks) is silent.
      k += length;
    }
  }
}

/** The last resort: reads the token's core by character runs. Always applies. */
export function characterRuns(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  readCharacterRuns(context, token, token.coreStart, token.coreEnd);
  return 1;
}
