import type { NormalizeContext } from '../context';

/**
 * "~5 kg", "≈3": says "about" for the sign and takes the sign out of the token's core. It
 * returns 0 so that the rules after it read the rest ("5") as if the sign were not there.
 */
export function approximately(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  if (!/^[~≈]\d/.test(token.core)) return 0;
  context.output.sayFor(token, token.coreStart, token.coreStart + 1, 'about');
  token.coreStart++;
  token.core = token.core.slice(1);
  return 0;
}
