import type { NormalizeContext } from '../context';
import { STANDALONE_SYMBOL_WORDS, SYMBOL_WORDS } from '../lexicon';

/** A symbol standing alone: "&" and, "a < b", "# 5" number five; "~" and "/" only before a number. */
export function symbol(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const words = STANDALONE_SYMBOL_WORDS.get(token.core) ?? SYMBOL_WORDS.get(token.core);
  if (!words) return 0;
  const next = context.joinedNext(index);
  const numberFollows = !!next && /^\d/.test(next.core);
  if ((token.core === '~' || token.core === '/') && !numberFollows) return 1;
  context.output.sayForCore(token, token.core === '#' && numberFollows ? 'number' : words);
  return 1;
}
