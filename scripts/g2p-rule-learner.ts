/**
 * Greedy transformation-based learning of rewrite rules (src-shared/g2p/rewrite-rules.ts):
 * each round aligns every word's output with its reference, proposes "at symbol X in
 * context C write Y" for each wrong symbol, and keeps the proposal that fixes the most
 * symbols minus those it breaks. scripts/learn-g2p-rules.ts feeds it misaki's lexicon.
 */
import { applyRule, TEMPLATES, WordContext, type RewriteRule } from '../src-shared/g2p/rewrite-rules';
import { PRIMARY_STRESS, SECONDARY_STRESS, VOWELS } from '../src-shared/g2p/symbols';

export interface Example {
  word: string;
  /** The layer's output, and what it should have been. */
  hyp: string;
  ref: string;
  /** false: a validation word, scored after every rule but never learned from. */
  train: boolean;
}

export interface LearnOptions {
  maxRules: number;
  /** Stop when the best rule fixes fewer than this many symbols net. */
  minScore: number;
  onRule?: (count: number, score: number, trainExact: number, validationExact: number) => void;
}

export interface Learned {
  /** Every rule taken, in order. */
  rules: RewriteRule[];
  /** Exact words among the validation examples before any rule, and after each one. */
  validationExact: number[];
}

interface Item {
  word: string;
  hyp: string[];
  ref: string[];
  /** For each hyp symbol, what it should become so the word equals ref. */
  desired: string[];
  context: WordContext | undefined;
  train: boolean;
}

type SymbolClass = 'stress' | 'vowel' | 'consonant';
const classOf = (c: string): SymbolClass =>
  c === PRIMARY_STRESS || c === SECONDARY_STRESS ? 'stress' : VOWELS.has(c) || c === 'ᵊ' ? 'vowel' : 'consonant';

// A stress mark is only substituted by a stress mark; otherwise it is inserted or deleted.
function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  const ca = classOf(a);
  const cb = classOf(b);
  if (ca === cb) return 1;
  return ca === 'stress' || cb === 'stress' ? 2.5 : 1.6;
}

/**
 * Per-hyp-symbol targets from a minimum-cost alignment. Inserted reference symbols go with
 * the hyp symbol after them (a stress mark belongs to the vowel it precedes), or with the
 * last one at the end of the word.
 */
export function alignTargets(hyp: readonly string[], ref: readonly string[]): string[] {
  const n = hyp.length;
  const m = ref.length;
  const d: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  const cost = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  const sub = (i: number, j: number): number => substitutionCost(hyp[i] ?? '', ref[j] ?? '');
  for (let i = 0; i <= n; i++) for (let j = 0; j <= m; j++) {
    const row = d[i];
    if (!row) continue;
    if (i === 0 || j === 0) row[j] = i + j;
    else row[j] = Math.min(cost(i - 1, j - 1) + sub(i - 1, j - 1), cost(i - 1, j) + 1, cost(i, j - 1) + 1);
  }
  const out = new Array<string>(n).fill('');
  const ops: ['sub' | 'del' | 'ins', number, number][] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && cost(i, j) === cost(i - 1, j - 1) + sub(i - 1, j - 1)) {
      ops.push(['sub', --i, --j]);
    } else if (i > 0 && cost(i, j) === cost(i - 1, j) + 1) {
      ops.push(['del', --i, -1]);
    } else {
      ops.push(['ins', -1, --j]);
    }
  }
  let inserted = '';
  for (const [op, hi, rj] of ops.reverse()) {
    if (op === 'ins') inserted += ref[rj] ?? '';
    else {
      out[hi] = inserted + (op === 'sub' ? (ref[rj] ?? '') : '');
      inserted = '';
    }
  }
  if (inserted !== '' && n > 0) out[n - 1] += inserted;
  return out;
}

const KEY = '\u0002';

const contextOf = (item: Item): WordContext => (item.context ??= new WordContext(item.hyp, item.word));

/**
 * For every possible rule, how many training symbols it would fix (`good`, keyed by
 * condition + output) and break (`bad`, keyed by condition: symbols already right). Kept
 * up to date word by word, so a round only recounts the words the last rule changed.
 */
class Tally {
  private readonly good = new Map<string, number>();
  private readonly bad = new Map<string, number>();
  /** Rules already taken: realignment can make a taken rule look useful again, in a loop. */
  private readonly taken = new Set<string>();

  add(item: Item, sign: 1 | -1): void {
    if (!item.train) return;
    const ctx = contextOf(item);
    item.hyp.forEach((c, i) => {
      const want = item.desired[i] ?? c;
      for (let t = 0; t < TEMPLATES.length; t++) {
        const cond = `${t}${KEY}${ctx.context(t, i)}${KEY}${c}`;
        const map = want === c ? this.bad : this.good;
        const key = want === c ? cond : `${cond}${KEY}${want}`;
        map.set(key, (map.get(key) ?? 0) + sign);
      }
    });
  }

  take(): { rule: RewriteRule; score: number } | undefined {
    let best: { key: string; score: number } | undefined;
    for (const [key, good] of this.good) {
      if ((best && good <= best.score) || this.taken.has(key)) continue;
      const score = good - (this.bad.get(key.slice(0, key.lastIndexOf(KEY))) ?? 0);
      if (!best || score > best.score) best = { key, score };
    }
    if (!best) return undefined;
    this.taken.add(best.key);
    const [t, context, from, to] = best.key.split(KEY) as [string, string, string, string];
    return { rule: { template: Number(t), context, from, to }, score: best.score };
  }
}

export function learnRules(examples: readonly Example[], options: LearnOptions): Learned {
  const items: Item[] = examples.map((e) => {
    const hyp = [...e.hyp];
    const ref = [...e.ref];
    return { word: e.word, hyp, ref, desired: alignTargets(hyp, ref), context: undefined, train: e.train };
  });
  const exact = (train: boolean): number =>
    items.filter((it) => it.train === train && it.hyp.join('') === it.ref.join('')).length;
  const tally = new Tally();
  for (const item of items) tally.add(item, 1);
  const rules: RewriteRule[] = [];
  const validationExact = [exact(false)];
  while (rules.length < options.maxRules) {
    const best = tally.take();
    if (!best || best.score < options.minScore) break;
    rules.push(best.rule);
    for (const item of items) {
      const next = applyRule(item.hyp, best.rule, item.word);
      if (next.join('') === item.hyp.join('')) continue;
      tally.add(item, -1);
      item.hyp = next;
      item.desired = alignTargets(item.hyp, item.ref);
      item.context = undefined;
      tally.add(item, 1);
    }
    validationExact.push(exact(false));
    options.onRule?.(rules.length, best.score, exact(true), validationExact.at(-1) ?? 0);
  }
  return { rules, validationExact };
}
