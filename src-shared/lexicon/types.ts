import type { G2PLang } from '../g2p/types';
import type { TextRange } from '../text/segment';

/** 'all' applies to both accents; an entry for one accent wins over an 'all' entry. */
export type LexiconLang = G2PLang | 'all';
export type LexiconMatch = 'word' | 'regex';
export type LexiconKind = 'phonemes' | 'replacement';

export interface LexiconEntryInput {
  lang: LexiconLang;
  /** word: a word or phrase, matched whole; regex: a JavaScript regular expression (u flag). */
  match: LexiconMatch;
  pattern: string;
  /** phonemes: Kokoro symbols for the G2P; replacement: text substituted before the G2P. */
  kind: LexiconKind;
  /** Phonemes, or replacement text (regex rules may use $1..$9, $& and $$). */
  value: string;
  /** Default false. */
  caseSensitive?: boolean;
  note?: string | null;
}

export interface LexiconEntry {
  id: number;
  lang: LexiconLang;
  match: LexiconMatch;
  pattern: string;
  kind: LexiconKind;
  value: string;
  caseSensitive: boolean;
  note: string | null;
  /** 1 when created, +1 on every edit. */
  version: number;
  createdAt: number;
  updatedAt: number;
}

/** One substitution: [start, end) in the original text became [newStart, newEnd). */
export interface ReplacementEdit {
  start: number;
  end: number;
  newStart: number;
  newEnd: number;
  entryId: number;
}

export interface ReplacementResult {
  text: string;
  /** Sorted, non-overlapping; plain data, so it can cross to the engine process and back. */
  edits: ReplacementEdit[];
  /** Entries that changed the text: pass them to the audio cache's put(). */
  entryIds: number[];
}

/** A text with the user's replacements applied, with a map from its offsets back to the original's. */
export interface ReplacedText {
  text: string;
  toOriginal: (span: TextRange) => TextRange;
  /** The entries that changed the text, for the audio cache (per call: requests interleave). */
  entryIds: readonly number[];
}

/**
 * The user's replacement rules ("St" -> "Street") as the engines apply them before
 * normalisation; highlighting still lands on what the user sees through `toOriginal`.
 */
export interface TextReplacer {
  apply(text: string, lang: G2PLang): ReplacedText;
}

/** A user regex rule as the regex runner compiles it. */
export interface RegexRule {
  id: number;
  source: string;
  caseSensitive: boolean;
}

export interface RuleMatch {
  ruleId: number;
  start: number;
  end: number;
  /** Capture groups 1..n ('' for a group that did not take part). */
  groups: string[];
}

/**
 * Runs the user's regex rules under a time limit. User regexes can backtrack for ever, and
 * bounding them needs the platform (Node's `vm` in src-main), so the lexicon is given one.
 */
export interface RegexRunner {
  /** Rules switched off for the session after exceeding the time limit. */
  readonly disabled: Set<number>;
  setRules(rules: readonly RegexRule[]): void;
  /** Every match of the enabled rules among `ids`, in rule order then text order. */
  matchAll(text: string, ids: readonly number[]): RuleMatch[];
  /** The first of `ids` (in rule order) whose pattern matches the whole word. */
  firstFullMatch(word: string, ids: readonly number[]): number | undefined;
}

/** Makes the runner for a lexicon; `onRuleDisabled` is called when a rule is switched off. */
export type RegexRunnerFactory = (onRuleDisabled: (ruleId: number) => void) => RegexRunner;
