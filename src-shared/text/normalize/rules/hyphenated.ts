import type { NormalizeContext } from '../context';
import { readCharacterRuns } from './character-runs';

/** "well-known": each part its own word, with its own span; a word with a one-letter part stays whole ("x-ray", "T-shirt"). */
export function hyphenated(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  if (!/^[\p{L}\p{M}']+(?:-[\p{L}\p{M}']+)+$/u.test(token.core)) return 0;
  if (token.core.split('-').some((part) => part.length === 1)) context.output.sayForCore(token, token.core);
  else readCharacterRuns(context, token, token.coreStart, token.coreEnd);
  return 1;
}
