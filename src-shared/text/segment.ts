// Text segmentation: paragraphs, sentences, clauses and words, as UTF-16 ranges
// into the original string. Pure TypeScript (runs in the browser too).
//
// Paragraph rule:
//   * A blank line (only whitespace), U+2029, form feed or vertical tab ends a paragraph.
//   * A single newline also ends a paragraph when it is a "hard" line break:
//       - the next line starts with a list marker ("- x", "• x", "1. x", "a) x", "(2) x"), or
//       - the previous line is a heading-like line: it does not end in sentence or
//         clause punctuation, the next line does not start in lower case, and the
//         previous line is either short (< 50 chars) or written in capitals.
//     Every other single newline is a soft wrap of prose and is treated as a space.
//   So a heading, each list item, and each short verse/address line is its own paragraph.
//
// Sentence rule: sentences never cross paragraphs. Inside a paragraph a sentence ends
// after a run of terminators (. ! ? … and CJK 。！？) plus any closing quotes/brackets,
// when followed by whitespace or the end of the paragraph (CJK stops need no space),
// unless the context says otherwise (abbreviation, initial, list marker, next word in
// lower case). Pieces longer than MAX_SENTENCE_LENGTH are split at clause punctuation,
// else at a space, else hard (never inside a surrogate pair).
//
// Everything is a single forward scan with bounded look-behind/look-ahead, so linear.

export interface TextRange {
  start: number;
  end: number;
} // UTF-16 offsets into the original string, [start, end)
export interface Paragraph extends TextRange {
  index: number;
}
export interface Sentence extends TextRange {
  index: number;
  paragraph: number;
}
export interface Word extends TextRange {
  index: number;
}
export interface Clause extends TextRange {
  index: number;
}

export interface SentenceOptions {
  /** Upper bound on a sentence's length in UTF-16 units (default 400, minimum 16). */
  maxLength?: number;
  /** The text's paragraphs when the caller has them already (segmentParagraphs of the same text). */
  paragraphs?: readonly Paragraph[];
}

export const MAX_SENTENCE_LENGTH = 400;
/** A line at least this long that wraps into the next is taken as flowed prose. */
const SOFT_WRAP_MIN_LINE = 50;

// ---------------------------------------------------------------- character classes

const RE_SPACE_LIKE = /[\s\p{Cc}\p{Cf}\p{Cs}\p{Z}]/u;
const RE_LOWER = /\p{Ll}/u;
const RE_UPPER = /[\p{Lu}\p{Lt}]/u;
const RE_LETTER = /\p{L}/u;
const RE_DIGIT = /\p{Nd}/u;
const RE_WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const RE_SPEAKABLE = /[\p{L}\p{N}\p{P}\p{Sc}\p{Sm}]/u;
const RE_WORD_CONTENT = /[\p{L}\p{N}\p{Sc}\p{Sm}&@#%]/u;

function isSpaceLike(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c > 32 && c < 127) return false;
  return ch.length > 0 && RE_SPACE_LIKE.test(ch);
}

function isNewline(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x85;
}
function isParagraphSeparator(c: number): boolean {
  return c === 0x2029 || c === 12 || c === 11;
}

/** Sentence terminators needing a following space. */
function isTerminator(c: number): boolean {
  return (
    c === 46 /* . */ ||
    c === 33 /* ! */ ||
    c === 63 /* ? */ ||
    c === 0x2026 /* … */ ||
    c === 0x203c ||
    c === 0x2047 ||
    c === 0x2048 ||
    c === 0x2049 ||
    isCjkTerminator(c)
  );
}
/** CJK full-width stops end a sentence without a following space. */
function isCjkTerminator(c: number): boolean {
  return c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0xff61;
}

const CLOSERS = new Set(['"', "'", '\u201d', '\u2019', ')', ']', '}', '\u00bb', '\u203a', '\u300d', '\u300f', '\uff09']);
const OPENERS = new Set(['"', "'", '\u201c', '\u2018', '(', '[', '{', '\u00ab', '\u2039', '\u00bf', '\u00a1', '\u300c', '\u300e', '\uff08', '\u201e', '*', '_']);
const CLAUSE_PUNCT = new Set([',', ';', ':', '\u2014', '\u2013', ')', '\u3001', '\uff0c', '\uff1b', '\uff1a']);

