import type { G2PLang } from './types';

/**
 * eSpeak NG IPA -> misaki symbols, after misaki's EspeakFallback. The npm `phonemizer` prints
 * diphthongs without tie bars, so the two-letter forms are matched. One longest-match-first
 * pass over a table that already holds the accent's rules, so British `eə` is not first
 * eaten by the general `e` -> A.
 */
const COMMON: Readonly<Record<string, string>> = {
  'ʔˌn\u0329': 'ʔn',
  'ʔn\u0329': 'ʔn',
  aɪ: 'I',
  aʊ: 'W',
  dʒ: 'ʤ',
  eɪ: 'A',
  e: 'A',
  tʃ: 'ʧ',
  ɔɪ: 'Y',
  əl: 'ᵊl',
  ʲo: 'jo',
  ʲə: 'jə',
  ʲ: '',
  // eSpeak writes ɚɹ before a vowel ("lacerating"); misaki's lexicons have one ɹ there.
  ɚɹ: 'əɹ',
  ɚ: 'əɹ',
  r: 'ɹ',
  x: 'k',
  ç: 'k',
  ɐ: 'ə',
  ɬ: 'l',
  '\u0303': '',
  // eSpeak's word-level marks misaki does not use.
  '-': '',
  '_': '',
};

const AMERICAN: Readonly<Record<string, string>> = {
  ...COMMON,
  oʊ: 'O',
  'ɜːɹ': 'ɜɹ',
  'ɜː': 'ɜɹ',
  ɪə: 'iə',
  'ː': '',
};

const BRITISH: Readonly<Record<string, string>> = {
  ...COMMON,
  eə: 'ɛː',
  iə: 'ɪə',
  əʊ: 'Q',
};

const SYLLABIC = '\u0329';

interface Table {
  map: ReadonlyMap<string, string>;
  maxLen: number;
}

function table(rules: Readonly<Record<string, string>>): Table {
  const map = new Map(Object.entries(rules));
  let maxLen = 1;
  for (const k of map.keys()) maxLen = Math.max(maxLen, [...k].length);
  return { map, maxLen };
}

const TABLES: Readonly<Record<G2PLang, Table>> = {
  'en-us': table(AMERICAN),
  'en-gb': table(BRITISH),
};

/**
 * Converts one word (or several, space-separated) of eSpeak IPA to misaki symbols. The v1.0
 * `ɾ`/`ʔ` step is not applied here (the pipeline applies it to every layer).
 */
