/**
 * The user's lexicon compiled for lookups: whole words and regex rules, phoneme entries for the
 * G2P and replacement entries for the text pre-pass. Pure (no database, no Node), so the engine
 * process builds one from the entries the library sends, and the CLI and tests use it directly.
 */
import { BoundedCache } from '../cache/bounded-cache';
import type { G2PLang, UserLexicon, UserPronunciation } from '../g2p/types';
import { expandReplacement } from './replacements';
import type { LexiconEntry, LexiconLang, RegexRunner, RegexRunnerFactory, ReplacementEdit, ReplacementResult } from './types';
import { matchKey, normalizeWord } from './words';

const WORD_CHAR = '[\\p{L}\\p{N}_]';
const MEMO_LIMIT = 20_000;

interface Hit {
  id: number;
  value: string;
}

export interface LexiconIndexOptions {
  /** Runs the regex rules under a time limit (src-main's vm sandbox). */
  regexRunner: RegexRunnerFactory;
  /** A regex rule exceeded the time limit and is switched off for this session. */
  onRuleDisabled?: (entry: LexiconEntry | undefined, id: number) => void;
}

export class LexiconIndex implements UserLexicon {
  private entryMap = new Map<number, LexiconEntry>();
  /** `${lang}\0${c|i}\0${key}` -> entry, for whole-word entries of one kind. */
  private phonemeWords = new Map<string, Hit>();
  private replacementWords = new Map<string, Hit>();
  /** Regex entry ids by G2P language: that accent's first, then 'all', each in id order. */
  private regexPhonemes: Record<G2PLang, number[]> = { 'en-us': [], 'en-gb': [] };
  private regexReplacements: Record<G2PLang, number[]> = { 'en-us': [], 'en-gb': [] };
  /** Literal matchers for whole-word replacement entries, built on first use per language. */
  private literalMatchers = new Map<G2PLang, RegExp[]>();
  private readonly memo = new BoundedCache<string, Hit | null>(MEMO_LIMIT);
  private readonly regexes: RegexRunner;

  constructor(options: LexiconIndexOptions, entries: readonly LexiconEntry[] = []) {
    this.regexes = options.regexRunner((id) => {
      this.memo.clear();
      options.onRuleDisabled?.(this.entryMap.get(id), id);
    });
    this.setEntries(entries);
  }

  /** Replaces the entries. A disabled rule gets another chance only if its pattern changed. */
  setEntries(entries: readonly LexiconEntry[]): void {
    const before = this.entryMap;
    this.entryMap = new Map(entries.map((e) => [e.id, e]));
    for (const id of [...this.regexes.disabled]) {
      if (this.entryMap.get(id)?.pattern !== before.get(id)?.pattern) this.regexes.disabled.delete(id);
    }
    this.phonemeWords = new Map();
    this.replacementWords = new Map();
    this.regexPhonemes = { 'en-us': [], 'en-gb': [] };
    this.regexReplacements = { 'en-us': [], 'en-gb': [] };
    this.literalMatchers = new Map();
    this.memo.clear();
    const sorted = [...entries].sort((a, b) => a.id - b.id);
    for (const e of sorted) {
      if (e.match !== 'word') continue;
      const words = e.kind === 'phonemes' ? this.phonemeWords : this.replacementWords;
      words.set(wordKey(e.lang, e.caseSensitive, matchKey(e)), { id: e.id, value: e.value });
    }
    for (const lang of ['en-us', 'en-gb'] as const) {
      for (const scope of [lang, 'all'] as const) {
        for (const e of sorted) {
          if (e.match === 'regex' && e.lang === scope) (e.kind === 'phonemes' ? this.regexPhonemes : this.regexReplacements)[lang].push(e.id);
        }
      }
    }
    this.regexes.setRules(sorted.filter((e) => e.match === 'regex').map((e) => ({ id: e.id, source: e.pattern, caseSensitive: e.caseSensitive })));
  }

