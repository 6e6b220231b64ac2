import type { G2PLang, UserLexicon, UserPronunciation } from './types';

type Scope = G2PLang | 'all';

/**
 * A user lexicon held in memory. An entry for one accent wins over an entry for both; an
 * exact spelling wins over its lowercase form, so "Nice" (the city) can differ from "nice".
 */
export class InMemoryUserLexicon implements UserLexicon {
  private readonly entries = new Map<string, string>();

  constructor(initial?: Iterable<readonly [word: string, phonemes: string, scope?: Scope]>) {
    for (const [word, phonemes, scope] of initial ?? []) this.set(word, phonemes, scope);
  }

  set(word: string, phonemes: string, scope: Scope = 'all'): void {
    this.entries.set(key(word, scope), phonemes);
  }

  delete(word: string, scope: Scope = 'all'): boolean {
    return this.entries.delete(key(word, scope));
  }

  get size(): number {
    return this.entries.size;
  }

  lookup(word: string, lang: G2PLang): UserPronunciation | undefined {
    const w = word.replace(/[‘’]/g, "'");
    for (const form of w === w.toLowerCase() ? [w] : [w, w.toLowerCase()]) {
      const hit = this.entries.get(key(form, lang)) ?? this.entries.get(key(form, 'all'));
      if (hit !== undefined) return { phonemes: hit };
    }
    return undefined;
  }
}

function key(word: string, scope: Scope): string {
  return `${scope}\u0000${word.replace(/[‘’]/g, "'")}`;
}
