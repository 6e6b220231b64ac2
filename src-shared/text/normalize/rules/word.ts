import { MAX_WORD } from '../context';
import type { NormalizeContext } from '../context';
import { ABBREVIATIONS, REGNAL_NAMES, ROMAN_CARDINAL_CONTEXT, SHOUTED_WORDS, SPELLED_ACRONYMS, WORD_ACRONYMS } from '../lexicon';
import { cardinal, ordinal, romanValue } from '../numbers';
import type { Token } from '../tokens';
import { RE_ALL_CAPS, RE_UPPER_START, RE_VOWEL, capitalize } from './character-runs';

const RE_LETTERS = /^[\p{L}\p{M}']+$/u;

/** "Dr." Doctor before a name, Drive after one; "St." Saint before a name, Street after one or a number. */
function doctorOrSaint(context: NormalizeContext, index: number, token: Token, upperCaseFollows: boolean): string {
  const beforeName = upperCaseFollows && !context.endsSentence(token);
  const previous = context.joinedPrevious(index);
  const upperCaseBefore = !!previous && RE_UPPER_START.test(previous.core);
  if (token.core.toLowerCase() === 'dr') return !beforeName && upperCaseBefore ? 'Drive' : 'Doctor';
  if (beforeName) return 'Saint';
  if (previous && (upperCaseBefore || /\d/.test(previous.core))) return 'Street';
  return upperCaseFollows ? 'Saint' : 'Street';
}

/** The acronym's "'s" goes onto the last word or letter said for it; returns the one token consumed. */
function addSuffix(context: NormalizeContext, token: Token, suffix: string): number {
  if (suffix) context.output.extendLast(suffix, token.sourceOffsets[token.coreEnd]);
  return 1;
}

/**
 * A token of letters (with apostrophes, and dots or slashes for abbreviations): "Dr." and
 * "St." by context, abbreviations ("Mr.", "e.g", "No. 5"), "OK", dotted initialisms spelled
 * ("U.S", "a.m"), Roman numerals after a name or a word that counts ("Henry VIII",
 * "Chapter IV"), acronyms spelled or said as words ("FBI's", "NASA"), and plain words.
 */
export function word(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const { core } = token;
  if (!/^[\p{L}\p{M}'./]+$/u.test(core) || core.length > MAX_WORD) return 0;
  const { output } = context;
  const lower = core.toLowerCase();
  const upperStart = RE_UPPER_START.test(core);
  const next = context.tokens[index + 1] && !context.endsSentence(token) ? context.tokens[index + 1] : undefined;
  const upperCaseFollows = !!next && RE_UPPER_START.test(next.core);

  if ((lower === 'dr' || lower === 'st') && upperStart) {
    output.sayForCore(token, doctorOrSaint(context, index, token, upperCaseFollows));
    return 1;
  }
  const abbreviation = ABBREVIATIONS.get(lower);
  const hasDot = token.trail.startsWith('.');
  if (abbreviation && (abbreviation.dot === 'optional' || hasDot || lower.includes('.')) && (!abbreviation.cap || upperStart)) {
    const numberFollows = !!next && /^[\d#]/.test(next.core);
    if ((!abbreviation.beforeNumber || numberFollows) && (!abbreviation.beforeName || upperCaseFollows)) {
      output.sayForCore(token, upperStart ? capitalize(abbreviation.exp) : abbreviation.exp);
      return 1;
    }
  }
  if (lower === 'ok') {
    output.sayForCore(token, upperStart ? 'Okay' : 'okay');
    return 1;
  }
  // Dotted initialisms: U.S, e.g-like letters, a.m.
  if (/^(?:\p{L}\.)+\p{L}$/u.test(core)) {
    output.spell(token, token.coreStart, token.coreEnd);
    return 1;
  }
  if (core.includes('.') || core.includes('/')) return 0;
  // Possessive or plural suffix on an acronym or numeral: "FBI's", "VIII's", "CDs" (said "CD's").
  let base = core;
  let suffix = '';
  const withSuffix = /^(.*\p{Lu})('s|s)$/u.exec(core);
  if (withSuffix && RE_ALL_CAPS.test(withSuffix[1] ?? '')) {
    base = withSuffix[1] ?? core;
    suffix = "'s";
  }
  const baseEnd = token.coreStart + base.length;
  const previous = context.joinedPrevious(index);
  if (/^[IVXLCDM]+$/.test(base) && previous) {
    const value = romanValue(base);
    const previousWord = previous.core.replace(/\.$/, '');
    if (value > 0) {
      if (REGNAL_NAMES.has(previousWord) && value <= 39) {
        output.sayFor(token, token.coreStart, baseEnd, `the ${ordinal(String(value))}`);
        return addSuffix(context, token, suffix);
      }
      if (ROMAN_CARDINAL_CONTEXT.has(previousWord.toLowerCase()) && value <= 89 && !/^[LCDM]$/.test(base)) {
        output.sayFor(token, token.coreStart, baseEnd, cardinal(String(value)));
        return addSuffix(context, token, suffix);
      }
    }
  }
  if (base.length === 1) {
    if (base === 'I' || base === 'a' || base === 'A' || base === 'i' || base === 'O' || base === 'o') {
      output.sayFor(token, token.coreStart, baseEnd, base === 'i' ? 'I' : base);
    } else output.sayFor(token, token.coreStart, baseEnd, base.toUpperCase(), true);
    return addSuffix(context, token, suffix);
  }
  if (RE_ALL_CAPS.test(base)) {
    if (WORD_ACRONYMS.has(base)) output.sayFor(token, token.coreStart, baseEnd, capitalize(base.toLowerCase()));
    else if (SPELLED_ACRONYMS.has(base) || (!RE_VOWEL.test(base) && base.length <= 6)) output.spell(token, token.coreStart, baseEnd);
    else if (base.length === 2 && !SHOUTED_WORDS.has(base)) output.spell(token, token.coreStart, baseEnd);
    else output.sayFor(token, token.coreStart, baseEnd, base.toLowerCase());
    return addSuffix(context, token, suffix);
  }
  if (!RE_LETTERS.test(core)) return 0;
  output.sayForCore(token, core);
  return 1;
}
