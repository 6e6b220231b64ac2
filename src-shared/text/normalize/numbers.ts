// Number reading: cardinals, ordinals, years, decimals, fractions. All functions take
// digit strings (not JS numbers) so any length works; beyond MAX_CARDINAL_DIGITS digits
// are read one by one, which keeps a 100,000-digit number linear.

const ONES = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = [
  '', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion', 'sextillion',
  'septillion', 'octillion', 'nonillion', 'decillion',
];
/** Longer integers are read digit by digit (nobody says "one thousand decillion"). */
export const MAX_CARDINAL_DIGITS = SCALES.length * 3;

export const DIGIT_WORDS = ONES.slice(0, 10);

export interface NumberStyle {
  /** British "one hundred and five". */
  british?: boolean;
}

function below100(n: number): string {
  if (n < 20) return ONES[n] ?? '';
  const t = TENS[Math.floor(n / 10)] ?? '';
  const o = n % 10;
  return o ? `${t}-${ONES[o]}` : t;
}

function below1000(n: number, british: boolean): string {
  const h = Math.floor(n / 100);
  const r = n % 100;
  const parts: string[] = [];
  if (h) parts.push(`${ONES[h]} hundred`);
  if (r) {
    if (h && british) parts.push('and');
    parts.push(below100(r));
  }
  return parts.join(' ');
}

/** "0 4 2" -> "zero four two". Non-digits are ignored. */
export function digitByDigit(digits: string): string {
  const out: string[] = [];
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(i) - 48;
    if (d >= 0 && d <= 9) out.push(ONES[d] ?? '');
  }
  return out.join(' ');
}

function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return digits.slice(i);
}

/** Cardinal reading of a string of ASCII digits. */
export function cardinal(digits: string, style: NumberStyle = {}): string {
  const d = stripZeros(digits);
  if (d === '' || !/^\d+$/.test(d)) return digitByDigit(digits);
  if (d === '0') return 'zero';
  if (d.length > MAX_CARDINAL_DIGITS) return digitByDigit(d);
  const british = style.british === true;
  const parts: string[] = [];
  const groups = Math.ceil(d.length / 3);
  for (let g = groups - 1; g >= 0; g--) {
    const endIdx = d.length - g * 3;
    const v = Number(d.slice(Math.max(0, endIdx - 3), endIdx));
    if (!v) continue;
    if (g === 0 && british && parts.length > 0 && v < 100) parts.push('and');
    const w = below1000(v, british);
    parts.push(g > 0 ? `${w} ${SCALES[g]}` : w);
  }
  return parts.join(' ');
}

const IRREGULAR_ORDINALS: Record<string, string> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

function ordinalOfWord(w: string): string {
  const irr = IRREGULAR_ORDINALS[w];
  if (irr) return irr;
  if (w.endsWith('y')) return `${w.slice(0, -1)}ieth`;
  return `${w}th`;
}

/** "twenty-one" -> "twenty-first", "one hundred" -> "one hundredth". */
export function ordinalize(words: string): string {
  const i = Math.max(words.lastIndexOf(' '), words.lastIndexOf('-'));
  return words.slice(0, i + 1) + ordinalOfWord(words.slice(i + 1));
}

export function ordinal(digits: string, style: NumberStyle = {}): string {
  const d = stripZeros(digits);
  if (d.length > MAX_CARDINAL_DIGITS) return ordinalize(digitByDigit(d));
  return ordinalize(cardinal(d, style));
}

/** Year reading: 1984 nineteen eighty-four, 1905 nineteen oh five, 1900 nineteen hundred, 2005 two thousand five, 2024 twenty twenty-four. */
export function year(digits: string, style: NumberStyle = {}): string {
  const d = stripZeros(digits);
  const n = Number(d);
  if (d.length !== 4 || !Number.isFinite(n)) return cardinal(d, style);
  if (n % 1000 === 0 || (n >= 2000 && n < 2010)) return cardinal(d, style);
  const hi = Math.floor(n / 100);
  const lo = n % 100;
  if (lo === 0) return `${below100(hi)} hundred`;
  if (lo < 10) return `${below100(hi)} oh ${ONES[lo]}`;
  return `${below100(hi)} ${below100(lo)}`;
}

