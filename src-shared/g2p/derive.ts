import { suffixEd, suffixIng, suffixS } from './misaki-lexicon';
import { PRIMARY_STRESS, VOWELS } from './symbols';

/** A dictionary lookup that returns misaki symbols for a whole word, or undefined. */
export type WordLookup = (word: string) => string | undefined;

// Sounds after which a t before an unstressed vowel is flapped (American), as in misaki.
const FLAP_BEFORE = new Set([...'AIOWYiuæɑəɛɪɹʊʌ']);

const hasVowel = (ps: string): boolean => [...ps].some((c) => VOWELS.has(c));

/** Appends an unstressed suffix, flapping a final t after a vowel ("writer"). */
function attach(stem: string, suffix: string): string {
  const cs = [...stem];
  const first = [...suffix][0] ?? '';
  if (cs.at(-1) === 't' && FLAP_BEFORE.has(cs.at(-2) ?? '') && VOWELS.has(first)) {
    return cs.slice(0, -1).join('') + 'ɾ' + suffix;
  }
  return stem + suffix;
}

interface Suffix {
  spelling: string;
  /** Pronunciation appended to the stem's. */
  sound: string;
  /** Other spellings of the stem: "happi" -> "happy", "stor" -> "store". */
  stems?: (stem: string) => string[];
}

const yStem = (s: string): string[] => (s.endsWith('i') ? [s.slice(0, -1) + 'y'] : []);
const eStem = (s: string): string[] => [s + 'e'];
const doubled = (s: string): string[] => (/([bdgklmnprtz])\1$/.test(s) ? [s.slice(0, -1)] : []);

// Suffixes that do not move the stress of the stem; the sounds are misaki's usual ones.
const SUFFIXES: readonly Suffix[] = [
  { spelling: 'ness', sound: 'nəs', stems: yStem },
  { spelling: 'less', sound: 'ləs', stems: yStem },
  { spelling: 'ment', sound: 'mənt' },
  { spelling: 'ments', sound: 'mənts' },
  { spelling: 'fully', sound: 'fəli', stems: yStem },
  { spelling: 'ful', sound: 'fəl', stems: yStem },
  { spelling: 'ship', sound: 'ʃˌɪp' },
  { spelling: 'hood', sound: 'hˌʊd' },
  { spelling: 'like', sound: 'lˌIk' },
  { spelling: 'wise', sound: 'wˌIz' },
  { spelling: 'dom', sound: 'dəm' },
  { spelling: 'ism', sound: 'ˌɪzəm', stems: eStem },
  { spelling: 'ist', sound: 'ɪst', stems: (s) => [...eStem(s), ...yStem(s)] },
  { spelling: 'ists', sound: 'ɪsts', stems: (s) => [...eStem(s), ...yStem(s)] },
  { spelling: 'ish', sound: 'ɪʃ', stems: (s) => [...eStem(s), ...doubled(s)] },
  { spelling: 'able', sound: 'əbᵊl', stems: (s) => [...eStem(s), ...doubled(s), ...yStem(s)] },
  { spelling: 'er', sound: 'əɹ', stems: (s) => [...eStem(s), ...doubled(s), ...yStem(s)] },
  { spelling: 'ers', sound: 'əɹz', stems: (s) => [...eStem(s), ...doubled(s), ...yStem(s)] },
  { spelling: 'est', sound: 'ᵻst', stems: (s) => [...eStem(s), ...doubled(s), ...yStem(s)] },
  { spelling: 'ically', sound: 'əkᵊli', stems: (s) => [s + 'ic', s + 'ical'] },
  { spelling: 'ly', sound: 'li', stems: (s) => [s + 'le', ...yStem(s)] },
  { spelling: 'y', sound: 'i', stems: (s) => [...eStem(s), ...doubled(s)] },
];

const PREFIXES: readonly (readonly [spelling: string, sound: string])[] = [
  ['un', 'ˌʌn'],
  ['non', 'nˌɑn'],
  ['over', 'ˌOvəɹ'],
  ['under', 'ˌʌndəɹ'],
  ['out', 'ˌWt'],
  ['mis', 'mˌɪs'],
  ['dis', 'dˌɪs'],
  ['re', 'ɹˌi'],
  ['pre', 'pɹˌi'],
  ['anti', 'ˌænti'],
  ['super', 'sˌupəɹ'],
  ['sub', 'sˌʌb'],
  ['self-', 'sˌɛlf'],
  ['multi', 'mˌʌlti'],
  ['co', 'kˌO'],
  ['inter', 'ˌɪntəɹ'],
];

