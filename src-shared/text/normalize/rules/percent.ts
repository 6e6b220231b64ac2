import type { NormalizeContext } from '../context';
import { parseNumber } from '../numbers';

/** "42%", "-3.5%". */
export function percent(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  if (!token.core.endsWith('%')) return 0;
  const parsed = parseNumber(token.core.slice(0, -1));
  if (!parsed) return 0;
  context.output.sayForCore(token, `${context.readNumber(parsed, false)} percent`);
  return 1;
}
