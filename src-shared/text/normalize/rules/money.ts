import type { NormalizeContext } from '../context';
import { CURRENCIES, SCALE_WORDS } from '../lexicon';
import { cardinal, decimal, parseNumber } from '../numbers';
import type { Token } from '../tokens';

const RE_SYMBOL_FIRST = /^([-+]?)(US\$|A\$|C\$|[$£€¥₹₩₽])([-+]?)((?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?)(k|K|m|M|mn|bn|b|B|tn)?$/;
const RE_SYMBOL_LAST = /^([-+]?)((?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?)([$£€¥₹₩₽])$/;

/**
 * "$3.50" three dollars and fifty cents, "-€5", "5€", "$2bn" and "$3.5 million" (the scale
 * word consumed with it), "£0.99" ninety-nine pence.
 */
export function money(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  let symbol: string;
  let sign: string;
  let amount: string;
  let scale: string | undefined;
  const symbolFirst = RE_SYMBOL_FIRST.exec(token.core);
  if (symbolFirst) {
    sign = symbolFirst[1] || symbolFirst[3] || '';
    symbol = symbolFirst[2] ?? '$';
    amount = symbolFirst[4] ?? '';
    scale = symbolFirst[5] ? SCALE_WORDS.get(symbolFirst[5]) : undefined;
  } else {
    const symbolLast = RE_SYMBOL_LAST.exec(token.core);
    if (!symbolLast) return 0;
    sign = symbolLast[1] ?? '';
    amount = symbolLast[2] ?? '';
    symbol = symbolLast[3] ?? '$';
  }
  const parsed = parseNumber(amount);
  const currency = CURRENCIES.get(symbol);
  if (!parsed || !currency) return 0;
  const { output, numberStyle } = context;
  let consumed = 1;
  let scaleToken: Token | undefined;
  if (!scale) {
    const next = context.joinedNext(index);
    const scaleWord = next ? /^(?:thousand|million|billion|trillion|bn|mn)$/.exec(next.core) : null;
    if (next && scaleWord) {
      scale = SCALE_WORDS.get(scaleWord[0]);
      scaleToken = next;
      consumed = 2;
    }
  }
  const signWord = sign === '-' ? 'minus ' : sign === '+' ? 'plus ' : '';
  const { integerDigits, fractionDigits } = parsed;
  if (scale) {
    output.sayForCore(token, signWord + (fractionDigits !== undefined ? decimal(integerDigits, fractionDigits, numberStyle) : cardinal(integerDigits, numberStyle)));
    if (scaleToken) output.sayForCore(scaleToken, scale);
    else output.sayForCore(token, scale);
    output.sayForCore(token, currency.many);
    return consumed;
  }
  const wholeUnits = integerDigits.replace(/^0+/, '');
  if (fractionDigits !== undefined && fractionDigits.length <= 2 && currency.minorOne && currency.minorMany) {
    const minor = Number(fractionDigits.padEnd(2, '0'));
    const parts: string[] = [];
    if (wholeUnits !== '') parts.push(cardinal(integerDigits, numberStyle), wholeUnits === '1' ? currency.one : currency.many);
    if (minor) {
      if (wholeUnits !== '') parts.push('and');
      parts.push(cardinal(String(minor)), minor === 1 ? currency.minorOne : currency.minorMany);
    }
    if (!parts.length) parts.push('zero', currency.many);
    output.sayForCore(token, signWord + parts.join(' '));
    return 1;
  }
  const body = fractionDigits !== undefined ? decimal(integerDigits, fractionDigits, numberStyle) : cardinal(integerDigits, numberStyle);
  const one = fractionDigits === undefined && wholeUnits === '1';
  output.sayForCore(token, `${signWord}${body} ${one ? currency.one : currency.many}`);
  return 1;
}