// ---------------------------------------------------------------- abbreviations

/** Never end a sentence (always followed by more of the same sentence). */
const ALWAYS_MID = new Set(['e.g', 'i.e', 'vs', 'viz', 'cf', 'approx', 'ca', 'esp', 'incl', 'eg', 'ie']);
/** Titles before a name: only a boundary if the next word is a typical sentence opener. */
const TITLES = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'rev', 'hon', 'capt', 'gen', 'col', 'lt', 'sgt', 'cmdr', 'adm',
  'gov', 'sen', 'rep', 'fr', 'mt', 'st', 'messrs', 'mme', 'mlle', 'pres', 'supt', 'insp', 'det', 'cpl',
  'pvt', 'maj', 'brig', 'mssrs', 'sr', 'jr',
]);
/** Abbreviations before a number ("No. 5", "p. 12", "Jan. 3"): not a boundary before a digit. */
const NUMBER_PREFIX = new Set([
  'no', 'nos', 'p', 'pp', 'vol', 'vols', 'fig', 'figs', 'ch', 'chap', 'sec', 'art', 'eq', 'ref', 'op',
  'pt', 'ex', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'ed',
  'nr', 'tel', 'ph',
]);
/** Words that commonly open a sentence; after an abbreviation they suggest a boundary. */
const SENTENCE_STARTERS = new Set([
  'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'this', 'that', 'these', 'those',
  'there', 'then', 'but', 'and', 'so', 'however', 'in', 'on', 'at', 'if', 'when', 'his', 'her', 'its',
  'our', 'their', 'my', 'your', 'what', 'who', 'why', 'how', 'where', 'after', 'before', 'as', 'also',
  'meanwhile', 'yet', 'still', 'now', 'later', 'today', 'yesterday', 'tomorrow', 'for', 'from', 'one',
  'some', 'many', 'most', 'all', 'no', 'not', 'yes', 'while', 'although', 'though', 'because', 'since',
  'once', 'thus', 'therefore', 'here', 'each', 'every', 'both', 'let', 'please', 'do', 'did', 'does',
  'is', 'was', 'are', 'were', 'can', 'could', 'will', 'would', 'should', 'may', 'might', 'next',
  'finally', 'first', 'second', 'third', 'last', 'only', 'even', 'such', 'with', 'without', 'by', 'to',
  'of', 'or', 'nor', 'instead', 'again', 'otherwise', 'besides', 'moreover', 'furthermore', 'indeed',
]);

const RE_INITIALISM = /^(?:\p{L}\.)+\p{L}$/u; // U.S, J.R.R, a.m (the final dot is the candidate)
const RE_SINGLE_UPPER = /^\p{Lu}$/u; // "J." initial
const RE_NUMBERED_MARKER = /^(?:\d{1,3}|[a-z]|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})$/;

/** Length of a list marker (including following spaces) at `pos`, or 0. Looks at <= 12 chars. */
function listMarkerLength(text: string, pos: number, end: number): number {
  const lim = Math.min(end, pos + 12);
  const c0 = text[pos];
  if (c0 === undefined || pos >= end) return 0;
  let j = pos;
  if ('-*+\u2022\u2023\u25e6\u25aa\u25cf\u25cb\u2043\u2013\u2014\u00b7\u25a0\u25a1\u2219\u27a2\u2192'.includes(c0)) {
    j = pos + 1;
  } else {
    let open = false;
    if (c0 === '(') {
      open = true;
      j++;
    }
    const s = j;
    while (j < lim && /[0-9A-Za-z]/.test(text[j] ?? '')) j++;
    const body = text.slice(s, j);
    if (!body || !RE_NUMBERED_MARKER.test(body) && !/^[A-Z]$/.test(body)) return 0;
    const p = text[j];
    if (open) {
      if (p !== ')') return 0;
    } else if (p === '.') {
      // "A. Smith" is more likely an initial than a list item; upper-case letters need ")".
      if (/^[A-Z]$/.test(body) && !/^[IVX]$/.test(body)) return 0;
    } else if (p !== ')') return 0;
    j++;
  }
  // A marker must be followed by a space (and then something).
  if (j >= end || !isSpaceLike(text[j] ?? '')) return 0;
  const markEnd = j;
  while (j < end && j < markEnd + 8 && isSpaceLike(text[j] ?? '') && !isNewline(text.charCodeAt(j))) j++;
  if (j >= end || isNewline(text.charCodeAt(j))) return 0;
  return j - pos;
}

