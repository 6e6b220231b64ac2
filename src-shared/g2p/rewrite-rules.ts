import { PRIMARY_STRESS, VOWELS } from './symbols';

/**
 * Context-dependent rewrite rules over a word's phoneme symbols, applied in order
 * (transformation-based learning: each rule was chosen because, applied after the ones
 * before it, it fixed more symbols in a training lexicon's words than it broke). The rule lists are
 * learned by scripts/learn-g2p-rules.ts; this module is what the G2P runs, and what the
 * learner uses to compute the same contexts.
 */

/** One rule: at a symbol `from` whose context matches, write `to` ('' deletes, 'ˌə' inserts). */
export interface RewriteRule {
  /** Index into TEMPLATES. */
  template: number;
  /** The template's context values, joined by '|'. */
  context: string;
  from: string;
  to: string;
}

/** Compact form for generated files: [template, context, from, to]. */
export type PackedRule = readonly [number, string, string, string];

const EDGE = '#';

const isVowel = (c: string | undefined): boolean => c !== undefined && (VOWELS.has(c) || c === 'ᵊ');

/** What a rule may look at around position i of a word. */
interface Features {
  p1: string;
  p2: string;
  n1: string;
  n2: string;
  /** Where the primary stress is: 'S' this symbol, '<' before it, '>' after it, '0' none. */
  stress: string;
  /** Nearest vowel before and after (skipping consonants and marks). */
  prevVowel: string;
  nextVowel: string;
  /** Vowels after and before this position: '0', '1' or '2' (two or more). */
  vowelsAfter: string;
  vowelsBefore: string;
  /** The spelling's last and first letters (see ruleSpelling; '' when not known). */
  suffix2: string;
  suffix3: string;
  prefix2: string;
  prefix3: string;
}

type Template = (f: Features) => string;

/** The contexts rules are learned over. Append only: the rule files refer to them by index. */
export const TEMPLATES: readonly Template[] = [
  () => '',
  (f) => f.p1,
  (f) => f.n1,
  (f) => `${f.p1}|${f.n1}`,
  (f) => `${f.p2}|${f.p1}`,
  (f) => `${f.n1}|${f.n2}`,
  (f) => f.stress,
  (f) => `${f.stress}|${f.p1}`,
  (f) => `${f.stress}|${f.n1}`,
  (f) => f.prevVowel,
  (f) => f.nextVowel,
  (f) => `${f.stress}|${f.nextVowel}`,
  (f) => f.vowelsAfter,
  (f) => `${f.vowelsAfter}|${f.n1}`,
  (f) => `${f.stress}|${f.vowelsAfter}`,
  (f) => `${f.vowelsAfter}|${f.suffix2}`,
  (f) => `${f.vowelsAfter}|${f.suffix3}`,
  (f) => `${f.p1}|${f.n1}|${f.vowelsAfter}`,
  (f) => `${f.vowelsBefore}|${f.prefix2}`,
  (f) => `${f.vowelsBefore}|${f.prefix3}`,
  (f) => `${f.p2}|${f.p1}|${f.n1}`,
  (f) => `${f.p1}|${f.n1}|${f.n2}`,
  (f) => `${f.stress}|${f.p1}|${f.n1}`,
  (f) => `${f.vowelsBefore}|${f.vowelsAfter}|${f.n1}`,
  (f) => `${f.prevVowel}|${f.nextVowel}`,
];

/**
 * The spelling as rules see it: lower case, without a possessive ending. The rules were
 * learned on plain lower-case words, so "Kensington's" is read like "kensington".
 */
export function ruleSpelling(word: string): string {
  return word.toLowerCase().replace(/['’]s$/, '').replace(/['’]$/, '');
}

/** Per-word facts the features are read from, computed once per rule pass. */
export class WordContext {
  private readonly primaryAt: number[];
  private readonly vowelAt: number[];
  private readonly memo: (Features | undefined)[] = [];

  private readonly spelling: string;

  constructor(
    readonly symbols: readonly string[],
    spelling = '',
  ) {
    this.spelling = ruleSpelling(spelling);
    this.primaryAt = symbols.flatMap((c, i) => (c === PRIMARY_STRESS ? [i] : []));
    this.vowelAt = symbols.flatMap((c, i) => (isVowel(c) ? [i] : []));
  }

  features(i: number): Features {
    const known = this.memo[i];
    if (known) return known;
    const s = this.symbols;
    const at = (k: number): string => s[k] ?? EDGE;
    const stress =
      s[i] === PRIMARY_STRESS
        ? 'S'
        : this.primaryAt.some((k) => k < i)
          ? '<'
          : this.primaryAt.some((k) => k > i)
            ? '>'
            : '0';
    let prevVowel = EDGE;
    let nextVowel = EDGE;
    let after = 0;
    let before = 0;
    for (const k of this.vowelAt) {
      if (k < i) {
        prevVowel = s[k] ?? EDGE;
        before++;
      } else if (k > i) {
        if (after === 0) nextVowel = s[k] ?? EDGE;
        after++;
      }
    }
    const f: Features = {
      p1: at(i - 1),
      p2: at(i - 2),
      n1: at(i + 1),
      n2: at(i + 2),
      stress,
      prevVowel,
      nextVowel,
      vowelsAfter: String(Math.min(after, 2)),
      vowelsBefore: String(Math.min(before, 2)),
      suffix2: this.spelling.slice(-2),
      suffix3: this.spelling.slice(-3),
      prefix2: this.spelling.slice(0, 2),
      prefix3: this.spelling.slice(0, 3),
    };
    this.memo[i] = f;
    return f;
  }

  context(template: number, i: number): string {
    const t = TEMPLATES[template];
    return t ? t(this.features(i)) : '';
  }
}

/**
 * Applies one rule at every matching position at once (contexts are read before any
 * change). Returns undefined when nothing matched.
 */
function rewrite(word: WordContext, rule: RewriteRule): string[] | undefined {
  const symbols = word.symbols;
  if (!symbols.includes(rule.from)) return undefined;
  let changed = false;
  const out = symbols.map((c, i) => {
    if (c !== rule.from || word.context(rule.template, i) !== rule.context) return c;
    changed = true;
    return rule.to;
  });
  return changed ? [...out.join('')] : undefined;
}

/** One rule over a word's symbols (the learner's step). */
export function applyRule(symbols: readonly string[], rule: RewriteRule, spelling = ''): string[] {
  if (!symbols.includes(rule.from)) return [...symbols];
  return rewrite(new WordContext(symbols, spelling), rule) ?? [...symbols];
}

export function unpackRules(packed: readonly PackedRule[]): RewriteRule[] {
  return packed.map(([template, context, from, to]) => {
    // An unknown template would read '' as its context and so match everywhere.
    if (!Number.isInteger(template) || template < 0 || template >= TEMPLATES.length) {
      throw new Error(`rewrite rule ${JSON.stringify([template, context, from, to])}: no template ${template}`);
    }
    return { template, context, from, to };
  });
}

export function packRule(rule: RewriteRule): PackedRule {
  return [rule.template, rule.context, rule.from, rule.to];
}

/** Runs a rule list over one word's phonemes; `spelling` is the word they are for. */
export function applyRules(phonemes: string, rules: readonly RewriteRule[], spelling: string): string {
  // Most rules do not match; the word's contexts are only recomputed after one that does.
  let word = new WordContext([...phonemes], spelling);
  for (const rule of rules) {
    const next = rewrite(word, rule);
    if (next) word = new WordContext(next, spelling);
  }
  return word.symbols.join('');
}
