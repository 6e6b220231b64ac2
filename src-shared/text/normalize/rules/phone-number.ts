import type { NormalizeContext } from '../context';
import { digitByDigit } from '../numbers';

/** Phone numbers ("555-123-4567", "+1-555-123-4567") and codes of three or more hyphenated digit groups (ISBNs), digit by digit. */
export function phoneNumber(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const { core, text } = token;
  const phone = /^(\+?\d{1,3}[-.])?(\(?\d{3}\)?[-.]?)?(\d{3})[-.](\d{4})$/.exec(core);
  const groups = /^\d+(?:-\d+){2,}$/.test(core);
  // A bare "555-1234" is a phone number only if it could be one (exchanges start 2-9): "100-1000" is a range.
  if (!groups && (!phone || (!phone[1] && !phone[2] && !/^[2-9]\d{2}-\d{4}$/.test(core)))) return 0;
  // Digit groups, separated by short pauses.
  const { output } = context;
  let k = token.coreStart;
  while (k < token.coreEnd) {
    while (k < token.coreEnd && !/\d/.test(text[k] ?? '')) k++;
    let j = k;
    while (j < token.coreEnd && /\d/.test(text[j] ?? '')) j++;
    if (j > k) {
      if (output.count && k > token.coreStart) output.punctuate(',');
      output.sayFor(token, k, j, digitByDigit(text.slice(k, j)));
    }
    k = j;
  }
  return 1;
}
