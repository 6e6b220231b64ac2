import type { NormalizeContext } from '../context';
import { CURRENCIES } from '../lexicon';
import { parseNumber } from '../numbers';
import type { Token } from '../tokens';

/** A number as it may stand on either side of a range's dash: "-3", "$3.50", "1,000", "10%". */
export const NUMERIC_ATOM = /^[-+]?[$£€¥₹]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$/;

/** Reads characters [from, to) of a token as an amount: a number, with a currency (its own or the shared one) or a percent. */
function amountWords(context: NormalizeContext, token: Token, from: number, to: number, sharedCurrency?: string): string | null {
  let written = token.text.slice(from, to);
  let currency = sharedCurrency;
  const ownCurrency = /^([$£€¥₹])/.exec(written);
  if (ownCurrency) {
    currency = ownCurrency[1];
    written = written.slice(1);
  }
  const isPercent = written.endsWith('%');
  if (isPercent) written = written.slice(0, -1);
  const parsed = parseNumber(written);
  if (!parsed) return null;
  let words = context.readNumber(parsed, !isPercent && !currency);
  if (isPercent) words += ' percent';
  const currencyWords = currency ? CURRENCIES.get(currency) : undefined;
  if (currencyWords) words += ` ${parsed.fractionDigits === undefined && parsed.integerDigits === '1' ? currencyWords.one : currencyWords.many}`;
  return words;
}

/** "10-20" ten to twenty, "$10-20" (the currency goes with the second amount), "10-20%", "1990–2000". */
export function numericRange(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const m = /^([-+]?[$£€¥₹]?[\d.,]+%?)([-\u2013\u2014])([$£€¥₹]?[\d.,]+%?)$/.exec(token.core);
  if (!m) return 0;
  const left = m[1] ?? '';
  const right = m[3] ?? '';
  if (!NUMERIC_ATOM.test(left) || !NUMERIC_ATOM.test(right)) return 0;
  const dash = token.coreStart + left.length;
  const leftCurrency = /^[-+]?([$£€¥₹])/.exec(left)?.[1];
  // "$10-20": the currency is said once, after the second amount.
  const sharedCurrency = leftCurrency && !/^[$£€¥₹]/.test(right) ? leftCurrency : undefined;
  const leftWords = sharedCurrency
    ? amountWords(context, token, token.coreStart + left.indexOf(sharedCurrency) + 1, dash)
    : amountWords(context, token, token.coreStart, dash);
  const rightWords = amountWords(context, token, dash + 1, token.coreEnd, sharedCurrency);
  if (leftWords === null || rightWords === null) return 0;
  const sign = /^[-+]/.test(left) ? (left[0] === '-' ? 'minus ' : 'plus ') : '';
  context.output.sayFor(token, token.coreStart, dash, (sharedCurrency ? sign : '') + leftWords);
  context.output.sayFor(token, dash, dash + 1, 'to');
  context.output.sayFor(token, dash + 1, token.coreEnd, rightWords);
  return 1;
}
