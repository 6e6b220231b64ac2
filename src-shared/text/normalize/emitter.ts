// Where the rules write: the spoken words, each with the source span it was read from.

import { DIGIT_WORDS } from './numbers';
import type { Token } from './tokens';
import type { NormalizedWord, Punct } from './types';

/** How strong a mark is: a word keeps the strongest punctuation that follows it. */
export const PUNCT_RANK: Readonly<Record<Punct, number>> = { ',': 1, ';': 2, ':': 2, '.': 3, '!': 4, '?': 5 };

const RE_LETTER = /[\p{L}\p{M}]/u;

export class WordEmitter {
  readonly words: NormalizedWord[] = [];

  get count(): number {
    return this.words.length;
  }

  /** Says space-separated words, all read from the source span [start, end). */
  say(words: string, start: number, end: number, spelled = false): void {
    for (const text of words.split(' ')) {
      if (text === '') continue;
      const word: NormalizedWord = { text, start, end };
      if (spelled) word.spelled = true;
      this.words.push(word);
    }
  }

  /** Says words read from characters [from, to) of a token's text. */
  sayFor(token: Token, from: number, to: number, words: string, spelled = false): void {
    this.say(words, token.sourceOffsets[from] ?? token.start, token.sourceOffsets[to] ?? token.end, spelled);
  }

  /** Says words read from the token's core. */
  sayForCore(token: Token, words: string, spelled = false): void {
    this.sayFor(token, token.coreStart, token.coreEnd, words, spelled);
  }

  /** Spells characters [from, to) of a token: letters by name, digits as words; anything else is silent. */
  spell(token: Token, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const ch = token.text[k] ?? '';
      if (RE_LETTER.test(ch)) this.sayFor(token, k, k + 1, ch.toUpperCase(), true);
      else if (ch >= '0' && ch <= '9') this.sayFor(token, k, k + 1, DIGIT_WORDS[Number(ch)] ?? '');
    }
  }

  /** Adds text to the last word and stretches its span to `end` ("FBI" + "'s"). */
  extendLast(suffix: string, end: number | undefined): void {
    const word = this.words[this.words.length - 1];
    if (!word) return;
    word.text += suffix;
    word.end = end ?? word.end;
  }

  /** Gives the last word the mark, unless a stronger one already follows it. */
  punctuate(mark: Punct): void {
    const word = this.words[this.words.length - 1];
    if (word && (!word.punct || PUNCT_RANK[mark] > PUNCT_RANK[word.punct])) word.punct = mark;
  }

  /** A short pause after the last word, unless punctuation already follows it. */
  pause(): void {
    const word = this.words[this.words.length - 1];
    if (word && !word.punct) word.punct = ',';
  }

  /** Forgets the words said after the first `count` (a rule that failed half-way). */
  truncate(count: number): void {
    this.words.length = count;
  }
}
