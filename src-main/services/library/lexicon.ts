import { AppError, errorData } from '../../../src-shared/errors/catalogue';
import type { ErrorData } from '../../../src-shared/errors/catalogue';
import type { G2PLang, UserLexicon } from '../../../src-shared/g2p/types';
import { LexiconIndex, matchKey, normalizeWord } from '../../../src-shared/lexicon/index';
import type { LexiconEntry, LexiconEntryInput, LexiconIndexOptions, LexiconKind, LexiconLang, LexiconMatch, ReplacementResult } from '../../../src-shared/lexicon/index';
import type { SqliteDatabase } from './database';
import { RegexSandbox, patternProblem } from './safe-regex';

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

/** A LexiconIndex whose regex rules run in the vm sandbox, with a time limit (default 100 ms). */
export function sandboxedLexiconIndex(
  entries: readonly LexiconEntry[] = [],
  options: Omit<LexiconIndexOptions, 'regexRunner'> & { regexTimeoutMs?: number } = {},
): LexiconIndex {
  const { regexTimeoutMs, ...rest } = options;
  return new LexiconIndex({ ...rest, regexRunner: (onRuleDisabled) => new RegexSandbox(regexTimeoutMs ?? 100, onRuleDisabled) }, entries);
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
    this.index = sandboxedLexiconIndex([], {
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

  /** The phoneme entries, for the G2P. */
  userLexicon(): UserLexicon {
    return this.index;
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
