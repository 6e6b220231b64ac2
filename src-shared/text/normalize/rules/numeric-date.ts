import type { NormalizeContext } from '../context';
import { MONTHS } from '../lexicon';
import { DIGIT_WORDS, cardinal, ordinal, year } from '../numbers';

interface DateWords {
  /** "May first", or in Britain "the first of May". */
  dayAndMonth: string;
  year: string;
}

function dateWords(context: NormalizeContext, yearDigits: string, month: number, day: number): DateWords | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const monthName = MONTHS[month - 1] ?? '';
  const dayWords = ordinal(String(day));
  const dayAndMonth = context.british ? `the ${dayWords} of ${monthName}` : `${monthName} ${dayWords}`;
  const yearWords =
    yearDigits.length === 4 ? year(yearDigits) : Number(yearDigits) < 10 ? `oh ${DIGIT_WORDS[Number(yearDigits)]}` : cardinal(yearDigits);
  return { dayAndMonth, year: yearWords };
}

/** "2024-05-01", "5/1/2024" (month first in the US, day first in Britain), "1.5.2024" (day first everywhere), "5/1/24". */
export function numericDate(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  let words: DateWords | null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(token.core);
  if (iso) words = dateWords(context, iso[1] ?? '', Number(iso[2]), Number(iso[3]));
  else {
    const written = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/.exec(token.core);
    if (!written) return 0;
    const first = Number(written[1]);
    const second = Number(written[3]);
    // Dotted dates are day.month.year everywhere; slashes follow the locale.
    const dayFirst = written[2] === '.' || context.british;
    let month = dayFirst ? second : first;
    let day = dayFirst ? first : second;
    // A day over 12 in the month's place: the writer used the other order.
    if (month > 12 && day <= 12) [month, day] = [day, month];
    words = dateWords(context, written[4] ?? '', month, day);
  }
  if (!words) return 0;
  context.output.sayForCore(token, words.dayAndMonth);
  context.output.punctuate(',');
  context.output.sayForCore(token, words.year);
  return 1;
}
