// Text normalisation: turns written text into speakable words, each carrying the source
// span (UTF-16 offsets into the original string) it was read from.
//
// Decisions:
// * Emoji are skipped: they produce no words (naming them mid-sentence distracts more than
//   it informs; the same choice as speech/clean-text.ts).
// * Hyphenated words are split into their parts, each with its own sub-span ("well-known"
//   -> "well" "known"), so every part can be looked up and highlighted; a word with a
//   one-letter part stays whole ("x-ray", "e-mail", "T-shirt").
// * Curly quotes and apostrophes become straight; quotation marks and brackets are not
//   words and are dropped; sentence punctuation . , ? ! ; : is kept as `punct` on the word
//   it follows (dashes and mid-sentence ellipses become ","). The sentence segmenter decides
//   whether a "." ends a sentence, so "Dr." never carries a full stop.
// * Letters to be spelled ("FBI", "U.S.", "a.m.") are emitted one word per letter, upper
//   case, with `spelled: true`, so later stages can say letter names ("A" is not "a").
// * Acronyms read as words ("NASA") are emitted capitalised ("Nasa") so they are not spelled.
// * Integers with more than 36 digits are read digit by digit, one word per digit.
// * Never throws: each token is processed under a guard and falls back to nothing.
// All steps are linear: whole-token patterns only run on tokens of <= 256 characters.

import { segmentSentences } from '../segment';
import type { TextRange } from '../segment';
import { tokenize } from './tokens';
import type { Token } from './tokens';
import {
  ABBREVIATIONS, ATTACHED_UNITS, CURRENCIES, MONTHS, REGNAL_NAMES, ROMAN_CARDINAL_CONTEXT, SCALE_WORDS,
  SHOUTED_WORDS, SPELLED_ACRONYMS, STANDALONE_SYMBOL_WORDS, SYMBOL_WORDS, TLDS, UNITS, VULGAR_FRACTIONS,
  WORD_ACRONYMS, britishUnit, monthNumber,
} from './lexicon';
import type { Currency, UnitWord } from './lexicon';
import {
  DIGIT_WORDS, MAX_CARDINAL_DIGITS, cardinal, decimal, digitByDigit, fraction, ordinal, pluralizeLast,
  romanValue, year,
} from './numbers';
import type { NumberStyle } from './numbers';

export type Punct = '.' | ',' | '?' | '!' | ';' | ':';

export interface NormalizedWord {
  /** One speakable word (may contain a hyphen or apostrophe: "twenty-four", "don't"). */
  text: string;
  /** Source span [start, end) this word was read from; several words may share one span. */
  start: number;
  end: number;
  /** Punctuation that follows this word, for prosody. */
  punct?: Punct;
  /** A letter to be said by name ("F" of "FBI"). */
  spelled?: boolean;
}

export interface NormalizeOptions {
  locale?: 'en-US' | 'en-GB';
  /** Only normalise this range of `text` (offsets stay relative to `text`). */
  range?: TextRange;
}

export interface NormalizeResult {
  words: NormalizedWord[];
}

/** Whole-token patterns run only on tokens up to this length (keeps regexes linear). */
const MAX_PATTERN_TOKEN = 256;
/** Letter runs longer than this are cut into pieces (a 1 MB "word" is not a word). */
const MAX_WORD = 64;

const PUNCT_RANK: Record<Punct, number> = { ',': 1, ';': 2, ':': 2, '.': 3, '!': 4, '?': 5 };

const RE_NUM = /^([-+]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/;
const RE_LETTERS = /^[\p{L}\p{M}']+$/u;
const RE_UPPER_START = /^[\p{Lu}\p{Lt}]/u;
const RE_ALL_CAPS = /^\p{Lu}{2,}$/u;
const RE_LETTER = /[\p{L}\p{M}]/u;
const RE_EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u20e3\u{e0020}-\u{e007f}]/u;
const RE_AMPM = /^([aApP])\.?[mM]$/;
const RE_DAY = /^(\d{1,2})(?:st|nd|rd|th)?$/i;
const RE_NUMERIC_ATOM = /^[-+]?[$£€¥₹]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$/;
const VOWELS = /[AEIOUY]/;
const RE_YEAR_INTRO = /^(?:in|since|year|by|until|till|from|of|circa|c|around|before|after|during|AD|A\.D)$/i;

interface ParsedNum {
  sign: string;
  int: string; // digits only, may be ''
  frac: string | undefined;
  commas: boolean;
}

function parseNum(s: string): ParsedNum | null {
  const m = RE_NUM.exec(s);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3];
  if (int === '' && frac === undefined) return null;
  return { sign: m[1] ?? '', int: int.replace(/,/g, ''), frac, commas: int.includes(',') };
}

function capFirst(w: string): string {
  return w.length ? w[0]!.toUpperCase() + w.slice(1) : w;
}

class Normalizer {
  readonly out: NormalizedWord[] = [];
  private readonly style: NumberStyle;
  private readonly gb: boolean;
  private tokens: Token[] = [];
  private ends = new Set<number>();
  private starts = new Set<number>();

  constructor(
    private readonly text: string,
    options: NormalizeOptions,
  ) {
    this.gb = options.locale === 'en-GB';
    this.style = { british: this.gb };
  }

