import { MAX_WORD } from '../context';
import type { NormalizeContext } from '../context';
import { TLDS } from '../lexicon';
import { cardinal, digitByDigit } from '../numbers';

const SPOKEN_SYMBOLS: Readonly<Record<string, string>> = {
  '.': 'dot', '/': 'slash', '-': 'dash', _: 'underscore', ':': 'colon', '?': 'question mark', '=': 'equals',
  '&': 'and', '#': 'hash', '@': 'at', '~': 'tilde', '%': 'percent', '+': 'plus',
};

/**
 * "https://example.com/a", "www.example.org", "me@example.org", "example.com": words that
 * can be said are said, other letters spelled, numbers read, symbols named; the scheme
 * ("https://") and a final "/" are silent.
 */
export function urlOrEmail(context: NormalizeContext, index: number): number {
  const token = context.tokens[index]!;
  const { core, text } = token;
  let m = /^(?:(?:https?|ftp):\/\/|www\.)/i.exec(core);
  let from = token.coreStart;
  if (m) {
    from = token.coreStart + (m[0].toLowerCase().startsWith('www') ? 0 : m[0].length);
  } else if (!/^[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(core)) {
    m = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.([a-z]{2,6})(?:[/:?#]\S*)?$/i.exec(core);
    // Bare domains need a known TLD and a lower-case spelling (so "Node.JS" or "U.S" are not URLs).
    if (!m || !TLDS.has(m[1] ?? '') || /[A-Z]/.test(core.slice(0, core.indexOf('.')))) return 0;
  }
  const { output } = context;
  const to = token.coreEnd - (text[token.coreEnd - 1] === '/' ? 1 : 0);
  let k = from;
  while (k < to) {
    const ch = text[k] ?? '';
    if (/[A-Za-z]/.test(ch)) {
      let j = k;
      while (j < to && /[A-Za-z]/.test(text[j] ?? '')) j++;
      const letters = text.slice(k, j);
      if (j - k > 1 && /[aeiouy]/i.test(letters) && j - k <= MAX_WORD) output.sayFor(token, k, j, letters.toLowerCase());
      else output.spell(token, k, j);
      k = j;
    } else if (ch >= '0' && ch <= '9') {
      let j = k;
      while (j < to && /[0-9]/.test(text[j] ?? '')) j++;
      const digits = text.slice(k, j);
      output.sayFor(token, k, j, digits.length <= 4 && digits[0] !== '0' ? cardinal(digits) : digitByDigit(digits));
      k = j;
    } else {
      const name = SPOKEN_SYMBOLS[ch];
      if (name) output.sayFor(token, k, k + 1, name);
      k++;
    }
  }
  return 1;
}