/** True if the list marker at `pos` is a bullet glyph (not spoken) rather than a number/letter. */
function isBulletGlyph(text: string, pos: number): boolean {
  const c = text[pos] ?? '';
  return '-*+\u2022\u2023\u25e6\u25aa\u25cf\u25cb\u2043\u2013\u2014\u00b7\u25a0\u25a1\u2219\u27a2\u2192'.includes(c) && c !== '';
}

// ---------------------------------------------------------------- lines

interface Line {
  /** trimmed content range */
  start: number;
  end: number;
  /** the line was ended by a paragraph separator (U+2029, FF, VT) */
  forceBreak: boolean;
}

function trimRange(text: string, start: number, end: number): [number, number] {
  while (start < end && isSpaceLike(text[start] ?? '')) start++;
  while (end > start && isSpaceLike(text[end - 1] ?? '')) end--;
  return [start, end];
}

function* lines(text: string, from = 0, to = text.length): Generator<Line> {
  let ls = from;
  for (let i = from; i <= to; i++) {
    const c = i < to ? text.charCodeAt(i) : -1;
    if (c === -1 || isNewline(c) || isParagraphSeparator(c)) {
      const [s, e] = trimRange(text, ls, i);
      yield { start: s, end: e, forceBreak: isParagraphSeparator(c) };
      if (c === 13 && text.charCodeAt(i + 1) === 10 && i + 1 < to) i++;
      ls = i + 1;
    }
  }
}

function lastSignificantChar(text: string, line: Line): string {
  let e = line.end;
  while (e > line.start && CLOSERS.has(text[e - 1] ?? '')) e--;
  return text[e - 1] ?? '';
}

function isAllCaps(text: string, line: Line): boolean {
  // Bounded: headings are short; look at most 200 chars.
  let letters = 0;
  const lim = Math.min(line.end, line.start + 200);
  for (let i = line.start; i < lim; i++) {
    const ch = text[i] ?? '';
    if (RE_LOWER.test(ch)) return false;
    if (RE_UPPER.test(ch)) letters++;
  }
  return letters >= 2;
}

/** Whether a single newline between `prev` and `next` ends a paragraph (see file header). */
function isHardBreak(text: string, prev: Line, next: Line): boolean {
  if (listMarkerLength(text, next.start, next.end) > 0) return true;
  const first = text[next.start] ?? '';
  const last = lastSignificantChar(text, prev);
  if (',;:-\u2010\u2013\u2014(&/'.includes(last) && last !== '') return false;
  if (RE_LOWER.test(first)) return false;
  if (last !== '' && isTerminator(last.charCodeAt(0))) return false;
  if (isAllCaps(text, prev)) return true;
  return prev.end - prev.start < SOFT_WRAP_MIN_LINE;
}

// ---------------------------------------------------------------- paragraphs

export function segmentParagraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  if (typeof text !== 'string' || text.length === 0) return out;
  let cur: { start: number; end: number } | null = null;
  let prev: Line | null = null;
  const close = (): void => {
    if (cur) out.push({ start: cur.start, end: cur.end, index: out.length });
    cur = null;
    prev = null;
  };
  for (const line of lines(text)) {
    if (line.start === line.end) {
      close();
    } else {
      if (cur && prev && isHardBreak(text, prev, line)) close();
      if (cur) (cur as { start: number; end: number }).end = line.end;
      else cur = { start: line.start, end: line.end };
      prev = line;
    }
    if (line.forceBreak) close();
  }
  close();
  return out;
}