  entries(): LexiconEntry[] {
    return [...this.entryMap.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): LexiconEntry | undefined {
    return this.entryMap.get(id);
  }

  /** Rules switched off this session because they exceeded the regex time limit. */
  disabledRules(): number[] {
    return [...this.regexes.disabled];
  }

  /**
   * The phoneme entry for a word, with its id (for the audio cache), as the G2P asks: exact
   * spelling (case-sensitive entries) before the lowercase form, this accent before 'all',
   * whole words before regex rules (matched against the whole word).
   */
  lookup(word: string, lang: G2PLang): UserPronunciation | undefined {
    const w = normalizeWord(word);
    if (w === '') return undefined;
    const memoKey = `${lang}\u0000${w}`;
    let hit = this.memo.get(memoKey);
    if (hit === undefined) {
      hit = this.findPhonemes(w, lang) ?? null;
      this.memo.set(memoKey, hit);
    }
    return hit === null ? undefined : { phonemes: hit.value, entryId: hit.id };
  }

  /**
   * The text pre-pass for replacement entries. Matches are found in the original text only (a
   * replacement is never matched again); where matches overlap, the earliest wins, then the
   * longest, then whole-word entries over regex rules.
   */
  applyReplacements(text: string, lang: G2PLang): ReplacementResult {
    type Candidate = { start: number; end: number; entryId: number; value: string; rank: number };
    const candidates: Candidate[] = [];
    for (const matcher of this.literalMatchersFor(lang)) {
      matcher.lastIndex = 0;
      for (const m of text.matchAll(matcher)) {
        const hit = findWord(this.replacementWords, normalizeWord(m[0]), lang);
        if (hit) candidates.push({ start: m.index, end: m.index + m[0].length, entryId: hit.id, value: hit.value, rank: 0 });
      }
    }
    const regexIds = this.regexReplacements[lang];
    if (regexIds.length > 0) {
      for (const m of this.regexes.matchAll(text, regexIds)) {
        const entry = this.entryMap.get(m.ruleId);
        if (!entry) continue;
        const value = expandReplacement(entry.value, text.slice(m.start, m.end), m.groups);
        candidates.push({ start: m.start, end: m.end, entryId: m.ruleId, value, rank: 1 + regexIds.indexOf(m.ruleId) });
      }
    }
    candidates.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || a.rank - b.rank);
    const edits: ReplacementEdit[] = [];
    let out = '';
    let consumed = 0;
    for (const c of candidates) {
      if (c.start < consumed) continue;
      out += text.slice(consumed, c.start);
      const newStart = out.length;
      out += c.value;
      edits.push({ start: c.start, end: c.end, newStart, newEnd: out.length, entryId: c.entryId });
      consumed = c.end;
    }
    out += text.slice(consumed);
    return { text: out, edits, entryIds: [...new Set(edits.map((e) => e.entryId))] };
  }

  private findPhonemes(w: string, lang: G2PLang): Hit | undefined {
    const direct = findWord(this.phonemeWords, w, lang);
    if (direct) return direct;
    const ids = this.regexPhonemes[lang];
    if (ids.length === 0) return undefined;
    const id = this.regexes.firstFullMatch(w, ids);
    const entry = id === undefined ? undefined : this.entryMap.get(id);
    return entry && { id: entry.id, value: entry.value };
  }

  private literalMatchersFor(lang: G2PLang): RegExp[] {
    const cached = this.literalMatchers.get(lang);
    if (cached) return cached;
    const matchers: RegExp[] = [];
    for (const caseSensitive of [true, false]) {
      const patterns = [...this.entryMap.values()]
        .filter((e) => e.kind === 'replacement' && e.match === 'word' && e.caseSensitive === caseSensitive && (e.lang === lang || e.lang === 'all'))
        .map((e) => normalizeWord(e.pattern))
        .sort((a, b) => b.length - a.length);
      if (patterns.length === 0) continue;
      // Escaped literals in one alternation: no user regex syntax, so it is safe to run here.
      const alternation = [...new Set(patterns)].map(literalPattern).join('|');
      matchers.push(new RegExp(`(?<!${WORD_CHAR})(?:${alternation})(?!${WORD_CHAR})`, caseSensitive ? 'gu' : 'giu'));
    }
    this.literalMatchers.set(lang, matchers);
    return matchers;
  }
}


function wordKey(lang: LexiconLang, caseSensitive: boolean, key: string): string {
  return `${lang}\u0000${caseSensitive ? 'c' : 'i'}\u0000${key}`;
}

function findWord(words: Map<string, Hit>, w: string, lang: G2PLang): Hit | undefined {
  const lower = w.toLowerCase();
  for (const scope of [lang, 'all'] as const) {
    const hit = words.get(wordKey(scope, true, w)) ?? words.get(wordKey(scope, false, lower));
    if (hit) return hit;
  }
  return undefined;
}

/** A literal word or phrase as a regex: any run of space between words, either apostrophe. */
function literalPattern(phrase: string): string {
  return phrase
    .split(' ')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/'/g, "['‘’]"))
    .join('\\s+');
}
