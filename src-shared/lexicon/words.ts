import type { LexiconMatch } from './types';

/** Curly apostrophes straight, compatibility forms folded, runs of space as one (as the G2P does). */
export function normalizeWord(word: string): string {
  return word.normalize('NFKC').replace(/[‘’]/g, "'").trim().replace(/\s+/g, ' ');
}

/** What makes two entries the same rule: the pattern of a regex, the normalised word (lowercase unless case-sensitive). */
export function matchKey(e: { match: LexiconMatch; pattern: string; caseSensitive: boolean }): string {
  if (e.match === 'regex') return e.pattern;
  const w = normalizeWord(e.pattern);
  return e.caseSensitive ? w : w.toLowerCase();
}