/** -ly: "ably" (able), "carnally" (carnal), "happily" (happy), "ashamedly". */
function attachLy(word: string, stem: string): string {
  if (/[^l]ly$/.test(word) && stem.endsWith('ᵊl')) return stem.slice(0, -2) + 'li';
  if (/l$/.test(stem) && word.endsWith('lly')) return stem + 'i';
  if (word.endsWith('ily') && stem.endsWith('i')) return stem.slice(0, -1) + 'əli';
  if (word.endsWith('edly') && /[^ᵻəɪ][dt]$/.test(stem)) return stem.slice(0, -1) + 'ədli';
  return stem + 'li';
}

/**
 * Pronounces a word the dictionary lacks from one it has: inflections (-s, -ed, -ing as
 * misaki forms them), stress-neutral suffixes (-ness, -ly, -er...) and common prefixes (un-,
 * re-, over-...). Two-word compounds were tried and left out: against misaki's lexicon they
 * did no better than eSpeak (CMUdict's many short abbreviations make false splits).
 */
export function deriveFromDictionary(word: string, lookup: WordLookup): string | undefined {
  return deriveDetailed(word, lookup)?.phonemes;
}

export type DerivationKind = 'inflection' | 'suffix' | 'prefix';

export function deriveDetailed(word: string, lookup: WordLookup): { phonemes: string; kind: DerivationKind } | undefined {
  const w = word.toLowerCase();
  const steps: [DerivationKind, (w: string, l: WordLookup) => string | undefined][] = [
    ['inflection', inflect],
    ['suffix', suffixed],
    ['prefix', prefixed],
  ];
  for (const [kind, fn] of steps) {
    const phonemes = fn(w, lookup);
    if (phonemes !== undefined) return { phonemes, kind };
  }
  return undefined;
}

function firstKnown(cands: readonly string[], lookup: WordLookup): string | undefined {
  for (const c of cands) {
    if (c.length < 3) continue;
    const ps = lookup(c);
    if (ps !== undefined) return ps;
  }
  return undefined;
}

function inflect(w: string, lookup: WordLookup): string | undefined {
  if (w.endsWith("'s")) {
    const ps = firstKnown([w.slice(0, -2)], lookup);
    if (ps !== undefined) return suffixS(ps);
  }
  if (w.endsWith('s') && !w.endsWith('ss')) {
    const base = w.slice(0, -1);
    const ps =
      firstKnown([base], lookup) ??
      (w.endsWith('es') ? firstKnown([w.slice(0, -2)], lookup) : undefined) ??
      (w.endsWith('ies') ? firstKnown([w.slice(0, -3) + 'y'], lookup) : undefined);
    if (ps !== undefined) return suffixS(ps);
  }
  if (w.endsWith('ed')) {
    const s = w.slice(0, -2);
    const ps = firstKnown([w.slice(0, -1), s, ...doubled(s), ...(s.endsWith('i') ? [s.slice(0, -1) + 'y'] : [])], lookup);
    if (ps !== undefined) return suffixEd(ps);
  }
  if (w.endsWith('ing')) {
    const s = w.slice(0, -3);
    const ps = firstKnown([s, s + 'e', ...doubled(s)], lookup);
    if (ps !== undefined) return suffixIng(ps);
  }
  return undefined;
}

function suffixed(w: string, lookup: WordLookup): string | undefined {
  for (const sfx of SUFFIXES) {
    if (!w.endsWith(sfx.spelling)) continue;
    const s = w.slice(0, -sfx.spelling.length);
    const stemPs = firstKnown([s, ...(sfx.stems?.(s) ?? [])], lookup) ?? (s.length >= 4 ? inflect(s, lookup) : undefined);
    if (stemPs === undefined || !hasVowel(stemPs)) continue;
    if (sfx.spelling === 'ly') return attachLy(w, stemPs);
    if (sfx.spelling === 'ically') return stemPs.replace(/(ɪk|əkᵊl|ɪkᵊl|əkəl)$/, '') + sfx.sound;
    if (stemPs.endsWith('i') && /^[nlf]/.test(sfx.sound) && s.endsWith('i')) return stemPs + sfx.sound; // happiness
    return attach(stemPs, sfx.sound);
  }
  return undefined;
}

function prefixed(w: string, lookup: WordLookup): string | undefined {
  for (const [spelling, sound] of PREFIXES) {
    if (!w.startsWith(spelling) || w.length - spelling.length < 4) continue;
    const rest = w.slice(spelling.length).replace(/^-/, '');
    const ps = lookup(rest) ?? inflect(rest, lookup) ?? suffixed(rest, lookup);
    if (ps !== undefined && ps.includes(PRIMARY_STRESS)) return sound + ps;
  }
  return undefined;
}
