import { MAX_PATTERN_TOKEN } from '../context';
import type { NormalizeContext } from '../context';
import { readCharacterRuns } from './character-runs';

/** A token too long for the whole-token patterns (they stay linear only on short tokens): read by character runs. */
export function overlongToken(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  if (token.core.length <= MAX_PATTERN_TOKEN) return 0;
  readCharacterRuns(context, token, token.coreStart, token.coreEnd);
  return 1;
}
