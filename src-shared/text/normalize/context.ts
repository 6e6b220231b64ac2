// What every rule reads from and writes to: the tokens, where sentences start and end, the
// locale, and the emitter for the spoken words.

import type { TextRange } from '../segment';
import type { WordEmitter } from './emitter';
import { britishUnit } from './lexicon';
import type { UnitWord } from './lexicon';
import { readNumber } from './numbers';
import type { NumberStyle, WrittenNumber } from './numbers';
import type { Token } from './tokens';

/**
 * One rule: reads the token at `index` (and maybe the ones after it) and returns how many
 * tokens it consumed, or 0 when it does not apply, so that the next rule gets the same index.
 */
export type Rule = (context: NormalizeContext, index: number) => number;

/** Whole-token patterns run only on tokens up to this length (keeps regexes linear). */
export const MAX_PATTERN_TOKEN = 256;
/** Letter runs longer than this are cut into pieces (a 1 MB "word" is not a word). */
export const MAX_WORD = 64;

export class NormalizeContext {
  readonly british: boolean;
  readonly numberStyle: NumberStyle;
  /** Source offsets at which a sentence starts, and just after which one ends. */
  private readonly sentenceStarts = new Set<number>();
  private readonly sentenceEnds = new Set<number>();

  constructor(
    readonly tokens: readonly Token[],
    sentences: readonly TextRange[],
    locale: 'en-US' | 'en-GB' | undefined,
    readonly output: WordEmitter,
  ) {
    this.british = locale === 'en-GB';
    this.numberStyle = { british: this.british };
    for (const sentence of sentences) {
      this.sentenceStarts.add(sentence.start);
      this.sentenceEnds.add(sentence.end);
    }
  }

  startsSentence(token: Token): boolean {
    return this.sentenceStarts.has(token.start);
  }

  endsSentence(token: Token): boolean {
    return this.sentenceEnds.has(token.end);
  }

  /** The token after `index` if it directly continues it (no punctuation or sentence end between; `afterDot`: a "." is allowed). */
  joinedNext(index: number, afterDot = false): Token | undefined {
    const token = this.tokens[index];
    const next = this.tokens[index + 1];
    if (!token || !next || next.lead !== '' || this.endsSentence(token)) return undefined;
    if (token.trail !== '' && !(afterDot && token.trail === '.')) return undefined;
    return next;
  }

  /** The token before `index` if `index` directly continues it. */
  joinedPrevious(index: number): Token | undefined {
    const token = this.tokens[index];
    const previous = this.tokens[index - 1];
    if (!token || !previous || token.lead !== '' || previous.trail !== '' || this.endsSentence(previous)) return undefined;
    return previous;
  }

  /** Reads a written number in this locale. `yearOk`: a bare 1100-2099 is read as a year. */
  readNumber(parsed: WrittenNumber, yearOk: boolean): string {
    return readNumber(parsed, this.numberStyle, yearOk);
  }

  /** The unit's name after the number ("1 kg" one kilogram, "2 kg" two kilograms), in this locale's spelling. */
  unitName(unit: UnitWord, parsed: WrittenNumber): string {
    const one = parsed.fractionDigits === undefined && parsed.integerDigits.replace(/^0+/, '') === '1';
    const name = one ? unit.one : unit.many;
    return this.british ? britishUnit(name) : name;
  }
}