// ---------------------------------------------------------------- sentences

function hasSpeakable(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (c > 32 && c !== 127) return true;
      continue;
    }
    const cp = text.codePointAt(i) ?? c;
    const ch = String.fromCodePoint(cp);
    if (RE_SPEAKABLE.test(ch)) return true;
    if (cp > 0xffff) i++;
  }
  return false;
}

interface NextInfo {
  kind: 'end' | 'lower' | 'upper' | 'digit' | 'other';
  word: string; // lower-cased leading letters of the next word (<= 16)
}

function lookAhead(text: string, j: number, end: number): NextInfo {
  let k = j;
  while (k < end && isSpaceLike(text[k] ?? '')) k++;
  const lim = Math.min(end, k + 8);
  while (k < lim && OPENERS.has(text[k] ?? '')) k++;
  if (k >= end) return { kind: 'end', word: '' };
  const ch = text[k] ?? '';
  let kind: NextInfo['kind'] = 'other';
  if (RE_LOWER.test(ch)) kind = 'lower';
  else if (RE_UPPER.test(ch)) kind = 'upper';
  else if (RE_DIGIT.test(ch)) kind = 'digit';
  let w = '';
  const wl = Math.min(end, k + 16);
  for (let m = k; m < wl; m++) {
    const c = text[m] ?? '';
    if (!RE_LETTER.test(c)) break;
    w += c;
  }
  return { kind, word: w.toLowerCase() };
}

/** The token just before position `dot` (bounded look-behind), without leading openers. */
function tokenBefore(text: string, dot: number, start: number): { token: string; tokStart: number } {
  let k = dot;
  const lim = Math.max(start, dot - 24);
  while (k > lim && !isSpaceLike(text[k - 1] ?? '')) k--;
  if (k === lim && k > start && !isSpaceLike(text[k - 1] ?? '')) return { token: '\u0000long', tokStart: k };
  while (k < dot && OPENERS.has(text[k] ?? '')) k++;
  return { token: text.slice(k, dot), tokStart: k };
}

/** Start offset of the line containing `pos`, not before `floor`. Bounded by the caller's token. */
function onlySpaceBefore(text: string, pos: number, floor: number): boolean {
  for (let k = pos - 1; k >= floor; k--) {
    const c = text.charCodeAt(k);
    if (isNewline(c)) return true;
    if (!isSpaceLike(text[k] ?? '')) return false;
  }
  return true;
}

function isPeriodBoundary(text: string, dot: number, segStart: number, next: NextInfo): boolean {
  if (next.kind === 'lower') return false;
  const { token, tokStart } = tokenBefore(text, dot, segStart);
  if (token === '' || token.startsWith('\u0000')) return true;
  // "1. Item" / "a. item" at the start of a line is a list marker, not a sentence.
  if (RE_NUMBERED_MARKER.test(token) && onlySpaceBefore(text, tokStart, segStart)) return false;
  const lt = token.toLowerCase();
  const starter = next.kind === 'upper' && SENTENCE_STARTERS.has(next.word);
  if (next.kind === 'end') return true;
  if (ALWAYS_MID.has(lt)) return false;
  if (TITLES.has(lt)) return starter || next.kind === 'other';
  if (NUMBER_PREFIX.has(lt) && next.kind === 'digit') return false;
  if (lt === 'a.m' || lt === 'p.m' || lt === 'etc' || lt === 'inc' || lt === 'ltd' || lt === 'co' || lt === 'corp') {
    return next.kind !== 'digit';
  }
  if (RE_INITIALISM.test(token) || RE_SINGLE_UPPER.test(token)) return starter;
  return true;
}

