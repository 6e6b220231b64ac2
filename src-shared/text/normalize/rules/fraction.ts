import type { NormalizeContext } from '../context';
import { VULGAR_FRACTIONS } from '../lexicon';
import { cardinal, fraction as fractionWords } from '../numbers';

/** "3/4" three quarters, "24/7", "5/17" five over seventeen, "½", "3½" three and a half. */
export function fraction(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const { output, numberStyle } = context;
  const written = /^(\d{1,3})\/(\d{1,3})$/.exec(token.core);
  if (written) {
    const numerator = written[1] ?? '';
    const denominator = written[2] ?? '';
    const below = Number(denominator);
    if (numerator === '24' && denominator === '7') output.sayForCore(token, 'twenty-four seven');
    else if (Number(numerator) > 0 && ((below >= 2 && below <= 16) || below === 32 || below === 64 || below === 100)) {
      output.sayForCore(token, fractionWords(numerator, denominator, numberStyle));
    } else output.sayForCore(token, `${cardinal(numerator)} over ${cardinal(denominator)}`);
    return 1;
  }
  const withVulgar = /^(\d*)(.)$/u.exec(token.core);
  const vulgar = withVulgar ? VULGAR_FRACTIONS.get(withVulgar[2] ?? '') : undefined;
  if (!withVulgar || !vulgar) return 0;
  const whole = withVulgar[1] ?? '';
  if (whole) {
    output.sayFor(token, token.coreStart, token.coreStart + whole.length, `${cardinal(whole, numberStyle)} and`);
    output.sayFor(token, token.coreStart + whole.length, token.coreEnd, fractionWords(vulgar[0], vulgar[1], numberStyle, true));
  } else output.sayForCore(token, fractionWords(vulgar[0], vulgar[1], numberStyle));
  return 1;
}
