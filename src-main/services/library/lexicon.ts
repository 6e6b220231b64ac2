import { BoundedCache } from '../../../src-shared/cache/bounded-cache';
import { AppError, errorData } from '../../../src-shared/errors/catalogue';
import type { ErrorData } from '../../../src-shared/errors/catalogue';
import type { SqliteDatabase } from './database';
import { RegexSandbox, patternProblem } from './safe-regex';

export type G2PLang = 'en-us' | 'en-gb';
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

/** The front-end's user-lexicon interface (src-shared/g2p/types.ts), structurally. */
export interface UserLexicon {
  lookup(word: string, lang: G2PLang): string | undefined;
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

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

export interface LexiconStoreOptions {
  /** After an entry is edited or removed: invalidate the cached audio that used it. */
  onEntryChanged?: (entryId: number) => void;
  /** A rule was switched off for this session (its regex ran past the time limit). */
  onProblem?: (problem: ErrorData) => void;
  /** Time limit for one run of the user regexes over a text or a word. */
  regexTimeoutMs?: number;
  now?: () => number;
}

export const LEXICON_EXPORT_FORMAT = 'kokoro-reader-lexicon';
const MAX_IMPORT_ENTRIES = 10_000;
const MAX_VALUE_LENGTH = 500;
/** Kokoro's vocabulary (vocab.json): phoneme entries may use these symbols and nothing else. */
const KOKORO_SYMBOLS = new Set([...';:,.!?—…"()“” \u0303ʣʥʦʨᵝꭧAIOQSTWYᵊabcdefhijklmnopqrstuvwxyzɑɐɒæβɔɕçɖðʤəɚɛɜɟɡɥɨɪʝɯɰŋɳɲɴøɸθœɹɾɻʁɽʂʃʈʧʊʋʌɣɤχʎʒʔˈˌːʰʲ↓→↗↘ᵻ']);
const LANGS: readonly LexiconLang[] = ['en-us', 'en-gb', 'all'];
const MATCHES: readonly LexiconMatch[] = ['word', 'regex'];
const KINDS: readonly LexiconKind[] = ['phonemes', 'replacement'];
const WORD_CHAR = '[\\p{L}\\p{N}_]';
const MEMO_LIMIT = 20_000;

/** Curly apostrophes straight, compatibility forms folded, runs of space as one (as the G2P does). */
export function normalizeWord(word: string): string {
  return word.normalize('NFKC').replace(/[‘’]/g, "'").trim().replace(/\s+/g, ' ');
}

interface EntryRow {
  id: number;
  lang: LexiconLang;
  match: LexiconMatch;
  pattern: string;
  match_key: string;
  kind: LexiconKind;
  value: string;
  case_sensitive: number;
  version: number;
  created_at: number;
  updated_at: number;
  note: string | null;
}

interface Hit {
  id: number;
  value: string;
}

export interface LexiconIndexOptions {
  /** Time limit for one run of the user regexes over a text or a word. Default 100 ms. */
  regexTimeoutMs?: number;
  /** A regex rule exceeded the time limit and is switched off for this session. */
  onRuleDisabled?: (entry: LexiconEntry | undefined, id: number) => void;
}

/**
 * The lexicon's entries compiled for use: the G2P adapter and the replacement pre-pass. Pure
 * (no database), so the engine process can build one from `LexiconStore.list()` sent over IPC.
 */
export class LexiconIndex {
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
  private readonly sandbox: RegexSandbox;

  constructor(entries: readonly LexiconEntry[] = [], options: LexiconIndexOptions = {}) {
    this.sandbox = new RegexSandbox(options.regexTimeoutMs ?? 100, (id) => {
      this.memo.clear();
      options.onRuleDisabled?.(this.entryMap.get(id), id);
    });
    this.setEntries(entries);
  }