function pushPieces(
  text: string,
  start: number,
  end: number,
  max: number,
  emit: (s: number, e: number) => void,
): void {
  let [s, e] = trimRange(text, start, end);
  while (e - s > max) {
    const limit = s + max;
    const lo = s + Math.floor(max / 4);
    let cut = -1;
    for (let k = limit - 1; k >= lo && cut < 0; k--) {
      if (CLAUSE_PUNCT.has(text[k] ?? '') && k + 1 <= limit && isSpaceLike(text[k + 1] ?? '')) cut = k + 1;
    }
    for (let k = limit; k > lo && cut < 0; k--) {
      if (isSpaceLike(text[k] ?? '') && !isSpaceLike(text[k - 1] ?? '')) cut = k;
    }
    if (cut < 0) {
      cut = limit;
      const cc = text.charCodeAt(cut);
      if (cc >= 0xdc00 && cc <= 0xdfff) {
        const pc = text.charCodeAt(cut - 1);
        if (pc >= 0xd800 && pc <= 0xdbff) cut--;
      }
    }
    const [ps, pe] = trimRange(text, s, cut);
    if (pe > ps && hasSpeakable(text, ps, pe)) emit(ps, pe);
    [s, e] = trimRange(text, cut, e);
  }
  if (e > s && hasSpeakable(text, s, e)) emit(s, e);
}

export function segmentSentences(text: string, options?: SentenceOptions): Sentence[] {
  const out: Sentence[] = [];
  if (typeof text !== 'string' || text.length === 0) return out;
  const max = Math.max(16, Math.floor(options?.maxLength ?? MAX_SENTENCE_LENGTH));
  for (const para of options?.paragraphs ?? segmentParagraphs(text)) {
    const emit = (s: number, e: number): void => {
      out.push({ start: s, end: e, index: out.length, paragraph: para.index });
    };
    const pe = para.end;
    let sStart = para.start;
    // A bullet glyph is not spoken; numbered markers ("1.") are kept.
    const ml = listMarkerLength(text, sStart, pe);
    if (ml > 0 && isBulletGlyph(text, sStart)) sStart += ml;
    let i = sStart;
    while (i < pe) {
      const c = text.charCodeAt(i);
      if (!isTerminator(c)) {
        i++;
        continue;
      }
      const runStart = i;
      let j = i;
      let dots = 0;
      let others = 0;
      let cjk = false;
      for (;;) {
        const cj = text.charCodeAt(j);
        if (j < pe && isTerminator(cj)) {
          if (cj === 46) dots++;
          else if (cj === 0x2026) dots += 3;
          else others++;
          if (isCjkTerminator(cj)) cjk = true;
          j++;
        } else if (j + 1 < pe && cj === 32 && text.charCodeAt(j - 1) === 46 && text.charCodeAt(j + 1) === 46 && dots >= 1 && (dots > 1 || text.charCodeAt(j + 2) === 32 || text.charCodeAt(j + 2) === 46)) {
          j++; // spaced ellipsis ". . ."
        } else break;
      }
      let closed = false;
      while (j < pe && CLOSERS.has(text[j] ?? '')) {
        j++;
        closed = true;
      }
      if (j < pe && !cjk && !isSpaceLike(text[j] ?? '')) {
        i = j; // "3.50", "U.S.", "example.com", "end.[1]"
        continue;
      }
      const next = lookAhead(text, j, pe);
      let boundary: boolean;
      if (next.kind === 'end') boundary = true;
      else if (cjk) boundary = true;
      else if (others > 0 && dots === 0) boundary = !(closed && next.kind === 'lower');
      else if (others > 0) boundary = next.kind !== 'lower';
      else if (dots >= 2) boundary = next.kind !== 'lower';
      else boundary = isPeriodBoundary(text, runStart, para.start, next);
      if (boundary) {
        pushPieces(text, sStart, j, max, emit);
        sStart = j;
      }
      i = j;
    }
    if (sStart < pe) pushPieces(text, sStart, pe, max, emit);
  }
  return out;
}

// ---------------------------------------------------------------- clauses

