import type { NormalizeContext } from '../context';
import { cardinal } from '../numbers';
import { readCharacterRuns } from './character-runs';

/** "#42" number forty-two, "#reading" hashtag reading, "@kokoro" at kokoro. */
export function hashtagOrMention(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const m = /^([#@])([\p{L}_][\p{L}\p{N}_]*|\d+)$/u.exec(token.core);
  if (!m) return 0;
  const name = m[2] ?? '';
  const { output } = context;
  const afterSign = token.coreStart + 1;
  if (m[1] === '#' && /^\d+$/.test(name)) {
    output.sayFor(token, token.coreStart, afterSign, 'number');
    output.sayFor(token, afterSign, token.coreEnd, cardinal(name, context.numberStyle));
    return 1;
  }
  if (/^\d/.test(name)) return 0;
  output.sayFor(token, token.coreStart, afterSign, m[1] === '#' ? 'hashtag' : 'at');
  readCharacterRuns(context, token, afterSign, token.coreEnd);
  return 1;
}
