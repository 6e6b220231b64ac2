import type { CmuDict } from './types';

/**
 * CMUdict (ARPAbet with stress digits) -> misaki symbols. The plain phone map comes from
 * G2P.md; the context rules below were derived by comparing CMUdict with misaki's gold
 * lexicon (words outside the dev set): misaki writes reduced vowels and flaps that CMUdict
 * leaves implicit, and places stress a little differently.
 */

const VOWEL_MAP: Readonly<Record<string, string>> = {
  AA: 'ɑ', AE: 'æ', AH: 'ʌ', AO: 'ɔ', AW: 'W', AY: 'I', EH: 'ɛ', ER: 'ɜɹ',
  EY: 'A', IH: 'ɪ', IY: 'i', OW: 'O', OY: 'Y', UH: 'ʊ', UW: 'u',
};

const CONSONANT_MAP: Readonly<Record<string, string>> = {
  B: 'b', CH: 'ʧ', D: 'd', DH: 'ð', F: 'f', G: 'ɡ', HH: 'h', JH: 'ʤ', K: 'k', L: 'l',
  M: 'm', N: 'n', NG: 'ŋ', P: 'p', R: 'ɹ', S: 's', SH: 'ʃ', T: 't', TH: 'θ', V: 'v',
  W: 'w', Y: 'j', Z: 'z', ZH: 'ʒ',
};

/** Stress: 0 unstressed, 1 primary, 2 secondary, 3 unstressed but not reduced. */
type Stress = 0 | 1 | 2 | 3;

interface Phone {
  base: string;
  /** undefined for consonants. */
  stress: Stress | undefined;
}

// Consonants after which an unstressed AH/IH before L or N is written as ᵊ (syllabic).
const SYLLABIC_L_AFTER = new Set(['B', 'D', 'G', 'K', 'P', 'T', 'F', 'V', 'S', 'Z', 'SH', 'ZH', 'CH', 'JH', 'TH', 'DH', 'M', 'N']);
const SYLLABIC_N_AFTER = new Set(['T', 'D', 'S', 'Z']);
// Full vowels that keep a secondary stress when they end a word after the primary stress.
const FULL_FINAL = new Set(['AY', 'AA', 'EY', 'AE', 'AO', 'EH', 'OY', 'AW']);

const ONSETS = new Set([
  'P R', 'P L', 'B R', 'B L', 'T R', 'D R', 'K R', 'K L', 'G R', 'G L', 'F R', 'F L',
  'TH R', 'SH R', 'S P', 'S T', 'S K', 'S M', 'S N', 'S L', 'S W', 'S F', 'T W', 'D W',
  'K W', 'G W', 'P Y', 'B Y', 'K Y', 'F Y', 'M Y', 'V Y', 'HH Y',
  'S P R', 'S P L', 'S T R', 'S K R', 'S K W', 'S K Y', 'S P Y',
]);

/** Whether consonants can all start the next syllable (then the vowel before is open). */
function isOnset(cs: readonly string[]): boolean {
  if (cs.length === 0) return true;
  if (cs.length === 1) return cs[0] !== 'NG';
  return ONSETS.has(cs.join(' '));
}

function parse(arpa: string): Phone[] {
  const phones: Phone[] = [];
  for (const tok of arpa.trim().split(/\s+/)) {
    const m = /^([A-Z]+)([012]?)$/.exec(tok);
    if (!m) continue;
    const base = m[1] ?? '';
    if (base in VOWEL_MAP) {
      phones.push({ base, stress: Number(m[2] === '' ? '0' : m[2]) as Stress });
    } else if (base in CONSONANT_MAP) {
      phones.push({ base, stress: undefined });
    }
  }
  return phones;
}

