import type { NormalizeContext } from '../context';
import { cardinal, pluralizeLast, year } from '../numbers';

/** "1990s" nineteen nineties, "'90s" and "90s" nineties, "2000s" two thousands. */
export function decade(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const m = /^'?(\d{2})?(\d)0'?s$/.exec(token.core);
  if (!m) return 0;
  if (m[1] !== undefined) {
    if (token.core.startsWith("'")) return 0;
    context.output.sayForCore(token, pluralizeLast(year(`${m[1]}${m[2]}0`)));
  } else {
    const tens = `${m[2]}0`;
    context.output.sayForCore(token, tens === '00' ? 'two thousands' : pluralizeLast(cardinal(tens)));
  }
  return 1;
}
