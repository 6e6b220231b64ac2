import { applyStress, PRIMARY_STRESS } from './symbols';

/** One part of a word written in parts ("eighty-two": "eighty", "two"): its text and phonemes. */
export interface CompoundPart {
  readonly text: string;
  readonly phonemes: string;
}

// misaki weighs a part by its length in symbols, counting these (diphthongs, affricates) twice.
const HEAVY_SYMBOLS = new Set('AIOQWYʤʧ');

function stressWeight(phonemes: string): number {
  let weight = 0;
  for (const c of phonemes) weight += HEAVY_SYMBOLS.has(c) ? 2 : 1;
  return weight;
}

/**
 * A word written as parts with no space between them, as misaki speaks it when its lexicons have
 * the parts but not the whole: the parts joined, with stress moved off the lighter parts so
 * that at most half of them keep a primary (misaki's `G2P.resolve_tokens`; a one-letter first
 * part, as in "X-ray", always yields it). "high-rise": hˈI + ɹˈIz → hˌIɹˈIz. Unlike misaki, every
 * hyphen splits (misaki tries runs of parts as one word first), and digits are not told apart.
 */
export function joinCompound(parts: readonly CompoundPart[]): string {
  const spoken = [...parts];
  const ranked = spoken
    .map((p, index) => ({ primary: p.phonemes.includes(PRIMARY_STRESS), weight: stressWeight(p.phonemes), index }))
    .filter((_, index) => spoken[index]!.phonemes !== '');
  const demote = (index: number): void => {
    spoken[index] = { ...spoken[index]!, phonemes: applyStress(spoken[index]!.phonemes, -0.5) };
  };
  const first = ranked[0];
  const second = ranked[1];
  // One letter: misaki counts code points, not UTF-16 units.
  if (ranked.length === 2 && first !== undefined && second !== undefined && [...spoken[first.index]!.text].length === 1) {
    demote(second.index);
  } else if (ranked.length >= 2 && ranked.filter((r) => r.primary).length > Math.floor((ranked.length + 1) / 2)) {
    // Lightest first: no primary before primary, then by weight, then by position.
    const order = [...ranked].sort((a, b) => Number(a.primary) - Number(b.primary) || a.weight - b.weight || a.index - b.index);
    for (const r of order.slice(0, Math.floor(ranked.length / 2))) demote(r.index);
  }
  return spoken.map((p) => p.phonemes).join('');
}

const TENS = new Set(['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']);
const UNITS = new Set([
  'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine',
  'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth',
]);

/** "eighty-two", "twenty-first": a tens word and a unit, as the normaliser writes numbers. */
export function isNumberCompound(parts: readonly string[]): boolean {
  return parts.length === 2 && TENS.has(parts[0]!.toLowerCase()) && UNITS.has(parts[1]!.toLowerCase());
}

/**
 * A tens word and a unit as misaki's gold lexicon writes 6 of the 7 it has (twˌɛntiwˈʌn,
 * ˌAɾisˈɪks; not θˈɜɹɾiAt): the tens part's stress made secondary, the unit's kept. misaki's
 * general rule (joinCompound) would instead demote whichever part is lighter, which gold contradicts.
 */
export function joinNumberCompound(tens: string, unit: string): string {
  return applyStress(tens, -0.5) + unit;
}
