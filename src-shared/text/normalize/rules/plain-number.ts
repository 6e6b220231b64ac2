import type { NormalizeContext } from '../context';
import { UNITS, VULGAR_FRACTIONS } from '../lexicon';
import { MAX_CARDINAL_DIGITS, cardinal, fraction, parseNumber, year } from '../numbers';
import { readCharacterRuns } from './character-runs';
import { RE_AM_PM, amPmWords } from './clock-time';
import { readDayBeforeMonth } from './ordinal-number';

const RE_YEAR_INTRO = /^(?:in|since|year|by|until|till|from|of|circa|c|around|before|after|during|AD|A\.D)$/i;

/**
 * A number ("42", "-2.5", "1,000", "007", "1984"), with what may follow it as its own
 * token: a unit ("5 kg", both consumed), a fraction ("3 1/2", "2 ½"), "am"/"pm" ("3 pm"),
 * a month ("1 May"). Four digits 1100-2099 are a year; 1000-1099 only after a word that
 * introduces one ("in 1066"), else counts ("1001 nights").
 */
export function plainNumber(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const parsed = parseNumber(token.core);
  if (!parsed) return 0;
  const { output, numberStyle } = context;
  const { integerDigits } = parsed;
  if (integerDigits.length > MAX_CARDINAL_DIGITS && parsed.fractionDigits === undefined && !parsed.sign) {
    readCharacterRuns(context, token, token.coreStart, token.coreEnd);
    return 1;
  }
  const plainInteger = parsed.fractionDigits === undefined && !parsed.sign && !parsed.grouped;
  const next = context.joinedNext(index);
  if (next) {
    const unit = UNITS.get(next.core);
    if (unit) {
      output.sayForCore(token, context.readNumber(parsed, false));
      output.sayForCore(next, context.unitName(unit, parsed));
      return 2;
    }
    if (plainInteger) {
      const written = /^(\d{1,2})\/(\d{1,2})$/.exec(next.core);
      const vulgar = VULGAR_FRACTIONS.get(next.core);
      if ((written && Number(written[1]) < Number(written[2])) || vulgar) {
        const [numerator, denominator] = vulgar ?? [written?.[1] ?? '1', written?.[2] ?? '2'];
        output.sayForCore(token, `${cardinal(integerDigits, numberStyle)} and`);
        output.sayForCore(next, fraction(numerator, denominator, numberStyle, true));
        return 2;
      }
      const amPm = RE_AM_PM.exec(next.core);
      const hour = Number(integerDigits);
      if (amPm && hour >= 1 && hour <= 12) {
        output.sayForCore(token, cardinal(integerDigits));
        output.sayForCore(next, amPmWords(amPm[1] ?? 'a'), true);
        return 2;
      }
      if (integerDigits.length <= 2 && readDayBeforeMonth(context, index, integerDigits)) return 1;
    }
  }
  const previous = context.joinedPrevious(index);
  if (plainInteger && integerDigits.length === 4 && integerDigits < '1100' && integerDigits >= '1000' && previous && RE_YEAR_INTRO.test(previous.core)) {
    output.sayForCore(token, year(integerDigits));
    return 1;
  }
  output.sayForCore(token, context.readNumber(parsed, true));
  return 1;
}