/** Stress adjustments that make CMUdict's marks agree with misaki's more often. */
function restress(ph: Phone[]): void {
  const vowels = ph.flatMap((p, i) => (p.stress === undefined ? [] : [i]));
  // in-/im- before the stressed syllable ("incredible"): misaki leaves it unstressed.
  const first = ph[0];
  const second = vowels[1] !== undefined ? ph[vowels[1]] : undefined;
  if (first?.base === 'IH' && first.stress === 2 && (ph[1]?.base === 'N' || ph[1]?.base === 'M') && second?.stress === 1) {
    first.stress = 3;
  }
  // -tion/-sion words stress the syllable before the suffix; CMUdict sometimes has a
  // secondary there and the primary earlier ("circulation").
  const bases = ph.map((p) => p.base).join(' ');
  const tion = /(?:^| )(SH|ZH|CH) AH N( Z)?$/.exec(bases);
  if (tion) {
    const suffixStart = ph.length - (tion[2] ? 4 : 3);
    const before = vowels.filter((i) => i < suffixStart).at(-1);
    const bp = before !== undefined ? ph[before] : undefined;
    if (bp?.stress === 2) {
      for (const i of vowels) {
        const p = ph[i];
        if (p?.stress === 1) p.stress = 2;
      }
      bp.stress = 1;
    }
  }
  // Compounds with two primaries: misaki keeps the last one primary.
  const primaries = vowels.filter((i) => ph[i]?.stress === 1);
  for (const i of primaries.slice(0, -1)) {
    const p = ph[i];
    if (p) p.stress = 2;
  }
  // A full vowel ending the word after the stress ("haiku", "morphine"-like) keeps a secondary.
  const lastV = vowels.at(-1);
  const lastPrimary = primaries.at(-1);
  if (lastV !== undefined && lastPrimary !== undefined && lastV > lastPrimary) {
    const p = ph[lastV];
    if (p && p.stress === 0 && FULL_FINAL.has(p.base)) p.stress = 2;
    // ...but a word-final open IY/OW ("ability", "ammo") is unstressed in misaki.
    if (p && p.stress === 2 && lastV === ph.length - 1 && (p.base === 'IY' || p.base === 'OW')) p.stress = 0;
  }
}

