// The rules in the order they are tried on each token; the first that consumes it wins, so
// the more specific readings come first ("$5" is money before it is a number, "10-20" a
// phone number or date before a range). One file per rule.

import type { Rule } from '../context';
import { approximately } from './approximately';
import { characterRuns } from './character-runs';
import { clockTime } from './clock-time';
import { decade } from './decade';
import { fraction } from './fraction';
import { hashtagOrMention } from './hashtag-or-mention';
import { hyphenated } from './hyphenated';
import { monthName } from './month-name';
import { money } from './money';
import { numberWithUnit } from './number-with-unit';
import { numericDate } from './numeric-date';
import { numericRange } from './numeric-range';
import { ordinalNumber } from './ordinal-number';
import { overlongToken } from './overlong-token';
import { percent } from './percent';
import { phoneNumber } from './phone-number';
import { plainNumber } from './plain-number';
import { punctuationOnly } from './punctuation-only';
import { symbol } from './symbol';
import { urlOrEmail } from './url-or-email';
import { word } from './word';

export const RULES: readonly Rule[] = [
  punctuationOnly, // "-", "—", "...": no words; "-" between numbers is "to"
  overlongToken, // over 256 characters: character runs only
  approximately, // "~5": "about", then the rules below read "5"
  urlOrEmail,
  hashtagOrMention,
  money,
  clockTime,
  numericDate,
  phoneNumber,
  decade,
  ordinalNumber,
  percent,
  plainNumber, // may consume the unit, fraction, am/pm or month after it
  numberWithUnit,
  numericRange,
  fraction,
  monthName, // may consume the day after it
  symbol,
  word,
  hyphenated,
  characterRuns, // always applies
];