  /** Replaces the entries. A disabled rule gets another chance only if its pattern changed. */
  setEntries(entries: readonly LexiconEntry[]): void {
    const before = this.entryMap;
    this.entryMap = new Map(entries.map((e) => [e.id, e]));
    for (const id of [...this.sandbox.disabled]) {
      if (this.entryMap.get(id)?.pattern !== before.get(id)?.pattern) this.sandbox.disabled.delete(id);
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
    this.sandbox.setRules(sorted.filter((e) => e.match === 'regex').map((e) => ({ id: e.id, source: e.pattern, caseSensitive: e.caseSensitive })));
  }

  entries(): LexiconEntry[] {
    return [...this.entryMap.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): LexiconEntry | undefined {
    return this.entryMap.get(id);
  }

  /** Rules switched off this session because they exceeded the regex time limit. */
  disabledRules(): number[] {
    return [...this.sandbox.disabled];
  }

  /**
   * The adapter for the G2P (phoneme entries only). Pass a set to learn which entries were
   * used, for the audio cache's put().
   */
  userLexicon(used?: Set<number>): UserLexicon {
    return {
      lookup: (word, lang) => {
        const hit = this.lookupEntry(word, lang);
        if (hit) used?.add(hit.id);
        return hit?.phonemes;
      },
    };
  }

  /**
   * The phoneme entry for a word: exact spelling (case-sensitive entries) before the lowercase
   * form, this accent before 'all', whole words before regex rules (matched against the whole word).
   */
  lookupEntry(word: string, lang: G2PLang): { id: number; phonemes: string } | undefined {
    const w = normalizeWord(word);
    if (w === '') return undefined;
    const memoKey = `${lang}\u0000${w}`;
    let hit = this.memo.get(memoKey);
    if (hit === undefined) {
      hit = this.findPhonemes(w, lang) ?? null;
      this.memo.set(memoKey, hit);
    }
    return hit === null ? undefined : { id: hit.id, phonemes: hit.value };
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
      for (const m of this.sandbox.matchAll(text, regexIds)) {
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
    const id = this.sandbox.firstFullMatch(w, ids);
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

/**
 * The user's pronunciation lexicon as stored in the library: entries with versions, import and
 * export, and (through its LexiconIndex) the G2P adapter and the replacement pre-pass.
 */
export class LexiconStore {
  readonly index: LexiconIndex;
  private readonly now: () => number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: LexiconStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.index = new LexiconIndex([], {
      ...(options.regexTimeoutMs !== undefined ? { regexTimeoutMs: options.regexTimeoutMs } : {}),
      onRuleDisabled: (entry, id) =>
        options.onProblem?.(
          errorData('LEXICON_RULE_INVALID', `(the rule "${entry?.pattern ?? id}" took too long and is switched off until the app restarts; simplify it)`, { entryId: id }),
        ),
    });
    this.reload();
  }

  list(filter: { lang?: LexiconLang; kind?: LexiconKind } = {}): LexiconEntry[] {
    return this.index.entries().filter((e) => (filter.lang === undefined || e.lang === filter.lang) && (filter.kind === undefined || e.kind === filter.kind));
  }

  get(id: number): LexiconEntry | undefined {
    return this.index.get(id);
  }

  disabledRules(): number[] {
    return this.index.disabledRules();
  }

  userLexicon(used?: Set<number>): UserLexicon {
    return this.index.userLexicon(used);
  }

  lookupEntry(word: string, lang: G2PLang): { id: number; phonemes: string } | undefined {
    return this.index.lookupEntry(word, lang);
  }

  applyReplacements(text: string, lang: G2PLang): ReplacementResult {
    return this.index.applyReplacements(text, lang);
  }

  add(input: LexiconEntryInput): LexiconEntry {
    const e = validateEntry(input);
    const now = this.now();
    const id = this.db.write((db) => {
      this.assertNoDuplicate(e);
      return Number(
        db
          .prepare(
            `INSERT INTO lexicon_entries (lang, match, pattern, match_key, kind, value, case_sensitive, version, created_at, updated_at, note)
             VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
          )
          .run(e.lang, e.match, e.pattern, matchKey(e), e.kind, e.value, e.caseSensitive ? 1 : 0, now, now, e.note).lastInsertRowid,
      );
    });
    this.reload();
    return this.mustGet(id);
  }

  /** Edits an entry: its version goes up and cached audio that used it is invalidated. */
  update(id: number, patch: Partial<LexiconEntryInput>): LexiconEntry {
    this.db.write((db) => {
      // Merge onto the stored row, not the in-memory copy: another process may have changed
      // other fields since this one last reloaded.
      const row = db.prepare('SELECT * FROM lexicon_entries WHERE id = ?').get(id) as EntryRow | undefined;
      if (!row) throw AppError.of('LEXICON_RULE_INVALID', `(there is no entry ${id})`, { entryId: id });
      const e = validateEntry({ ...rowToEntry(row), ...patch });
      this.assertNoDuplicate(e, id);
      db.prepare(
        `UPDATE lexicon_entries SET lang = ?, match = ?, pattern = ?, match_key = ?, kind = ?, value = ?, case_sensitive = ?, note = ?,
           version = version + 1, updated_at = ? WHERE id = ?`,
      ).run(e.lang, e.match, e.pattern, matchKey(e), e.kind, e.value, e.caseSensitive ? 1 : 0, e.note, this.now(), id);
    });
    this.reload();
    this.options.onEntryChanged?.(id);
    return this.mustGet(id);
  }

  remove(id: number): boolean {
    const removed = this.db.write((db) => db.prepare('DELETE FROM lexicon_entries WHERE id = ?').run(id).changes > 0);
    if (removed) {
      this.reload();
      this.options.onEntryChanged?.(id);
    }
    return removed;
  }

  /** JSON for a file: the entries without ids, so it can be imported into another library. */
  exportJson(): string {
    const entries = this.index.entries().map((e) => ({
      lang: e.lang,
      match: e.match,
      pattern: e.pattern,
      kind: e.kind,
      value: e.value,
      caseSensitive: e.caseSensitive,
      ...(e.note !== null ? { note: e.note } : {}),
    }));
    return JSON.stringify({ format: LEXICON_EXPORT_FORMAT, version: 1, entries }, null, 2);
  }

  /**
   * Imports exported JSON, all or nothing: every entry is validated first. merge (default)
   * adds new rules and updates the value of matching ones; replace removes the rest.
   */
  importJson(json: string, mode: 'merge' | 'replace' = 'merge'): ImportSummary {
    const inputs = parseImport(json);
    const now = this.now();
    const changed: number[] = [];
    const summary = this.db.write((db) => {
      const result: ImportSummary = { added: 0, updated: 0, unchanged: 0, removed: 0 };
      const keep = new Set<number>();
      const find = db.prepare('SELECT * FROM lexicon_entries WHERE lang = ? AND match = ? AND kind = ? AND case_sensitive = ? AND match_key = ?');
      const insert = db.prepare(
        `INSERT INTO lexicon_entries (lang, match, pattern, match_key, kind, value, case_sensitive, version, created_at, updated_at, note)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
      );
      const update = db.prepare('UPDATE lexicon_entries SET pattern = ?, value = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ?');
      for (const e of inputs) {
        const existing = find.get(e.lang, e.match, e.kind, e.caseSensitive ? 1 : 0, matchKey(e)) as EntryRow | undefined;
        if (!existing) {
          keep.add(Number(insert.run(e.lang, e.match, e.pattern, matchKey(e), e.kind, e.value, e.caseSensitive ? 1 : 0, now, now, e.note).lastInsertRowid));
          result.added++;
        } else if (existing.value !== e.value || existing.pattern !== e.pattern || existing.note !== e.note) {
          update.run(e.pattern, e.value, e.note, now, existing.id);
          keep.add(existing.id);
          changed.push(existing.id);
          result.updated++;
        } else {
          keep.add(existing.id);
          result.unchanged++;
        }
      }
      if (mode === 'replace') {
        for (const id of db.prepare('SELECT id FROM lexicon_entries').pluck().all() as number[]) {
          if (keep.has(id)) continue;
          db.prepare('DELETE FROM lexicon_entries WHERE id = ?').run(id);
          changed.push(id);
          result.removed++;
        }
      }
      return result;
    });
    this.reload();
    for (const id of changed) this.options.onEntryChanged?.(id);
    return summary;
  }

  private assertNoDuplicate(e: ValidEntry, exceptId?: number): void {
    const row = this.db.connection
      .prepare('SELECT id FROM lexicon_entries WHERE lang = ? AND match = ? AND kind = ? AND case_sensitive = ? AND match_key = ?')
      .get(e.lang, e.match, e.kind, e.caseSensitive ? 1 : 0, matchKey(e)) as { id: number } | undefined;
    if (row && row.id !== exceptId) {
      throw AppError.of('LEXICON_RULE_INVALID', `(there is already an entry for "${e.pattern}" (${e.lang}); edit that one)`, { entryId: row.id });
    }
  }

  private mustGet(id: number): LexiconEntry {
    const entry = this.index.get(id);
    if (!entry) throw AppError.of('INTERNAL', `(lexicon entry ${id} vanished)`);
    return entry;
  }

  private reload(): void {
    const rows = this.db.run((db) => db.prepare('SELECT * FROM lexicon_entries ORDER BY id').all() as EntryRow[]);
    this.index.setEntries(rows.map(rowToEntry));
  }
}

type ValidEntry = Omit<LexiconEntry, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/** Checks an entry before it is saved; throws LEXICON_RULE_INVALID saying what is wrong. */
export function validateEntry(input: LexiconEntryInput): ValidEntry {
  const invalid = (why: string): never => {
    throw AppError.of('LEXICON_RULE_INVALID', `(${why})`, { pattern: typeof input?.pattern === 'string' ? input.pattern : null });
  };
  if (typeof input !== 'object' || input === null) invalid('an entry must be an object');
  if (!LANGS.includes(input.lang)) invalid(`the language must be one of ${LANGS.join(', ')}`);
  if (!MATCHES.includes(input.match)) invalid('match must be "word" or "regex"');
  if (!KINDS.includes(input.kind)) invalid('kind must be "phonemes" or "replacement"');
  if (typeof input.pattern !== 'string') invalid('the word or pattern is missing');
  if (typeof input.value !== 'string') invalid('the pronunciation or replacement is missing');
  if (input.caseSensitive !== undefined && typeof input.caseSensitive !== 'boolean') invalid('caseSensitive must be true or false');
  if (input.note !== undefined && input.note !== null && typeof input.note !== 'string') invalid('the note must be text');
  const caseSensitive = input.caseSensitive ?? false;
  let pattern = input.pattern;
  if (input.match === 'word') {
    pattern = normalizeWord(pattern);
    if (pattern === '') invalid('the word is empty');
    if (pattern.length > 100) invalid('the word or phrase is longer than 100 characters');
    if (!/[\p{L}\p{N}]/u.test(pattern)) invalid('the word has no letters or digits');
  } else {
    const problem = patternProblem(pattern, caseSensitive);
    if (problem) invalid(`"${pattern}": ${problem}`);
  }
  const value = input.kind === 'phonemes' ? input.value.trim() : input.value;
  if (value.length > MAX_VALUE_LENGTH) invalid(`the value is longer than ${MAX_VALUE_LENGTH} characters`);
  if (input.kind === 'phonemes') {
    if (value === '') invalid('the pronunciation is empty');
    const unknown = [...new Set([...value].filter((ch) => !KOKORO_SYMBOLS.has(ch)))];
    if (unknown.length > 0) invalid(`these are not Kokoro phoneme symbols: ${unknown.join(' ')}`);
  }
  return { lang: input.lang, match: input.match, pattern, kind: input.kind, value, caseSensitive, note: input.note ?? null };
}

function parseImport(json: string): ValidEntry[] {
  const invalid = (why: string, data?: Record<string, unknown>): never => {
    throw AppError.of('LEXICON_IMPORT_INVALID', `(${why})`, data);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (thrown) {
    return invalid(`it is not JSON: ${(thrown as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null) return invalid('it is not a pronunciation list');
  const doc = parsed as { format?: unknown; version?: unknown; entries?: unknown };
  if (doc.format !== LEXICON_EXPORT_FORMAT) invalid(`"format" must be "${LEXICON_EXPORT_FORMAT}"`);
  if (doc.version !== 1) invalid(`version ${String(doc.version)} is not supported`);
  if (!Array.isArray(doc.entries)) return invalid('"entries" must be a list');
  if (doc.entries.length > MAX_IMPORT_ENTRIES) invalid(`more than ${MAX_IMPORT_ENTRIES} entries`);
  const problems: string[] = [];
  const valid: ValidEntry[] = [];
  const seen = new Set<string>();
  doc.entries.forEach((raw, i) => {
    try {
      const e = validateEntry(raw as LexiconEntryInput);
      const key = `${e.lang}\u0000${e.match}\u0000${e.kind}\u0000${e.caseSensitive}\u0000${matchKey(e)}`;
      if (seen.has(key)) throw AppError.of('LEXICON_RULE_INVALID', `(a second entry for "${e.pattern}")`);
      seen.add(key);
      valid.push(e);
    } catch (thrown) {
      problems.push(`entry ${i + 1}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
  });
  if (problems.length > 0) invalid(`${problems.length} invalid entr${problems.length === 1 ? 'y' : 'ies'}; nothing was imported. ${problems.slice(0, 3).join(' ')}`, { problems: problems.slice(0, 50) });
  return valid;
}

function matchKey(e: { match: LexiconMatch; pattern: string; caseSensitive: boolean }): string {
  if (e.match === 'regex') return e.pattern;
  const w = normalizeWord(e.pattern);
  return e.caseSensitive ? w : w.toLowerCase();
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

/** $1..$9, $& and $$ in a regex rule's replacement text, as String.prototype.replace does. */
export function expandReplacement(template: string, matched: string, groups: readonly string[]): string {
  return template.replace(/\$(\$|&|[1-9])/g, (token, what: string) => {
    if (what === '$') return '$';
    if (what === '&') return matched;
    const n = Number(what);
    return n <= groups.length ? (groups[n - 1] ?? '') : token;
  });
}

function rowToEntry(row: EntryRow): LexiconEntry {
  return {
    id: row.id,
    lang: row.lang,
    match: row.match,
    pattern: row.pattern,
    kind: row.kind,
    value: row.value,
    caseSensitive: row.case_sensitive === 1,
    note: row.note,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Maps an offset in the replaced text back to the original. Inside a replacement, 'start'
 * gives the replaced stretch's start and 'end' its end, so a highlighted word that was
 * replaced covers exactly what the reader sees.
 */
export function toOriginalOffset(edits: readonly ReplacementEdit[], offset: number, bias: 'start' | 'end' = 'start'): number {
  const e = lastAtOrBefore(edits, offset, (x) => x.newStart);
  if (!e) return offset;
  if (offset === e.newStart) return bias === 'end' || e.newEnd > e.newStart ? e.start : e.end;
  if (offset >= e.newEnd) return e.end + (offset - e.newEnd);
  return bias === 'start' ? e.start : e.end;
}

export function toOriginalSpan(edits: readonly ReplacementEdit[], span: { start: number; end: number }): { start: number; end: number } {
  const start = toOriginalOffset(edits, span.start, 'start');
  return { start, end: Math.max(start, toOriginalOffset(edits, span.end, 'end')) };
}

/** The other way: an offset in the original (e.g. a saved position) in the replaced text. */
export function toReplacedOffset(edits: readonly ReplacementEdit[], offset: number): number {
  const e = lastAtOrBefore(edits, offset, (x) => x.start);
  if (!e) return offset;
  if (offset >= e.end) return e.newEnd + (offset - e.end);
  return e.newStart;
}

function lastAtOrBefore(edits: readonly ReplacementEdit[], offset: number, at: (e: ReplacementEdit) => number): ReplacementEdit | undefined {
  let lo = 0;
  let hi = edits.length - 1;
  let found: ReplacementEdit | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = edits[mid];
    if (e !== undefined && at(e) <= offset) {
      found = e;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The index's replacement rules as the text front-end takes them; `used` collects the entries applied. */
export function lexiconReplacer(index: LexiconIndex, used?: Set<number>): { apply(text: string, lang: G2PLang): { text: string; toOriginal: (span: { start: number; end: number }) => { start: number; end: number } } } {
  return {
    apply(text, lang) {
      const result = index.applyReplacements(text, lang);
      for (const id of result.entryIds) used?.add(id);
      return { text: result.text, toOriginal: (span) => toOriginalSpan(result.edits, span) };
    },
  };
}
