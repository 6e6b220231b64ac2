import { applyStress, PRIMARY_STRESS, SECONDARY_STRESS } from './symbols';
import type { MisakiDict, MisakiEntry, MisakiLexiconData } from './types';

export interface LexiconHit {
  phonemes: string;
  source: 'gold' | 'silver';
}

export interface LexiconContext {
  /** Part-of-speech keys to try, in order, before DEFAULT (see posTagsAfter). */
  tags?: readonly string[];
  /**
   * Whether the next word starts with a vowel sound; null when nothing follows in the
   * clause (misaki then prefers an entry's `None` form, the stressed one).
   */
  nextVowel?: boolean | null;
}

// misaki's suffix rules: a flap replaces a final t after these sounds (American).
const US_TAUS = new Set([...'AIOWYiuæɑəɛɪɹʊʌ']);
const ASCII_WORD = /^[A-Za-z]+$/;

const lower = (w: string): string => w.toLowerCase();
const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
const isLower = (w: string): boolean => w === lower(w);
const isUpper = (w: string): boolean => w === w.toUpperCase();

/**
 * misaki's American gold and silver lexicons with misaki's lookup rules: case variants,
 * part-of-speech entries, spelled-out acronyms and -s/-ed/-ing stemming. (misaki's British
 * lexicons are not available to us, so this layer is American only.)
 */
export class MisakiLexicon {
  private readonly gold: MisakiDict;
  private readonly silver: MisakiDict;

  constructor(data: MisakiLexiconData) {
    this.gold = data.gold;
    this.silver = data.silver ?? {};
  }

  /** Looks a word up as misaki would; undefined when the lexicons do not cover it. */
  lookup(word: string, ctx: LexiconContext = {}): LexiconHit | undefined {
    const w = word.replace(/[‘’]/g, "'").normalize('NFKC');
    if (w === '') return undefined;
    // misaki stresses capitalised words a little (0.5) and all-caps words fully (2).
    const stress = isLower(w) ? undefined : isUpper(w) ? 2 : 0.5;
    return this.getWord(w, ctx, stress);
  }

  private getWord(word: string, ctx: LexiconContext, stress: number | undefined): LexiconHit | undefined {
    let w = word;
    const wl = lower(w);
    if (
      w.length > 1 &&
      ASCII_WORD.test(w.replaceAll("'", '')) &&
      !isLower(w) &&
      !this.inGold(w) &&
      !this.inSilver(w) &&
      (isUpper(w) || isLower(w.slice(1))) &&
      (this.inGold(wl) || this.inSilver(wl) || this.stemmable(wl, ctx))
    ) {
      w = wl;
    }
    if (this.isKnown(w)) return this.find(w, ctx, stress);
    if (w.endsWith("s'") && this.isKnown(w.slice(0, -2) + "'s")) {
      return this.find(w.slice(0, -2) + "'s", ctx, stress);
    }
    if (w.endsWith("'") && this.isKnown(w.slice(0, -1))) return this.find(w.slice(0, -1), ctx, stress);
    return (
      this.stemS(w, ctx, stress) ??
      this.stemEd(w, ctx, stress) ??
      this.stemIng(w, ctx, stress ?? 0.5)
    );
  }

  // misaki "grows" its dictionaries so that lowercase keys also match Capitalised words and
  // the reverse; an exact key always wins.
  private variant(dict: MisakiDict, w: string): MisakiEntry | undefined {
    if (Object.hasOwn(dict, w)) return dict[w];
    if (w.length < 2) return undefined;
    if (isLower(w)) {
      const c = capitalize(w);
      if (c !== w && Object.hasOwn(dict, c)) return dict[c];
    } else if (w === capitalize(w)) {
      const l = lower(w);
      if (Object.hasOwn(dict, l)) return dict[l];
    }
    return undefined;
  }

  private inGold(w: string): boolean {
    return this.variant(this.gold, w) !== undefined;
  }

  private inSilver(w: string): boolean {
    return this.variant(this.silver, w) !== undefined;
  }

  private isKnown(w: string): boolean {
    if (this.inGold(w) || this.inSilver(w)) return true;
    if (!ASCII_WORD.test(w)) return false;
    if (w.length === 1) return true; // a letter: spelled
    if (isUpper(w) && this.inGold(lower(w))) return true;
    return w.slice(1) === w.slice(1).toUpperCase(); // an acronym: spelled
  }

  private find(word: string, ctx: LexiconContext, stress: number | undefined): LexiconHit | undefined {
    let w = word;
    if (isUpper(w) && !this.inGold(w)) w = lower(w);
    let source: LexiconHit['source'] = 'gold';
    let entry = this.variant(this.gold, w);
    if (entry === undefined) {
      entry = this.variant(this.silver, w);
      source = 'silver';
    }
    let ps: string | null | undefined;
    if (entry !== null && typeof entry === 'object') {
      ps = pickTag(entry, ctx);
    } else {
      ps = entry;
    }
    if (ps === null || ps === undefined) {
      const spelled = this.spell(w);
      return spelled === undefined ? undefined : { phonemes: spelled, source: 'gold' };
    }
    return { phonemes: applyStress(ps, stress), source };
  }

