import type { NormalizeContext } from '../context';
import { NUMERIC_ATOM } from './numeric-range';

/**
 * A token of marks alone ("-", "—", "..."). It is always consumed: its marks become
 * punctuation. A dash between two numbers is said "to" ("10 - 20").
 */
export function punctuationOnly(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  if (token.core !== '') return 0;
  if (/^[-\u2013\u2014]$/.test(token.text)) {
    const previous = context.tokens[index - 1];
    const next = context.tokens[index + 1];
    const joined = previous && next && previous.trail === '' && next.lead === '' && !context.endsSentence(previous) && !context.endsSentence(token);
    if (joined && NUMERIC_ATOM.test(previous.core) && NUMERIC_ATOM.test(next.core)) context.output.say('to', token.start, token.end);
  }
  return 1;
}