export function espeakToMisaki(ipa: string, lang: G2PLang, word = ''): string {
  const { map, maxLen } = TABLES[lang];
  const cps = [...ipa.trim()];
  let out = '';
  let i = 0;
  while (i < cps.length) {
    let matched = false;
    for (let len = Math.min(maxLen, cps.length - i); len >= 1; len--) {
      const key = cps.slice(i, i + len).join('');
      const rep = map.get(key);
      if (rep !== undefined) {
        out += rep;
        i += len;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const ch = cps[i] ?? '';
    // A syllabic consonant (n̩, l̩, m̩) becomes schwa-glide + consonant.
    if (cps[i + 1] === SYLLABIC) {
      out += 'ᵊ' + ch;
      i += 2;
      continue;
    }
    if (ch !== SYLLABIC) out += ch;
    i++;
  }
  // eSpeak < 1.52 wrote a bare `o`; misaki maps what remains of it to ɔ.
  out = out.replace(/o/g, 'ɔ');
  if (lang !== 'en-us') return out;
  // eSpeak may say one token as several words ("e.g."); the spelling only helps for one.
  const parts = out.split(' ');
  const spelling = parts.length === 1 ? word.toLowerCase() : '';
  return parts.map((p) => americanReductions(p, spelling)).join(' ');
}

const V = 'AIOWYaiuæɑɔəɛɜɪʊʌᵻ';
const OBSTRUENT_OR_NASAL = 'bdɡkptfvszʃʒʧʤθðmnŋTɾ';

/**
 * Where eSpeak's American vowels differ from misaki's gold lexicon in a regular way, follow
 * the lexicon (rules found on gold words outside the dev set; each one lowers the error).
 */
function americanReductions(ps: string, word: string): string {
  let s = ps;
  // misaki writes ᵊl only for a syllable-final l after a consonant ("able", "bottle");
  // before a vowel or after r it is əl ("ballooning", "ancestral").
  s = s.replace(/ᵊl/g, (m, at: number) => {
    const before = s[at - 1] ?? '';
    const after = s[at + 2] ?? '';
    const afterNext = after === 'ˈ' || after === 'ˌ' ? (s[at + 3] ?? '') : after;
    const syllabic =
      before !== '' && OBSTRUENT_OR_NASAL.includes(before) && (afterNext === '' || !V.includes(afterNext));
    return syllabic ? m : 'əl';
  });
  // ᵻ only in -ed, -es, -est (and -edly); elsewhere misaki has ə.
  s = s.replace(/ᵻ(?!(?:d|z|st)$|d(?:li|nəs|nɪs)$)/g, 'ə');
  if (word.endsWith('est')) s = s.replace(/ɪst$/, 'ᵻst');
  // -ically: əkᵊli
  if (word.endsWith('ically')) s = s.replace(/ɪkli$/, 'əkᵊli').replace(/ɪkəli$/, 'əkᵊli');
  // unstressed ʊ in -ular, -ulate: ə
  s = s.replace(/jʊl/g, 'jəl');
  // marry/merry: æɹ before a vowel is ɛɹ
  s = s.replace(new RegExp(`æɹ(?=[ˈˌ]?[${V}])`, 'g'), 'ɛɹ');
  s = s.replace(/ʊɹɹ/g, 'ʊɹ');
  // in-, un- keep their n before k/g ("incalculable").
  if (/^(in|un)[cgkq]/.test(word)) s = s.replace(/^([ˈˌ]?[ɪʌ])ŋ/, '$1n');
  // e- before the stress: ex-, en- are ɪ, em- is ə.
  if (word.startsWith('e')) s = s.replace(/^ɛ(?=[^ˈˌ]*[ˈ])/, word.startsWith('em') ? 'ə' : 'ɪ');
  // eSpeak gives -ive a secondary stress that misaki does not have.
  s = s.replace(/ˌɪv(?=(?:li|nəs|z)?$)/, 'ɪv');
  // American flap between a vowel (or vowel + ɹ) and an unstressed vowel ("alternative").
  s = s.replace(new RegExp(`(?<=[${V}ɹ])t(?=[${V}])`, 'g'), (m, at: number) =>
    s[at - 1] === 'ɹ' && !V.includes(s[at - 2] ?? '') ? m : 'ɾ',
  );
  // -ical: ək before the l
  s = s.replace(/ɪk(?=[ᵊə]l)/g, 'ək');
  // -tional: ʃᵊnəl
  s = s.replace(/ʃən[ᵊə]l/g, 'ʃᵊnəl');
  // syllabic n after t, d, s, z closing a syllable ("accordance", "basin").
  s = s.replace(new RegExp(`(?<=[tdszɾ])ən(?![${V}ˈˌ])`, 'g'), 'ᵊn');
  // unstressed final -in, -it, -is (not -sis): ə
  s = s.replace(/(?<![ˈˌ])ɪn$/, 'ən').replace(/(?<![ˈˌ])ɪt$/, 'ət');
  if (!word.endsWith('sis')) s = s.replace(/(?<![ˈˌ])ɪs$/, 'əs');
  // -ual, -uous: unstressed u before ə is əw
  s = s.replace(/(?<![ˈˌ])uə/g, 'əwə');
  s = reduceOpenI(s);
  return restressAmerican(s);
}

const ONSET_CLUSTERS = new Set([
  'pɹ', 'pl', 'bɹ', 'bl', 'tɹ', 'dɹ', 'kɹ', 'kl', 'ɡɹ', 'ɡl', 'fɹ', 'fl', 'θɹ', 'ʃɹ', 'sp', 'st',
  'sk', 'sm', 'sn', 'sl', 'sw', 'tw', 'dw', 'kw', 'ɡw', 'pj', 'bj', 'kj', 'fj', 'mj', 'vj',
  'spɹ', 'spl', 'stɹ', 'skɹ', 'skw', 'skj',
]);

/**
 * An unstressed ɪ that ends its syllable (a single consonant or an onset cluster, then a
 * vowel) is ə in misaki's lexicon ("adnominal", "biomagnetism"), as for CMUdict's IH0.
 */
function reduceOpenI(ps: string): string {
  const cs = [...ps];
  for (let i = 1; i < cs.length; i++) {
    if (cs[i] !== 'ɪ' || cs[i - 1] === 'ˈ' || cs[i - 1] === 'ˌ') continue;
    let j = i + 1;
    let cons = '';
    const isConsonant = (c: string | undefined): boolean =>
      c !== undefined && !V.includes(c) && c !== 'ˈ' && c !== 'ˌ' && c !== 'ᵊ';
    while (j < cs.length && isConsonant(cs[j])) cons += cs[j++];
    if (cs[j] === 'ˈ' || cs[j] === 'ˌ') j++;
    const next = cs[j] ?? '';
    if (next === '' || !V.includes(next)) continue;
    if (cons === '' || cons === 'ŋ' || cons === 'ɹ') continue;
    if ([...cons].length === 1 || ONSET_CLUSTERS.has(cons)) cs[i] = 'ə';
  }
  return cs.join('');
}

// Full vowels that misaki marks with a secondary stress after the primary ("aardvark").
const FULL_AFTER_PRIMARY = new Set([...'AIWYæɑɔɛɜʌʊu']);
// ...and before it: un- (ʌ) and aʊ.
const FULL_BEFORE_PRIMARY = new Set([...'ʌW']);

/** eSpeak leaves most secondary stresses out; misaki's lexicon marks full vowels. */
function restressAmerican(ps: string): string {
  const chars = [...ps];
  if (!chars.includes('ˈ')) return ps;
  // eSpeak's secondary stress on a final -ɪst, -ɪk, -ɪs syllable: not in misaki.
  const lastVowel = chars.reduce((acc, c, i) => (V.includes(c) || c === 'ᵊ' ? i : acc), -1);
  if (chars[lastVowel] === 'ɪ' && chars[lastVowel - 1] === 'ˌ') chars.splice(lastVowel - 1, 1);
  let out = '';
  let seenPrimary = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    const prev = chars[i - 1] ?? '';
    if (c === 'ˈ') seenPrimary = true;
    const marked = prev === 'ˈ' || prev === 'ˌ';
    if (!marked && (seenPrimary ? FULL_AFTER_PRIMARY.has(c) : FULL_BEFORE_PRIMARY.has(c))) out += 'ˌ';
    out += c;
  }
  return out;
}