  run(from: number, to: number): void {
    const slice = from === 0 && to === this.text.length ? this.text : this.text.slice(from, to);
    for (const s of segmentSentences(slice)) {
      this.ends.add(s.end + from);
      this.starts.add(s.start + from);
    }
    this.tokens = tokenize(this.text, from, to);
    const tokens = this.tokens;
    for (let i = 0; i < tokens.length; ) {
      const c = tokens[i]!;
      const before = this.out.length;
      if (/[\u2014\u2013\u2015\u2026]|\.\.|^-$/.test(c.lead) && c.core !== '') this.pauseBefore();
      let n = 1;
      try {
        n = Math.max(1, this.readToken(i));
      } catch {
        // Defensive: a bug in one rule must not stop reading; drop this token's words.
        this.out.length = before;
        n = 1;
      }
      const last = tokens[Math.min(tokens.length - 1, i + n - 1)]!;
      // A lone "-" read as "to" is not also a pause.
      const bare = last.core === '' && this.out.length === before;
      this.applyTrail(last, before, bare ? last.lead + last.trail : last.trail);
      i += n;
    }
  }

  // ------------------------------------------------------------ emission helpers

  private emit(words: string, start: number, end: number, spelled = false): void {
    for (const w of words.split(' ')) {
      if (w === '') continue;
      const word: NormalizedWord = { text: w, start, end };
      if (spelled) word.spelled = true;
      this.out.push(word);
    }
  }

  /** Emits words for core characters [a, b) of token c. */
  private emitAt(c: Token, a: number, b: number, words: string, spelled = false): void {
    this.emit(words, c.sourceOffsets[a] ?? c.start, c.sourceOffsets[b] ?? c.end, spelled);
  }

  private emitCore(c: Token, words: string, spelled = false): void {
    this.emitAt(c, c.coreStart, c.coreEnd, words, spelled);
  }

  private spell(c: Token, a: number, b: number): void {
    for (let k = a; k < b; k++) {
      const ch = c.text[k] ?? '';
      if (RE_LETTER.test(ch)) this.emitAt(c, k, k + 1, ch.toUpperCase(), true);
      else if (ch >= '0' && ch <= '9') this.emitAt(c, k, k + 1, DIGIT_WORDS[Number(ch)] ?? '');
    }
  }

  private setPunct(p: Punct, from = 0): void {
    const w = this.out[this.out.length - 1];
    if (!w || this.out.length <= from) return;
    if (!w.punct || PUNCT_RANK[p] > PUNCT_RANK[w.punct]) w.punct = p;
  }

  private pauseBefore(): void {
    const w = this.out[this.out.length - 1];
    if (w && !w.punct) w.punct = ',';
  }

