import type { NormalizeContext } from '../context';
import { MONTHS, monthNumber } from '../lexicon';
import { ordinal } from '../numbers';

const RE_DAY = /^(\d{1,2})(?:st|nd|rd|th)?$/i;

/**
 * A month and its day ("May 5", "Jan. 5th": May fifth, both tokens), or an abbreviated month
 * with its dot ("Sept."). A full month name alone is left to the word rule.
 */
export function monthName(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const month = monthNumber(token.core);
  if (!month) return 0;
  const abbreviated = !MONTHS.includes(token.core);
  if (abbreviated && token.trail !== '' && token.trail !== '.') return 0;
  const next = context.joinedNext(index, abbreviated);
  const day = next ? RE_DAY.exec(next.core) : null;
  if (!next || !day || Number(day[1]) < 1 || Number(day[1]) > 31) {
    if (abbreviated && token.trail === '.') {
      context.output.sayForCore(token, MONTHS[month - 1] ?? '');
      return 1;
    }
    return 0;
  }
  context.output.sayForCore(token, MONTHS[month - 1] ?? '');
  context.output.sayForCore(next, ordinal(day[1] ?? '1'));
  return 2;
}
