// Splits text into whitespace-delimited tokens, each with a "core" stripped of the
// surrounding quotes, brackets and punctuation, and a per-character map back to source
// offsets (characters such as soft hyphens and bidi marks are dropped from the token's
// text but do not split it). Single linear pass.

export interface Token {
  /** The token's characters after dropping ignorables and straightening quotes/apostrophes/minus. */
  text: string;
  /** sourceOffsets[k] = source offset of text[k]; sourceOffsets[text.length] = source end of the token. */
  sourceOffsets: number[];
  /** Source span [start, end) of the whole token. */
  start: number;
  end: number;
  /** core = text.slice(coreStart, coreEnd): the token without its leading and trailing marks. */
  coreStart: number;
  coreEnd: number;
  core: string;
  /** The marks before the core ('"(' of '"(word') and after it ('),' of 'word),'). */
  lead: string;
  trail: string;
}

/** Dropped inside words, never split a token: soft hyphen, ZWNJ/ZWJ, word joiner, BOM, bidi marks, variation selectors. */
function isIgnorable(c: number): boolean {
  return (
    c === 0xad || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff || c === 0x200e || c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || (c >= 0xfe00 && c <= 0xfe0f) || c === 0x34f
  );
}

const RE_SEPARATOR = /[\s\p{Z}\p{Cc}\p{Cf}]/u;

function straighten(ch: string): string {
  switch (ch) {
    case '\u2019': case '\u2018': case '\u02bc': case '\u201b': case '\u2032': case '\uff07':
      return "'";
    case '\u201c': case '\u201d': case '\u201e': case '\u201f': case '\u2033': case '\uff02':
      return '"';
    case '\u2212': case '\u2010': case '\u2011': case '\ufe63': case '\uff0d':
      return '-';
    default:
      return ch;
  }
}

const LEAD_STRIP = new Set([
  '"', '(', '[', '{', '\u00ab', '\u2039', '\u00bf', '\u00a1', '*', '_', '`', '\u2014', '\u2013', '\u2015', '\u2026',
  '\u2022', '\u2023', '\u25e6', '\u25aa', '\u25cf', '\u25cb', '\u2043', '\u00b7', '\u25a0', '\u25a1', '\u2219',
  '\u300c', '\u300e', '\uff08', '|', '\\', '~', '^', ',', ';', ':', '!', '?', ')', ']', '}', '\u00bb', '\u203a',
]);
const TRAIL_STRIP = new Set([
  '"', "'", ')', ']', '}', '\u00bb', '\u203a', '*', '_', '`', '.', ',', ';', ':', '!', '?', '\u2026', '\u2014',
  '\u2013', '\u2015', '-', '\u300d', '\u300f', '\uff09', '\u3002', '\uff01', '\uff1f', '\uff0c', '\u3001',
  '(', '[', '{', '\u00ab', '|', '\\', '~', '^',
]);

const LEADING_APOS_OK = /^'(?:\d|(?:tis|twas|em|cause|til|round|bout|n|ere|neath|nuff|sup|kay)\b)/i;

/** Finds the token's core: strips leading and trailing marks that are not part of a word or number. */
function withCore(text: string, sourceOffsets: number[], start: number, end: number): Token {
  let coreStart = 0;
  let coreEnd = text.length;
  for (;;) {
    const ch = text[coreStart];
    if (ch === undefined || coreStart >= coreEnd) break;
    const following = text[coreStart + 1] ?? '';
    const digitFollows = following >= '0' && following <= '9';
    if (LEAD_STRIP.has(ch) && !(ch === '~' && digitFollows)) {
      coreStart++;
    } else if (ch === "'" && !LEADING_APOS_OK.test(text.slice(coreStart, coreStart + 8))) {
      coreStart++;
    } else if ((ch === '-' || ch === '.') && !digitFollows && !(ch === '-' && /[$£€¥₹₩₽]/.test(following))) {
      coreStart++;
    } else break;
  }
  while (coreEnd > coreStart) {
    const ch = text[coreEnd - 1] ?? '';
    if (!TRAIL_STRIP.has(ch)) break;
    // Keep a closing bracket that closes one inside the core: "f(x)", "(a)".
    if (ch === ')' && text.lastIndexOf('(', coreEnd - 1) >= coreStart && text.indexOf(')', coreStart) === coreEnd - 1) break;
    coreEnd--;
  }
  return {
    text, sourceOffsets, start, end, coreStart, coreEnd,
    core: text.slice(coreStart, coreEnd), lead: text.slice(0, coreStart), trail: text.slice(coreEnd),
  };
}

/** The tokens of text[from, to), with offsets into the whole text. */
export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const tokens: Token[] = [];
  let sourceOffsets: number[] = [];
  let characters: string[] = [];
  const endToken = (): void => {
    if (sourceOffsets.length === 0) return;
    // Every code unit (both halves of a pair too) has its own entry, so the end is last + 1.
    const end = (sourceOffsets[sourceOffsets.length - 1] ?? 0) + 1;
    sourceOffsets.push(end);
    tokens.push(withCore(characters.join(''), sourceOffsets, sourceOffsets[0] ?? 0, end));
    sourceOffsets = [];
    characters = [];
  };
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (c <= 32 || c === 127) endToken();
      else {
        characters.push(text[i] ?? '');
        sourceOffsets.push(i);
      }
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (i + 1 < to && d >= 0xdc00 && d <= 0xdfff) {
        characters.push(text.slice(i, i + 2));
        sourceOffsets.push(i, i + 1);
        i++;
      } else endToken(); // lone surrogate: a separator
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      endToken();
      continue;
    }
    if (isIgnorable(c)) continue;
    const ch = text[i] ?? '';
    if (RE_SEPARATOR.test(ch)) {
      endToken();
      continue;
    }
    characters.push(straighten(ch));
    sourceOffsets.push(i);
  }
  endToken();
  return tokens;
}