  private applyTrail(c: Token, before: number, trail: string): void {
    const end = this.ends.has(c.end);
    let p: Punct | undefined;
    if (trail.includes('?') || trail.includes('\uff1f')) p = '?';
    else if (trail.includes('!') || trail.includes('\uff01')) p = '!';
    else if (trail.includes(';')) p = ';';
    else if (trail.includes(':')) p = ':';
    else if (trail.includes(',') || trail.includes('\uff0c') || trail.includes('\u3001')) p = ',';
    else if (trail.includes('\u2026') || trail.includes('..')) p = end ? '.' : ',';
    else if (trail.includes('.') || trail.includes('\u3002')) {
      if (end) p = '.';
      else if (this.starts.has(c.start) && /^\d{1,3}$/.test(c.core)) p = ','; // "1. Item"
      else if (/\.["')\]]/.test(trail)) p = ','; // "Stop." she said
    } else if (/[\u2014\u2013\u2015-]/.test(trail)) p = ',';
    else if (trail === ')' && this.starts.has(c.start) && c.core.length <= 3) p = ','; // "a) item"
    // A sentence ends at least with a full stop (headings, list items too): Kokoro reads several
    // sentences in one chunk, and the stop is where it falls in pitch and pauses.
    if (end && (!p || PUNCT_RANK[p] < 3)) p = '.';
    if (!p) return;
    // Attach to this token's last word, or, at a sentence end, to the last word before it.
    // A token of punctuation alone ("—", "...") is a pause after the previous word.
    if (this.out.length > before || end || c.core === '') this.setPunct(p);
  }

  // ------------------------------------------------------------ context helpers

  /** Token i+1 if it directly continues token i (no punctuation or sentence end between). */
  private next(i: number, allowDot = false): Token | undefined {
    const c = this.tokens[i];
    const n = this.tokens[i + 1];
    if (!c || !n || n.lead !== '' || this.ends.has(c.end)) return undefined;
    if (c.trail !== '' && !(allowDot && c.trail === '.')) return undefined;
    return n;
  }

  private prev(i: number): Token | undefined {
    const c = this.tokens[i];
    const p = this.tokens[i - 1];
    if (!c || !p || c.lead !== '' || p.trail !== '' || this.ends.has(p.end)) return undefined;
    return p;
  }

  private unitName(u: UnitWord, n: ParsedNum): string {
    const one = n.frac === undefined && n.int.replace(/^0+/, '') === '1';
    const w = one ? u.one : u.many;
    return this.gb ? britishUnit(w) : w;
  }

  /** Reads a parsed number. `yearOk`: a bare 4-digit 1000-2099 is read as a year. */
  private num(n: ParsedNum, yearOk: boolean): string {
    const sign = n.sign === '-' ? 'minus ' : n.sign === '+' ? 'plus ' : '';
    let body: string;
    if (n.frac !== undefined) body = decimal(n.int, n.frac, this.style);
    else if (n.int.length > 1 && n.int[0] === '0' && !n.commas) body = digitByDigit(n.int);
    else if (yearOk && !n.commas && !sign && n.int.length === 4 && n.int >= '1100' && n.int <= '2099') body = year(n.int);
    else body = cardinal(n.int, this.style);
    return sign + body;
  }

  // ------------------------------------------------------------ rules

  /** Reads token i; returns how many tokens were consumed. */
  private readToken(i: number): number {
    const c = this.tokens[i]!;
    const core = c.core;
    if (core === '') return this.emptyCore(i);
    if (core.length > MAX_PATTERN_TOKEN) {
      this.pieces(c, c.coreStart, c.coreEnd);
      return 1;
    }
    // "~5 kg", "≈ 3": say "about" and read the rest as if the sign were not there.
    if (/^[~≈]\d/.test(core)) {
      this.emitAt(c, c.coreStart, c.coreStart + 1, 'about');
      c.coreStart++;
      c.core = core.slice(1);
      return this.readToken(i);
    }
    return (
      this.urlOrEmail(c) ||
      this.tagOrMention(c) ||
      this.money(i) ||
      this.time(i) ||
      this.date(c) ||
      this.phone(c) ||
      this.decade(c) ||
      this.ordinalRule(i) ||
      this.percent(c) ||
      this.numberRule(i) ||
      this.numberWithUnit(c) ||
      this.range(c) ||
      this.fractionRule(i) ||
      this.month(i) ||
      this.symbolRule(i) ||
      this.wordRule(i) ||
      this.hyphenated(c) ||
      (this.pieces(c, c.coreStart, c.coreEnd), 1)
    );
  }

  private emptyCore(i: number): number {
    const c = this.tokens[i]!;
    if (/^[-\u2013\u2014]$/.test(c.text)) {
      const p = this.tokens[i - 1];
      const n = this.tokens[i + 1];
      const joined = p && n && p.trail === '' && n.lead === '' && !this.ends.has(p.end) && !this.ends.has(c.end);
      if (joined && RE_NUMERIC_ATOM.test(p.core) && RE_NUMERIC_ATOM.test(n.core)) {
        this.emit('to', c.start, c.end);
      }
    }
    return 1;
  }

  private urlOrEmail(c: Token): number {
    const core = c.core;
    let m = /^(?:(?:https?|ftp):\/\/|www\.)/i.exec(core);
    let body = c.coreStart;
    if (m) {
      body = c.coreStart + (m[0].toLowerCase().startsWith('www') ? 0 : m[0].length);
    } else if (/^[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(core)) {
      body = c.coreStart;
    } else {
      m = /^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.([a-z]{2,6})(?:[/:?#]\S*)?$/i.exec(core);
      // Bare domains need a known TLD and a lower-case spelling (so "Node.JS" or "U.S" are not URLs).
      if (!m || !TLDS.has(m[1] ?? '') || /[A-Z]/.test(core.slice(0, core.indexOf('.')))) return 0;
    }
    const sym: Record<string, string> = {
      '.': 'dot', '/': 'slash', '-': 'dash', _: 'underscore', ':': 'colon', '?': 'question mark', '=': 'equals',
      '&': 'and', '#': 'hash', '@': 'at', '~': 'tilde', '%': 'percent', '+': 'plus',
    };
    let k = body;
    const end = c.coreEnd - (c.text[c.coreEnd - 1] === '/' ? 1 : 0);
    while (k < end) {
      const ch = c.text[k] ?? '';
      if (/[A-Za-z]/.test(ch)) {
        let j = k;
        while (j < end && /[A-Za-z]/.test(c.text[j] ?? '')) j++;
        const w = c.text.slice(k, j);
        if (j - k > 1 && /[aeiouy]/i.test(w) && j - k <= MAX_WORD) this.emitAt(c, k, j, w.toLowerCase());
        else this.spell(c, k, j);
        k = j;
      } else if (ch >= '0' && ch <= '9') {
        let j = k;
        while (j < end && /[0-9]/.test(c.text[j] ?? '')) j++;
        const d = c.text.slice(k, j);
        this.emitAt(c, k, j, d.length <= 4 && d[0] !== '0' ? cardinal(d) : digitByDigit(d));
        k = j;
      } else {
        const w = sym[ch];
        if (w) this.emitAt(c, k, k + 1, w);
        k++;
      }
    }
    return 1;
  }

  private tagOrMention(c: Token): number {
    const m = /^([#@])([\p{L}_][\p{L}\p{N}_]*|\d+)$/u.exec(c.core);
    if (!m) return 0;
    const rest = m[2] ?? '';
    if (m[1] === '#' && /^\d+$/.test(rest)) {
      this.emitAt(c, c.coreStart, c.coreStart + 1, 'number');
      this.emitAt(c, c.coreStart + 1, c.coreEnd, cardinal(rest, this.style));
      return 1;
    }
    if (/^\d/.test(rest)) return 0;
    this.emitAt(c, c.coreStart, c.coreStart + 1, m[1] === '#' ? 'hashtag' : 'at');
    this.pieces(c, c.coreStart + 1, c.coreEnd);
    return 1;
  }

  private money(i: number): number {
    const c = this.tokens[i]!;
    let m = /^([-+]?)(US\$|A\$|C\$|[$£€¥₹₩₽])([-+]?)((?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?)(k|K|m|M|mn|bn|b|B|tn)?$/.exec(c.core);
    let sym: string;
    let sign: string;
    let numStr: string;
    let scale: string | undefined;
    if (m) {
      sign = m[1] || m[3] || '';
      sym = m[2] ?? '$';
      numStr = m[4] ?? '';
      scale = m[5] ? SCALE_WORDS.get(m[5]) : undefined;
    } else {
      m = /^([-+]?)((?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?)([$£€¥₹₩₽])$/.exec(c.core);
      if (!m) return 0;
      sign = m[1] ?? '';
      numStr = m[2] ?? '';
      sym = m[3] ?? '$';
    }
    const n = parseNum(numStr);
    const cur: Currency | undefined = CURRENCIES.get(sym);
    if (!n || !cur) return 0;
    let used = 1;
    let scaleToken: Token | undefined;
    if (!scale) {
      const nx = this.next(i);
      const sw = nx ? /^(?:thousand|million|billion|trillion|bn|mn)$/.exec(nx.core) : null;
      if (nx && sw) {
        scale = SCALE_WORDS.get(sw[0]);
        scaleToken = nx;
        used = 2;
      }
    }
    const signWord = sign === '-' ? 'minus ' : sign === '+' ? 'plus ' : '';
    if (scale) {
      this.emitCore(c, signWord + (n.frac !== undefined ? decimal(n.int, n.frac, this.style) : cardinal(n.int, this.style)));
      if (scaleToken) this.emitCore(scaleToken, scale);
      else this.emitCore(c, scale);
      this.emitCore(c, cur.many);
      return used;
    }
    const intNonZero = n.int.replace(/^0+/, '') !== '';
    if (n.frac !== undefined && n.frac.length <= 2 && cur.minorOne && cur.minorMany) {
      const minor = Number(n.frac.padEnd(2, '0'));
      const parts: string[] = [];
      if (intNonZero) parts.push(cardinal(n.int, this.style), n.int.replace(/^0+/, '') === '1' ? cur.one : cur.many);
      if (minor) {
        if (intNonZero) parts.push('and');
        parts.push(cardinal(String(minor)), minor === 1 ? cur.minorOne : cur.minorMany);
      }
      if (!parts.length) parts.push('zero', cur.many);
      this.emitCore(c, signWord + parts.join(' '));
      return 1;
    }
    const body = n.frac !== undefined ? decimal(n.int, n.frac, this.style) : cardinal(n.int, this.style);
    const one = n.frac === undefined && n.int.replace(/^0+/, '') === '1';
    this.emitCore(c, `${signWord}${body} ${one ? cur.one : cur.many}`);
    return 1;
  }

  private ampmWords(letter: string): string {
    return `${letter.toUpperCase()} M`;
  }

  private clock(h: number, min: string, sec: string | undefined, ampm: boolean): string {
    const hw = cardinal(String(h));
    const mm = Number(min);
    let w: string;
    if (mm === 0) w = ampm ? hw : h > 0 && h <= 12 ? `${hw} o'clock` : `${hw} hundred`;
    else if (mm < 10) w = `${hw} oh ${DIGIT_WORDS[mm]}`;
    else w = `${hw} ${cardinal(min)}`;
    if (sec !== undefined) {
      const s = Number(sec);
      w += ` and ${cardinal(String(s))} ${s === 1 ? 'second' : 'seconds'}`;
    }
    return w;
  }

  private time(i: number): number {
    const c = this.tokens[i]!;
    let m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:([aApP])\.?[mM]\.?)?$/.exec(c.core);
    if (m) {
      const h = Number(m[1]);
      const min = m[2] ?? '00';
      const sec = m[3];
      if (h > 24 || Number(min) > 59 || (sec !== undefined && Number(sec) > 59)) return 0;
      let ap = m[4];
      let amPmToken: Token | undefined;
      if (!ap) {
        const nx = this.next(i);
        const am = nx ? RE_AMPM.exec(nx.core) : null;
        if (nx && am && h <= 12) {
          ap = am[1];
          amPmToken = nx;
        }
      }
      const apIdx = ap && !amPmToken ? c.core.search(/[aApP]/) : -1;
      if (apIdx >= 0) {
        this.emitAt(c, c.coreStart, c.coreStart + apIdx, this.clock(h, min, sec, true));
        this.emitAt(c, c.coreStart + apIdx, c.coreEnd, this.ampmWords(ap ?? 'a'), true);
      } else {
        this.emitCore(c, this.clock(h, min, sec, ap !== undefined));
        if (amPmToken) this.emitCore(amPmToken, this.ampmWords(ap ?? 'a'), true);
      }
      return amPmToken ? 2 : 1;
    }
    m = /^(\d{1,2})(?::(\d{2}))?([aApP])\.?[mM]\.?$/.exec(c.core);
    if (m) {
      const h = Number(m[1]);
      if (h < 1 || h > 12 || (m[2] !== undefined && Number(m[2]) > 59)) return 0;
      const apIdx = c.core.search(/[aApP]/);
      this.emitAt(c, c.coreStart, c.coreStart + apIdx, this.clock(h, m[2] ?? '00', undefined, true));
      this.emitAt(c, c.coreStart + apIdx, c.coreEnd, this.ampmWords(m[3] ?? 'a'), true);
      return 1;
    }
    return 0;
  }

  private dateWords(y: string, mo: number, d: number): { head: string; year: string } | null {
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
    const month = MONTHS[mo - 1] ?? '';
    const dw = ordinal(String(d));
    const head = this.gb ? `the ${dw} of ${month}` : `${month} ${dw}`;
    const yw = y.length === 4 ? year(y) : Number(y) < 10 ? `oh ${DIGIT_WORDS[Number(y)]}` : cardinal(y);
    return { head, year: yw };
  }

  private date(c: Token): number {
    let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(c.core);
    let r: { head: string; year: string } | null = null;
    if (m) r = this.dateWords(m[1] ?? '', Number(m[2]), Number(m[3]));
    else {
      m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/.exec(c.core);
      if (!m) return 0;
      let a = Number(m[1]);
      let b = Number(m[3]);
      // Dotted dates are day.month.year everywhere; slashes follow the locale.
      const dayFirst = m[2] === '.' || this.gb;
      let mo = dayFirst ? b : a;
      let d = dayFirst ? a : b;
      if (mo > 12 && d <= 12) [mo, d] = [d, mo];
      [a, b] = [mo, d];
      r = this.dateWords(m[4] ?? '', a, b);
    }
    if (!r) return 0;
    this.emitCore(c, r.head);
    this.setPunct(',');
    this.emitCore(c, r.year);
    return 1;
  }

  private phone(c: Token): number {
    // Phone numbers, and codes of three or more hyphenated digit groups (ISBNs).
    const m = /^(\+?\d{1,3}[-.])?(\(?\d{3}\)?[-.]?)?(\d{3})[-.](\d{4})$/.exec(c.core);
    const groups = /^\d+(?:-\d+){2,}$/.test(c.core);
    // A bare "555-1234" is a phone number only if it could be one (exchanges start 2-9): "100-1000" is a range.
    if (!groups && (!m || (!m[1] && !m[2] && !/^[2-9]\d{2}-\d{4}$/.test(c.core)))) return 0;
    // Digit groups, separated by short pauses.
    let k = c.coreStart;
    while (k < c.coreEnd) {
      while (k < c.coreEnd && !/\d/.test(c.text[k] ?? '')) k++;
      let j = k;
      while (j < c.coreEnd && /\d/.test(c.text[j] ?? '')) j++;
      if (j > k) {
        if (this.out.length && k > c.coreStart) this.setPunct(',');
        this.emitAt(c, k, j, digitByDigit(c.text.slice(k, j)));
      }
      k = j;
    }
    return 1;
  }

  private decade(c: Token): number {
    const m = /^'?(\d{2})?(\d)0'?s$/.exec(c.core);
    if (!m) return 0;
    if (m[1] !== undefined) {
      if (c.core.startsWith("'")) return 0;
      this.emitCore(c, pluralizeLast(year(`${m[1]}${m[2]}0`)));
    } else {
      const d = `${m[2]}0`;
      this.emitCore(c, d === '00' ? 'two thousands' : pluralizeLast(cardinal(d)));
    }
    return 1;
  }

  /** "the first of" before a month name: "1 May", "1st May". */
  private dayBeforeMonth(i: number, n: string): boolean {
    const c = this.tokens[i]!;
    const nx = this.next(i);
    const v = Number(n);
    if (!nx || v < 1 || v > 31 || !MONTHS.includes(nx.core.replace(/'s$/, ''))) return false;
    const p = this.prev(i);
    const the = p && /^the$/i.test(p.core) ? '' : 'the ';
    this.emitCore(c, `${the}${ordinal(n)} of`);
    return true;
  }

  private ordinalRule(i: number): number {
    const c = this.tokens[i]!;
    const m = /^(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th|ST|ND|RD|TH)$/.exec(c.core);
    if (!m) return 0;
    const n = (m[1] ?? '').replace(/,/g, '');
    if (this.dayBeforeMonth(i, n)) return 1;
    this.emitCore(c, ordinal(n, this.style));
    return 1;
  }

  private percent(c: Token): number {
    if (!c.core.endsWith('%')) return 0;
    const n = parseNum(c.core.slice(0, -1));
    if (!n) return 0;
    this.emitCore(c, `${this.num(n, false)} percent`);
    return 1;
  }

  private numberRule(i: number): number {
    const c = this.tokens[i]!;
    const n = parseNum(c.core);
    if (!n) return 0;
    if (n.int.length > MAX_CARDINAL_DIGITS && n.frac === undefined && !n.sign) {
      this.pieces(c, c.coreStart, c.coreEnd);
      return 1;
    }
    const plainInt = n.frac === undefined && !n.sign && !n.commas;
    const nx = this.next(i);
    if (nx) {
      const unit = UNITS.get(nx.core);
      if (unit) {
        this.emitCore(c, this.num(n, false));
        this.emitCore(nx, this.unitName(unit, n));
        return 2;
      }
      if (plainInt) {
        const fr = /^(\d{1,2})\/(\d{1,2})$/.exec(nx.core);
        const vf = VULGAR_FRACTIONS.get(nx.core);
        if ((fr && Number(fr[1]) < Number(fr[2])) || vf) {
          const [a, b] = vf ?? [fr?.[1] ?? '1', fr?.[2] ?? '2'];
          this.emitCore(c, `${cardinal(n.int, this.style)} and`);
          this.emitCore(nx, fraction(a, b, this.style, true));
          return 2;
        }
        const am = RE_AMPM.exec(nx.core);
        const h = Number(n.int);
        if (am && h >= 1 && h <= 12) {
          this.emitCore(c, cardinal(n.int));
          this.emitCore(nx, this.ampmWords(am[1] ?? 'a'), true);
          return 2;
        }
        if (n.int.length <= 2 && this.dayBeforeMonth(i, n.int)) return 1;
      }
    }
    // 1000-1099 are years only after a word that introduces one ("in 1066"), else counts ("1001 nights").
    const p = this.prev(i);
    if (plainInt && n.int.length === 4 && n.int < '1100' && n.int >= '1000' && p && RE_YEAR_INTRO.test(p.core)) {
      this.emitCore(c, year(n.int));
      return 1;
    }
    this.emitCore(c, this.num(n, true));
    return 1;
  }

  private numberWithUnit(c: Token): number {
    const m = /^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?)([^\d.,].*)$/.exec(c.core);
    if (!m || !/\d/.test(m[1] ?? '')) return 0;
    const n = parseNum(m[1] ?? '');
    const suffix = m[2] ?? '';
    const unit = UNITS.get(suffix) ?? ATTACHED_UNITS.get(suffix);
    if (!n || !unit) return 0;
    const split = c.coreStart + (m[1] ?? '').length;
    this.emitAt(c, c.coreStart, split, this.num(n, false));
    this.emitAt(c, split, c.coreEnd, this.unitName(unit, n));
    return 1;
  }

  private atom(c: Token, a: number, b: number, inherit?: string): string | null {
    let s = c.text.slice(a, b);
    let cur = inherit;
    const m = /^([$£€¥₹])/.exec(s);
    if (m) {
      cur = m[1];
      s = s.slice(1);
    }
    const pct = s.endsWith('%');
    if (pct) s = s.slice(0, -1);
    const n = parseNum(s);
    if (!n) return null;
    const yearOk = !pct && !cur;
    let w = this.num(n, yearOk);
    if (pct) w += ' percent';
    const cu = cur ? CURRENCIES.get(cur) : undefined;
    if (cu) w += ` ${n.frac === undefined && n.int === '1' ? cu.one : cu.many}`;
    return w;
  }

  private range(c: Token): number {
    const m = /^([-+]?[$£€¥₹]?[\d.,]+%?)([-\u2013\u2014])([$£€¥₹]?[\d.,]+%?)$/.exec(c.core);
    if (!m) return 0;
    const left = m[1] ?? '';
    const right = m[3] ?? '';
    if (!RE_NUMERIC_ATOM.test(left) || !RE_NUMERIC_ATOM.test(right)) return 0;
    const dash = c.coreStart + left.length;
    // "$10-20": the currency goes with the second amount; "10-20%": the percent too.
    const lcur = /^[-+]?([$£€¥₹])/.exec(left)?.[1];
    const rightHasCur = /^[$£€¥₹]/.test(right);
    const lw = lcur && !rightHasCur ? this.atom(c, c.coreStart + left.indexOf(lcur) + 1, dash) : this.atom(c, c.coreStart, dash);
    const rw = this.atom(c, dash + 1, c.coreEnd, lcur && !rightHasCur ? lcur : undefined);
    if (lw === null || rw === null) return 0;
    const signed = /^[-+]/.test(left) ? (left[0] === '-' ? 'minus ' : 'plus ') : '';
    this.emitAt(c, c.coreStart, dash, (lcur && !rightHasCur ? signed : '') + lw);
    this.emitAt(c, dash, dash + 1, 'to');
    this.emitAt(c, dash + 1, c.coreEnd, rw);
    return 1;
  }

  private fractionRule(i: number): number {
    const c = this.tokens[i]!;
    const m = /^(\d{1,3})\/(\d{1,3})$/.exec(c.core);
    if (m) {
      const a = m[1] ?? '';
      const b = m[2] ?? '';
      const den = Number(b);
      if (a === '24' && b === '7') this.emitCore(c, 'twenty-four seven');
      else if (Number(a) > 0 && ((den >= 2 && den <= 16) || den === 32 || den === 64 || den === 100)) {
        this.emitCore(c, fraction(a, b, this.style));
      } else this.emitCore(c, `${cardinal(a)} over ${cardinal(b)}`);
      return 1;
    }
    const v = /^(\d*)(.)$/u.exec(c.core);
    const vf = v ? VULGAR_FRACTIONS.get(v[2] ?? '') : undefined;
    if (!v || !vf) return 0;
    const int = v[1] ?? '';
    if (int) {
      this.emitAt(c, c.coreStart, c.coreStart + int.length, `${cardinal(int, this.style)} and`);
      this.emitAt(c, c.coreStart + int.length, c.coreEnd, fraction(vf[0], vf[1], this.style, true));
    } else this.emitCore(c, fraction(vf[0], vf[1], this.style));
    return 1;
  }

  private month(i: number): number {
    const c = this.tokens[i]!;
    const mo = monthNumber(c.core);
    if (!mo) return 0;
    const abbr = !MONTHS.includes(c.core);
    if (abbr && c.trail !== '' && c.trail !== '.') return 0;
    const nx = this.next(i, abbr);
    const dm = nx ? RE_DAY.exec(nx.core) : null;
    if (!nx || !dm || Number(dm[1]) < 1 || Number(dm[1]) > 31) {
      if (abbr && c.trail === '.') {
        this.emitCore(c, MONTHS[mo - 1] ?? '');
        return 1;
      }
      return 0;
    }
    this.emitCore(c, MONTHS[mo - 1] ?? '');
    this.emitCore(nx, ordinal(dm[1] ?? '1'));
    return 2;
  }

  private symbolRule(i: number): number {
    const c = this.tokens[i]!;
    const w = STANDALONE_SYMBOL_WORDS.get(c.core) ?? SYMBOL_WORDS.get(c.core);
    if (!w) return 0;
    if (c.core === '~' || c.core === '/') {
      const nx = this.next(i);
      if (!nx || !/^\d/.test(nx.core)) return 1;
    }
    this.emitCore(c, c.core === '#' && this.next(i) && /^\d/.test(this.next(i)?.core ?? '') ? 'number' : w);
    return 1;
  }

  /** A token of letters (with apostrophes, and dots for abbreviations like "e.g"). */
  private wordRule(i: number): number {
    const c = this.tokens[i]!;
    const core = c.core;
    if (!/^[\p{L}\p{M}'./]+$/u.test(core) || core.length > MAX_WORD) return 0;
    const hasDot = c.trail.startsWith('.');
    const lower = core.toLowerCase();
    const upperStart = RE_UPPER_START.test(core);
    const nx = this.tokens[i + 1] && !this.ends.has(c.end) ? this.tokens[i + 1] : undefined;
    const nextCap = !!nx && RE_UPPER_START.test(nx.core);
    const nextDigit = !!nx && /^[\d#]/.test(nx.core);
    const p = this.prev(i);

    // Context-dependent: Dr. (Doctor / Drive), St. (Saint / Street).
    if ((lower === 'dr' || lower === 'st') && upperStart) {
      const end = this.ends.has(c.end);
      const prevCap = !!p && RE_UPPER_START.test(p.core);
      if (lower === 'dr') {
        if (nextCap && !end) this.emitCore(c, 'Doctor');
        else if (prevCap) this.emitCore(c, 'Drive');
        else this.emitCore(c, 'Doctor');
      } else {
        if (nextCap && !end && !(prevCap && !hasDot && !nextCap)) this.emitCore(c, 'Saint');
        else if (p && (prevCap || /\d/.test(p.core))) this.emitCore(c, 'Street');
        else this.emitCore(c, nextCap ? 'Saint' : 'Street');
      }
      return 1;
    }
    const ab = ABBREVIATIONS.get(lower);
    if (ab && (ab.dot === 'optional' || hasDot || lower.includes('.')) && (!ab.cap || upperStart)) {
      if ((!ab.beforeNumber || nextDigit) && (!ab.beforeName || nextCap)) {
        this.emitCore(c, upperStart ? capFirst(ab.exp) : ab.exp);
        return 1;
      }
    }
    if (lower === 'ok') {
      this.emitCore(c, upperStart ? 'Okay' : 'okay');
      return 1;
    }
    // Dotted initialisms: U.S, e.g-like letters, a.m.
    if (/^(?:\p{L}\.)+\p{L}$/u.test(core)) {
      this.spell(c, c.coreStart, c.coreEnd);
      return 1;
    }
    if (core.includes('.') || core.includes('/')) return 0;
    // Possessive or plural suffix on an acronym or numeral: "FBI's", "VIII's", "CDs".
    let base = core;
    let suffix = '';
    const sm = /^(.*\p{Lu})('s|s)$/u.exec(core);
    if (sm && RE_ALL_CAPS.test(sm[1] ?? '')) {
      base = sm[1] ?? core;
      suffix = sm[2] === 's' ? "'s" : "'s";
    }
    const baseEnd = c.coreStart + base.length;
    const addSuffix = (): void => {
      const w = this.out[this.out.length - 1];
      if (suffix && w) {
        w.text += suffix;
        w.end = c.sourceOffsets[c.coreEnd] ?? w.end;
      }
    };
    // Roman numerals in context.
    if (/^[IVXLCDM]+$/.test(base) && p) {
      const v = romanValue(base);
      const pw = p.core.replace(/\.$/, '');
      if (v > 0) {
        if (REGNAL_NAMES.has(pw) && v <= 39) {
          this.emitAt(c, c.coreStart, baseEnd, `the ${ordinal(String(v))}`);
          addSuffix();
          return 1;
        }
        if (ROMAN_CARDINAL_CONTEXT.has(pw.toLowerCase()) && v <= 89 && !/^[LCDM]$/.test(base)) {
          this.emitAt(c, c.coreStart, baseEnd, cardinal(String(v)));
          addSuffix();
          return 1;
        }
      }
    }
    if (base.length === 1) {
      if (base === 'I' || base === 'a' || base === 'A' || base === 'i' || base === 'O' || base === 'o') {
        this.emitAt(c, c.coreStart, baseEnd, base === 'i' ? 'I' : base);
      } else this.emitAt(c, c.coreStart, baseEnd, base.toUpperCase(), true);
      addSuffix();
      return 1;
    }
    if (RE_ALL_CAPS.test(base)) {
      if (WORD_ACRONYMS.has(base)) this.emitAt(c, c.coreStart, baseEnd, capFirst(base.toLowerCase()));
      else if (SPELLED_ACRONYMS.has(base) || (!VOWELS.test(base) && base.length <= 6)) this.spell(c, c.coreStart, baseEnd);
      else if (base.length === 2 && !SHOUTED_WORDS.has(base)) this.spell(c, c.coreStart, baseEnd);
      else this.emitAt(c, c.coreStart, baseEnd, base.toLowerCase());
      addSuffix();
      return 1;
    }
    if (!RE_LETTERS.test(core)) return 0;
    this.emitCore(c, core);
    return 1;
  }

  private hyphenated(c: Token): number {
    if (!/^[\p{L}\p{M}']+(?:-[\p{L}\p{M}']+)+$/u.test(c.core)) return 0;
    const parts = c.core.split('-');
    if (parts.some((x) => x.length === 1)) {
      this.emitCore(c, c.core);
      return 1;
    }
    this.pieces(c, c.coreStart, c.coreEnd);
    return 1;
  }

  /** Generic reading of core characters [a, b): letter runs, digit runs, symbols. Linear. */
  private pieces(c: Token, a: number, b: number): void {
    const s = c.text;
    let k = a;
    while (k < b) {
      const code = s.charCodeAt(k);
      const cp = s.codePointAt(k) ?? code;
      const ch = String.fromCodePoint(cp);
      const len = cp > 0xffff ? 2 : 1;
      if (RE_LETTER.test(ch)) {
        let j = k + len;
        while (j < b) {
          const cj = s.codePointAt(j) ?? 0;
          const chj = String.fromCodePoint(cj);
          if (RE_LETTER.test(chj)) j += cj > 0xffff ? 2 : 1;
          else if (chj === "'" && j + 1 < b && RE_LETTER.test(s[j + 1] ?? '')) j++;
          else break;
        }
        this.letters(c, k, j);
        k = j;
      } else if (code >= 48 && code <= 57) {
        let j = k + 1;
        while (j < b) {
          const cj = s.charCodeAt(j);
          if (cj >= 48 && cj <= 57) j++;
          else if ((cj === 44 || cj === 46) && j + 1 < b && s.charCodeAt(j + 1) >= 48 && s.charCodeAt(j + 1) <= 57) j++;
          else break;
        }
        this.digits(c, k, j);
        k = j;
      } else {
        const vf = VULGAR_FRACTIONS.get(ch);
        const sw = SYMBOL_WORDS.get(ch);
        if (vf) this.emitAt(c, k, k + len, fraction(vf[0], vf[1], this.style));
        else if (ch === '#' && /\d/.test(s[k + 1] ?? '')) this.emitAt(c, k, k + 1, 'number');
        else if (sw && !RE_EMOJI.test(ch.replace(/[©®™]/, ''))) this.emitAt(c, k, k + len, sw);
        else if (/[,;:!?\u2014\u2013\u2026]/.test(ch) && k > a) {
          const p: Punct = ch === '?' ? '?' : ch === '!' ? '!' : ch === ';' ? ';' : ch === ':' ? ':' : ',';
          this.setPunct(p);
        }
        // Everything else (emoji, quotes, brackets, other marks) is silent.
        k += len;
      }
    }
  }

  private letters(c: Token, a: number, b: number): void {
    for (let k = a; k < b; ) {
      let e = Math.min(b, k + MAX_WORD);
      const ce = c.text.charCodeAt(e);
      if (e < b && ce >= 0xdc00 && ce <= 0xdfff) e--;
      const w = c.text.slice(k, e);
      if (w.length === 1 && !/^[aAiIoO]$/.test(w)) this.emitAt(c, k, e, w.toUpperCase(), true);
      else if (RE_ALL_CAPS.test(w) && w.length <= 6 && !WORD_ACRONYMS.has(w) && (SPELLED_ACRONYMS.has(w) || !VOWELS.test(w) || (w.length === 2 && !SHOUTED_WORDS.has(w)))) this.spell(c, k, e);
      else if (WORD_ACRONYMS.has(w)) this.emitAt(c, k, e, capFirst(w.toLowerCase()));
      else if (RE_ALL_CAPS.test(w)) this.emitAt(c, k, e, w.toLowerCase());
      else this.emitAt(c, k, e, w);
      k = e;
    }
  }

  private digits(c: Token, a: number, b: number): void {
    const str = c.text.slice(a, b);
    const n = str.length <= MAX_PATTERN_TOKEN ? parseNum(str) : null;
    if (n && n.int.length <= MAX_CARDINAL_DIGITS) {
      this.emitAt(c, a, b, this.num(n, true));
      return;
    }
    // Long digit strings: one word per digit, each with its own span; separators are silent.
    for (let k = a; k < b; k++) {
      const d = c.text.charCodeAt(k) - 48;
      if (d >= 0 && d <= 9) this.emitAt(c, k, k + 1, DIGIT_WORDS[d] ?? '');
      else if (c.text[k] === '.') this.emitAt(c, k, k + 1, 'point');
    }
  }
}

/** Normalises text into speakable words, each with the source span it came from. Never throws. */
export function normalizeText(text: string, options: NormalizeOptions = {}): NormalizeResult {
  if (typeof text !== 'string' || text.length === 0) return { words: [] };
  const from = Math.max(0, Math.min(text.length, options.range?.start ?? 0));
  const to = Math.max(from, Math.min(text.length, options.range?.end ?? text.length));
  const n = new Normalizer(text, options);
  try {
    n.run(from, to);
  } catch {
    // Defensive: return what was produced so far rather than fail the whole read.
  }
  return { words: n.out };
}

/** The spoken text: words separated by spaces, sentence punctuation kept. */
export function wordsToString(words: readonly NormalizedWord[]): string {
  let s = '';
  for (const w of words) {
    if (s) s += ' ';
    s += w.text;
    if (w.punct) s += w.punct;
  }
  return s;
}

export function normalizeToString(text: string, options: NormalizeOptions = {}): string {
  return wordsToString(normalizeText(text, options).words);
}