/** Converts one CMUdict pronunciation. `word` (its spelling) settles a few suffix vowels. */
export function arpabetToMisaki(arpa: string, word = ''): string {
  const ph = parse(arpa);
  restress(ph);
  const w = word.toLowerCase();
  const n = ph.length;
  const isV = (i: number): boolean => i >= 0 && i < n && ph[i]?.stress !== undefined;
  const base = (i: number): string => (i >= 0 && i < n ? (ph[i]?.base ?? '#') : '#');
  const stressOf = (i: number): Stress | undefined => (i >= 0 && i < n ? ph[i]?.stress : undefined);
  /** Consonants after phone i up to the next vowel, and that vowel's index (or -1 at the end). */
  const consAfter = (i: number): { cs: string[]; next: number } => {
    const cs: string[] = [];
    let j = i + 1;
    while (j < n && !isV(j)) cs.push(base(j++));
    return { cs, next: j < n ? j : -1 };
  };

  let out = '';
  for (let i = 0; i < n; i++) {
    const p = ph[i];
    if (!p) continue;
    if (p.stress === undefined) {
      out += consonant(i);
      continue;
    }
    // -ual, -uous: an unstressed (or CMUdict-secondary) u before a reduced vowel is əw.
    if (p.base === 'UW' && (p.stress === 0 || p.stress === 2) && stressOf(i + 1) === 0 && base(i + 1) === 'AH') {
      out += 'əw';
      continue;
    }
    const mark = p.stress === 1 ? 'ˈ' : p.stress === 2 ? 'ˌ' : '';
    out += mark + vowel(i, p);
  }
  return out;

  function consonant(i: number): string {
    const b = base(i);
    if (b === 'T') {
      // American flap: after a vowel (or vowel + r, "party") and before an unstressed vowel,
      // but not before a syllabic n ("button" keeps its t).
      const afterVowel = isV(i - 1) || (base(i - 1) === 'R' && isV(i - 2));
      // A word-final IY2 ("ability" in CMUdict) is unstressed for misaki.
      const nextStress = base(i + 1) === 'IY' && i + 2 === n ? 0 : stressOf(i + 1);
      if (afterVowel && nextStress === 0) {
        const nb = base(i + 1);
        const syllabicN = (nb === 'AH' || nb === 'IH') && base(i + 2) === 'N' && !isV(i + 3);
        if (!syllabicN) return 'T';
      }
    }
    // "-ntion", "-ntial", "-ntuous": misaki writes nʧ where the spelling has a t.
    if (b === 'SH' && base(i - 1) === 'N' && /nt[iu]/.test(w)) return 'ʧ';
    // "admire" (AY1 R): misaki writes Iəɹ, as for "fire" (AY1 ER0).
    if (b === 'R' && (base(i - 1) === 'AY' || base(i - 1) === 'AW') && !isV(i + 1)) return 'əɹ';
    // "-ically" as CMUdict's short form K L IY0: misaki keeps the syllabic l.
    if (b === 'L' && base(i - 1) === 'K' && base(i + 1) === 'IY' && i + 2 === n && /ically$/.test(w)) {
      return 'ᵊl';
    }
    return CONSONANT_MAP[b] ?? '';
  }

  function vowel(i: number, p: Phone): string {
    const b = p.base;
    if (p.stress !== 0) return VOWEL_MAP[b] ?? '';
    if (b === 'ER') return 'əɹ';
    if (b === 'EH' && i === 0 && !isV(1)) return 'ɪ'; // en-, em-, ex- before the stress
    if (b !== 'AH' && b !== 'IH') return VOWEL_MAP[b] ?? '';
    const { cs, next } = consAfter(i);
    const prev = base(i - 1);
    const prevIsCons = i > 0 && !isV(i - 1);
    const final = next < 0;
    const closedByTwo = cs.length >= 2 || final;
    // Syllabic l and n, which misaki writes ᵊl, ᵊn.
    // -tional: ʃᵊnəl, the first reduced vowel is the syllabic one.
    if (cs[0] === 'L' && prev === 'N' && base(i - 2) === 'AH' && base(i - 3) === 'SH') return 'ə';
    if (cs[0] === 'L' && prevIsCons && SYLLABIC_L_AFTER.has(prev)) {
      if (closedByTwo) return 'ᵊ';
      if (prev === 'K' && base(i + 2) === 'IY' && i + 3 === n) return 'ᵊ'; // -ically
    }
    if (cs[0] === 'N' && prevIsCons) {
      // "button", "beaten": misaki writes a glottal t and a bare n (tn in v1.0).
      if (prev === 'T' && final && cs.length === 1 && (stressOf(i - 2) === 1 || stressOf(i - 2) === 2)) return '';
      if (SYLLABIC_N_AFTER.has(prev) && closedByTwo) return 'ᵊ';
      // -tional: ʃᵊnəl
      if (prev === 'SH' && cs.length === 1 && base(next) === 'AH' && base(next + 1) === 'L') return 'ᵊ';
    }
    // un- is a full, secondary-stressed vowel in misaki ("unheard", "unable").
    if (b === 'AH' && i === 0 && cs[0] === 'N' && w.startsWith('un')) return 'ˌʌ';
    // dis-, mis- keep their ɪ.
    if (b === 'IH' && i === 1 && cs[0] === 'S' && /^(dis|mis)/.test(w)) return 'ɪ';
    if (cs[0] === 'NG') return 'ɪ';
    if (final) {
      if (cs.length === 1 && (cs[0] === 'D' || cs[0] === 'Z')) return 'ᵻ'; // -ed, -es
      if (cs.length === 2 && cs[0] === 'S' && cs[1] === 'T') {
        if (w.endsWith('est')) return 'ᵻ';
        if (w.endsWith('ist')) return 'ɪ';
      }
      if (b === 'AH' && !(cs.length === 1 && cs[0] === 'S')) return cs.length === 1 && cs[0] === 'JH' ? 'ɪ' : 'ə';
      if (cs.length === 1 && cs[0] === 'S') return w.endsWith('sis') ? 'ɪ' : 'ə'; // -sis vs -ness
      if (cs.length === 1 && (cs[0] === 'T' || cs[0] === 'N' || cs[0] === 'M')) return 'ə';
      return 'ɪ';
    }
    if (b === 'AH') return 'ə';
    // IH0 in an open syllable reduces to ə, in a closed one it stays ɪ.
    if (cs[0] === 'V' && cs[1] === 'L') return 'ə'; // -ively
    if (i === 0) return cs.length >= 2 || !isOnset(cs) ? 'ɪ' : 'ə';
    return isOnset(cs) ? 'ə' : 'ɪ';
  }
}

/** Looks a word up in CMUdict (first pronunciation) and converts it; undefined if absent. */
export function lookupCmu(dict: CmuDict, word: string): string | undefined {
  const key = word.toLowerCase().replace(/’/g, "'");
  const arpa = Object.hasOwn(dict, key) ? dict[key] : undefined;
  if (arpa === undefined) return undefined;
  return arpabetToMisaki(arpa, key);
}
