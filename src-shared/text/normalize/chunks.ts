// Splits text into whitespace-delimited chunks, each with a "core" stripped of the
// surrounding quotes, brackets and punctuation, and a per-character map back to source
// offsets (characters such as soft hyphens and bidi marks are dropped from the chunk's
// text but do not split it). Single linear pass.

export interface Chunk {
  /** Chunk characters after dropping ignorables and straightening quotes/apostrophes/minus. */
  s: string;
  /** offs[k] = source offset of s[k]; offs[s.length] = source end of the chunk. */
  offs: number[];
  start: number;
  end: number;
  /** Core = s.slice(cs, ce). */
  cs: number;
  ce: number;
  core: string;
  lead: string;
  trail: string;
}

/** Dropped inside words, never split a chunk: soft hyphen, ZWNJ/ZWJ, word joiner, BOM, bidi marks, variation selectors. */
function isIgnorable(c: number): boolean {
  return (
    c === 0xad || c === 0x200c || c === 0x200d || c === 0x2060 || c === 0xfeff || c === 0x200e || c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || (c >= 0xfe00 && c <= 0xfe0f) || c === 0x34f
  );
}

const RE_SEPARATOR = /[\s\p{Z}\p{Cc}\p{Cf}]/u;

function mapChar(ch: string): string {
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

function finish(s: string, offs: number[], start: number, end: number): Chunk {
  let cs = 0;
  let ce = s.length;
  for (;;) {
    const ch = s[cs];
    if (ch === undefined || cs >= ce) break;
    const nx = s[cs + 1] ?? '';
    const digitNext = nx >= '0' && nx <= '9';
    if (LEAD_STRIP.has(ch) && !(ch === '~' && digitNext)) {
      cs++;
    } else if (ch === "'" && !LEADING_APOS_OK.test(s.slice(cs, cs + 8))) {
      cs++;
    } else if ((ch === '-' || ch === '.') && !digitNext && !(ch === '-' && /[$£€¥₹₩₽]/.test(nx))) {
      cs++;
    } else break;
  }
  while (ce > cs) {
    const ch = s[ce - 1] ?? '';
    if (!TRAIL_STRIP.has(ch)) break;
    // Keep a closing bracket that closes one inside the core: "f(x)", "(a)".
    if (ch === ')' && s.lastIndexOf('(', ce - 1) >= cs && s.indexOf(')', cs) === ce - 1) break;
    ce--;
  }
  return { s, offs, start, end, cs, ce, core: s.slice(cs, ce), lead: s.slice(0, cs), trail: s.slice(ce) };
}

export function buildChunks(text: string, from = 0, to = text.length): Chunk[] {
  const out: Chunk[] = [];
  let s = '';
  let offs: number[] = [];
  let parts: string[] = [];
  const flush = (): void => {
    if (offs.length === 0) return;
    s = parts.join('');
    // Every code unit (both halves of a pair too) has its own entry, so the end is last + 1.
    const end = (offs[offs.length - 1] ?? 0) + 1;
    offs.push(end);
    out.push(finish(s, offs, offs[0] ?? 0, end));
    s = '';
    offs = [];
    parts = [];
  };
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (c <= 32 || c === 127) flush();
      else {
        parts.push(text[i] ?? '');
        offs.push(i);
      }
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (i + 1 < to && d >= 0xdc00 && d <= 0xdfff) {
        parts.push(text.slice(i, i + 2));
        offs.push(i, i + 1);
        i++;
      } else flush(); // lone surrogate: a separator
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      flush();
      continue;
    }
    if (isIgnorable(c)) continue;
    const ch = text[i] ?? '';
    if (RE_SEPARATOR.test(ch)) {
      flush();
      continue;
    }
    parts.push(mapChar(ch));
    offs.push(i);
  }
  flush();
  return out;
}