/**
 * Split a range (default: whole text; normally one sentence) at clause punctuation
 * (, ; : — – and closing brackets) followed by whitespace. Terminators are not split on:
 * use segmentSentences first.
 */
export function segmentClauses(text: string, range?: TextRange): Clause[] {
  const out: Clause[] = [];
  if (typeof text !== 'string') return out;
  const from = Math.max(0, Math.min(text.length, range?.start ?? 0));
  const to = Math.max(from, Math.min(text.length, range?.end ?? text.length));
  let s = from;
  const emit = (a: number, b: number): void => {
    const [ts, te] = trimRange(text, a, b);
    if (te > ts && hasSpeakable(text, ts, te)) out.push({ start: ts, end: te, index: out.length });
  };
  for (let i = from; i < to; i++) {
    const ch = text[i] ?? '';
    const c = ch.charCodeAt(0);
    if (CLAUSE_PUNCT.has(ch)) {
      let j = i + 1;
      while (j < to && CLOSERS.has(text[j] ?? '')) j++;
      if (j >= to || isSpaceLike(text[j] ?? '') || c >= 0x3000) {
        emit(s, j);
        s = j;
      }
      i = j - 1;
    }
  }
  emit(s, to);
  return out;
}

// ---------------------------------------------------------------- words

const TRIM_LEAD = /[\p{Ps}\p{Pi}\p{Pf}"'¿¡*_,.;:!?…\-\u2010-\u2015]/u;
const TRIM_TRAIL = /[\p{Pe}\p{Pi}\p{Pf}"'*_,.;:!?…\-\u2010-\u2015]/u;

/**
 * Words of a range (default: whole text): runs of non-space characters, split at dashes
 * (— –, "--") and ellipses, with surrounding punctuation trimmed. A trailing "." is kept on
 * initialisms ("U.S."). Runs with no letter, digit or speakable symbol (e.g. emoji) are skipped.
 * Hyphenated words ("well-known") stay one word.
 */
export function segmentWords(text: string, range?: TextRange): Word[] {
  const out: Word[] = [];
  if (typeof text !== 'string') return out;
  const from = Math.max(0, Math.min(text.length, range?.start ?? 0));
  const to = Math.max(from, Math.min(text.length, range?.end ?? text.length));
  const emit = (a: number, b: number): void => {
    let s = a;
    let e = b;
    while (s < e && TRIM_LEAD.test(text[s] ?? '')) s++;
    const keepDotFrom = e;
    while (e > s && TRIM_TRAIL.test(text[e - 1] ?? '')) e--;
    // Keep the final dot of "U.S." / "e.g.".
    if (e < keepDotFrom && text[e] === '.' && e - s <= 24 && RE_INITIALISM.test(text.slice(s, e))) e++;
    if (e <= s) return;
    let ok = false;
    for (let k = s; k < e; k++) {
      const cp = text.codePointAt(k) ?? 0;
      if (RE_WORD_CONTENT.test(String.fromCodePoint(cp))) {
        ok = true;
        break;
      }
      if (cp > 0xffff) k++;
    }
    if (ok) out.push({ start: s, end: e, index: out.length });
  };
  let s = -1;
  for (let i = from; i <= to; i++) {
    const ch = i < to ? (text[i] ?? '') : ' ';
    const c = ch.charCodeAt(0);
    const dash2 = ch === '-' && text[i + 1] === '-' && i + 1 < to;
    const dots2 = ch === '.' && text[i + 1] === '.' && i + 1 < to;
    const sep = isSpaceLike(ch) || c === 0x2014 || c === 0x2015 || c === 0x2026 || dash2 || dots2 ||
      (c === 0x2013 && !(RE_WORD_CHAR.test(text[i - 1] ?? '') && RE_DIGIT.test(text[i + 1] ?? '')));
    if (sep) {
      if (s >= 0) emit(s, i);
      s = -1;
      if (dash2 || dots2) {
        while (i + 1 < to && text[i + 1] === ch) i++;
      }
    } else if (s < 0) s = i;
  }
  return out;
}
