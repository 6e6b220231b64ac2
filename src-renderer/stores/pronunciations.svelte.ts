import type { ErrorData } from '../../src-shared/errors/catalogue';
import type { LexiconExport, ReaderApi } from '../../src-shared/ipc/contract';
import type { LexiconEntry, LexiconKind, LexiconLang } from '../../src-shared/lexicon/types';
import type { StatusStore } from './status.svelte';

/** A word and how to say it, as the editor's form holds it; `id` when an entry is being edited. */
export interface PronunciationDraft {
  id?: number | undefined;
  word: string;
  kind: LexiconKind;
  value: string;
  lang: LexiconLang;
}

/** Which field of the form an error is about: the word, or its phonemes or replacement. */
export type DraftField = 'word' | 'value';

export type ExportFormat = 'json' | 'tsv';

/** The user's pronunciations (the library's lexicon): listed, searched, added, edited, removed, imported and exported. */
export class PronunciationsStore {
  entries = $state<LexiconEntry[]>([]);
  query = $state('');
  /** Said after an import or export (how many entries), or why it failed. */
  note = $state('');
  /** Bumped by every search: an older answer arriving late is dropped. */
  private searches = 0;

  constructor(
    private readonly api: ReaderApi | undefined,
    private readonly status: StatusStore,
  ) {}

  /** Lists the entries whose word or value contains the query (all of them for none). */
  async search(query = this.query): Promise<void> {
    this.query = query;
    const asked = ++this.searches;
    const result = await this.api?.invoke('lexicon:list', query.trim() ? { query } : null);
    if (asked !== this.searches || !result) return;
    if (result.ok) this.entries = result.value;
    else this.status.fail(result.error);
  }

  /** Adds or changes an entry: the entry saved, or the error (for the field it concerns) when the lexicon refuses it. */
  async save(draft: PronunciationDraft): Promise<{ saved: LexiconEntry } | { field: DraftField; error: ErrorData } | undefined> {
    const result = await this.api?.invoke('lexicon:set', {
      ...(draft.id !== undefined ? { id: draft.id } : {}),
      word: draft.word,
      kind: draft.kind,
      value: draft.value,
      lang: draft.lang,
    });
    if (!result) return undefined;
    if (!result.ok) return { field: fieldOf(result.error), error: result.error };
    this.status.say(`Saved how to say “${result.value.pattern}”.`);
    await this.search();
    return { saved: result.value };
  }

  async remove(entry: LexiconEntry): Promise<boolean> {
    const result = await this.api?.invoke('lexicon:delete', { id: entry.id });
    if (!result) return false;
    if (!result.ok) this.status.fail(result.error);
    else this.status.say(`Removed “${entry.pattern}”.`);
    await this.search();
    return result.ok;
  }

  /** Imports a file exported before (JSON, or TSV as the CLI lists); all or nothing. */
  async importFile(file: File): Promise<boolean> {
    const text = await file.text();
    const format: ExportFormat = /\.(tsv|txt)$/i.test(file.name) || !text.trimStart().startsWith('{') ? 'tsv' : 'json';
    const result = await this.api?.invoke('lexicon:import', { text, format });
    if (!result) return false;
    if (!result.ok) {
      this.note = result.error.message;
      this.status.fail(result.error);
      return false;
    }
    const { added, updated, unchanged } = result.value;
    this.note = `Imported ${file.name}: ${added} added, ${updated} changed, ${unchanged} already the same.`;
    this.status.say(this.note);
    await this.search();
    return true;
  }

  /** The file to save, or undefined (with the reason shown) when the app could not write it. */
  async exportAs(format: ExportFormat): Promise<LexiconExport | undefined> {
    const result = await this.api?.invoke('lexicon:export', { format });
    if (!result) return undefined;
    if (!result.ok) {
      this.status.fail(result.error);
      return undefined;
    }
    this.note = `Exported ${result.value.count} pronunciation${result.value.count === 1 ? '' : 's'} as ${result.value.fileName}.`;
    return result.value;
  }
}

/** The lexicon names what is wrong in its message: the word (empty, too long, a duplicate), else the value. */
function fieldOf(error: ErrorData): DraftField {
  if (error.code !== 'LEXICON_RULE_INVALID') return 'value';
  return /\bthe word\b|already an entry|the word or phrase/i.test(error.message) ? 'word' : 'value';
}
