import type { NormalizeContext } from '../context';
import { MONTHS } from '../lexicon';
import { ordinal } from '../numbers';

/** A day before a month's name is "the first of" ("1 May", "1st May"); true when token `index` was read so. */
export function readDayBeforeMonth(context: NormalizeContext, index: number, day: string): boolean {
  const token = context.tokens[index]!;
  const next = context.joinedNext(index);
  const value = Number(day);
  if (!next || value < 1 || value > 31 || !MONTHS.includes(next.core.replace(/'s$/, ''))) return false;
  const previous = context.joinedPrevious(index);
  const article = previous && /^the$/i.test(previous.core) ? '' : 'the ';
  context.output.sayForCore(token, `${article}${ordinal(day)} of`);
  return true;
}

/** "1st", "22nd", "1,000,000th". */
export function ordinalNumber(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th|ST|ND|RD|TH)$/.exec(token.core);
  if (!m) return 0;
  const digits = (m[1] ?? '').replace(/,/g, '');
  if (readDayBeforeMonth(context, index, digits)) return 1;
  context.output.sayForCore(token, ordinal(digits, context.numberStyle));
  return 1;
}