/** Plural of the last word: "ninety" -> "nineties", "six" -> "sixes", "hundred" -> "hundreds". */
export function pluralizeLast(words: string): string {
  const i = Math.max(words.lastIndexOf(' '), words.lastIndexOf('-'));
  const head = words.slice(0, i + 1);
  const w = words.slice(i + 1);
  if (w.endsWith('y')) return `${head}${w.slice(0, -1)}ies`;
  if (w.endsWith('x')) return `${head}${w}es`;
  return `${head}${w}s`;
}

/** Decimal: int part (may be empty) and fraction digits. "3", "14" -> "three point one four". */
export function decimal(intDigits: string, fracDigits: string, style: NumberStyle = {}): string {
  if (fracDigits === '') return cardinal(intDigits || '0', style);
  // ".5" is "point five"; "0.5" keeps its "zero".
  const head = intDigits === '' ? '' : `${cardinal(intDigits, style)} `;
  return `${head}point ${digitByDigit(fracDigits)}`;
}

/** Fraction words: 1/2 "one half", 3/4 "three quarters", 2/3 "two thirds". `a` uses "a half". */
export function fraction(num: string, den: string, style: NumberStyle = {}, article = false): string {
  const n = stripZeros(num);
  const dd = stripZeros(den);
  const one = n === '1';
  let denWord: string;
  if (dd === '2') denWord = one ? 'half' : 'halves';
  else if (dd === '4') denWord = one ? 'quarter' : 'quarters';
  else {
    const o = ordinal(dd, style);
    denWord = one ? o : pluralizeLast(o);
  }
  return `${one && article ? 'a' : cardinal(n, style)} ${denWord}`;
}

/** Value of a valid Roman numeral in upper case, or 0. */
export function romanValue(s: string): number {
  if (s.length === 0 || s.length > 15) return 0;
  if (!/^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$/.test(s)) return 0;
  const v: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const a = v[s[i] ?? ''] ?? 0;
    const b = v[s[i + 1] ?? ''] ?? 0;
    total += a < b ? -a : a;
  }
  return total;
}

/** A number as written ("-1,234.5"): its sign, its digits without separators, and how it was grouped. */
export interface WrittenNumber {
  sign: string;
  /** Digits before the point, without commas; may be '' (".5"). */
  integerDigits: string;
  /** Digits after the point, or undefined when there is no point. */
  fractionDigits: string | undefined;
  /** Written with thousands separators ("1,000"). */
  grouped: boolean;
}

const RE_WRITTEN_NUMBER = /^([-+]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/;

/** Parses "-1,234.5", "007", ".5"; null for anything else. */
export function parseNumber(written: string): WrittenNumber | null {
  const m = RE_WRITTEN_NUMBER.exec(written);
  if (!m) return null;
  const integer = m[2] ?? '';
  const fractionDigits = m[3];
  if (integer === '' && fractionDigits === undefined) return null;
  return { sign: m[1] ?? '', integerDigits: integer.replace(/,/g, ''), fractionDigits, grouped: integer.includes(',') };
}

/** Reads a written number. `yearOk`: a bare four-digit 1100-2099 is read as a year. */
export function readNumber(parsed: WrittenNumber, style: NumberStyle, yearOk: boolean): string {
  const sign = parsed.sign === '-' ? 'minus ' : parsed.sign === '+' ? 'plus ' : '';
  let body: string;
  if (parsed.fractionDigits !== undefined) body = decimal(parsed.integerDigits, parsed.fractionDigits, style);
  else if (parsed.integerDigits.length > 1 && parsed.integerDigits[0] === '0' && !parsed.grouped) body = digitByDigit(parsed.integerDigits);
  else if (yearOk && !parsed.grouped && !sign && parsed.integerDigits.length === 4 && parsed.integerDigits >= '1100' && parsed.integerDigits <= '2099') body = year(parsed.integerDigits);
  else body = cardinal(parsed.integerDigits, style);
  return sign + body;
}