  /** Letter by letter, primary stress on the last letter (misaki's get_NNP). */
  private spell(word: string): string | undefined {
    const parts: string[] = [];
    for (const c of word) {
      if (!/[A-Za-z]/.test(c)) continue;
      const e = this.variant(this.gold, c.toUpperCase());
      if (typeof e !== 'string') return undefined;
      parts.push(e);
    }
    if (parts.length === 0) return undefined;
    const ps = applyStress(parts.join(''), 0);
    const at = ps.lastIndexOf(SECONDARY_STRESS);
    return at < 0 ? ps : ps.slice(0, at) + PRIMARY_STRESS + ps.slice(at + 1);
  }

  private stemmable(w: string, ctx: LexiconContext): boolean {
    return (
      this.stemS(w, ctx, undefined) !== undefined ||
      this.stemEd(w, ctx, undefined) !== undefined ||
      this.stemIng(w, ctx, 0.5) !== undefined
    );
  }

  private stemS(w: string, ctx: LexiconContext, stress: number | undefined): LexiconHit | undefined {
    if (w.length < 3 || !w.endsWith('s')) return undefined;
    let stem: string;
    if (!w.endsWith('ss') && this.isKnown(w.slice(0, -1))) stem = w.slice(0, -1);
    else if ((w.endsWith("'s") || (w.length > 4 && w.endsWith('es') && !w.endsWith('ies'))) && this.isKnown(w.slice(0, -2))) {
      stem = w.slice(0, -2);
    } else if (w.length > 4 && w.endsWith('ies') && this.isKnown(w.slice(0, -3) + 'y')) {
      stem = w.slice(0, -3) + 'y';
    } else return undefined;
    const hit = this.find(stem, ctx, stress);
    return hit && { phonemes: suffixS(hit.phonemes), source: hit.source };
  }

  private stemEd(w: string, ctx: LexiconContext, stress: number | undefined): LexiconHit | undefined {
    if (w.length < 4 || !w.endsWith('d')) return undefined;
    let stem: string;
    if (!w.endsWith('dd') && this.isKnown(w.slice(0, -1))) stem = w.slice(0, -1);
    else if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed') && this.isKnown(w.slice(0, -2))) {
      stem = w.slice(0, -2);
    } else return undefined;
    const hit = this.find(stem, ctx, stress);
    return hit && { phonemes: suffixEd(hit.phonemes), source: hit.source };
  }

  private stemIng(w: string, ctx: LexiconContext, stress: number | undefined): LexiconHit | undefined {
    if (w.length < 5 || !w.endsWith('ing')) return undefined;
    let stem: string;
    if (w.length > 5 && this.isKnown(w.slice(0, -3))) stem = w.slice(0, -3);
    else if (this.isKnown(w.slice(0, -3) + 'e')) stem = w.slice(0, -3) + 'e';
    else if (w.length > 5 && /([bcdgklmnprstvxz])\1ing$|cking$/.test(w) && this.isKnown(w.slice(0, -4))) {
      stem = w.slice(0, -4);
    } else return undefined;
    const hit = this.find(stem, ctx, stress);
    return hit && { phonemes: suffixIng(hit.phonemes), source: hit.source };
  }
}

function pickTag(entry: { readonly [tag: string]: string | null }, ctx: LexiconContext): string | null | undefined {
  if (ctx.nextVowel === null && Object.hasOwn(entry, 'None')) return entry['None'];
  for (const t of ctx.tags ?? []) {
    if (Object.hasOwn(entry, t)) return entry[t];
  }
  return entry['DEFAULT'];
}

const last = (s: string): string => [...s].at(-1) ?? '';
const beforeLast = (s: string): string => [...s].at(-2) ?? '';

/** -s: /s/ after voiceless sounds, /ᵻz/ after sibilants, /z/ elsewhere. */
export function suffixS(stem: string): string {
  const c = last(stem);
  if ('ptkfθ'.includes(c)) return stem + 's';
  if ('szʃʒʧʤ'.includes(c)) return stem + 'ᵻz';
  return stem + 'z';
}

/** -ed: /t/ after voiceless sounds, /ᵻd/ after t and d (flapped t after a vowel), /d/ elsewhere. */
export function suffixEd(stem: string): string {
  const c = last(stem);
  if ('pkfθʃsʧ'.includes(c)) return stem + 't';
  if (c === 'd') return stem + 'ᵻd';
  if (c !== 't') return stem + 'd';
  if ([...stem].length < 2) return stem + 'ɪd';
  if (US_TAUS.has(beforeLast(stem))) return [...stem].slice(0, -1).join('') + 'ɾᵻd';
  return stem + 'ᵻd';
}

/** -ing: /ɪŋ/, with a flapped t after a vowel. */
export function suffixIng(stem: string): string {
  if ([...stem].length > 1 && last(stem) === 't' && US_TAUS.has(beforeLast(stem))) {
    return [...stem].slice(0, -1).join('') + 'ɾɪŋ';
  }
  return stem + 'ɪŋ';
}
