import { AppError } from '../../src-shared/errors/catalogue';
import type { LexiconEntry } from '../../src-shared/lexicon/types';
import { lexiconToTsv, lexiconTsvToJson } from '../../src-shared/lexicon/tsv';
import type { Handlers } from './handlers';
import { LEXICON_EXPORT_FORMAT } from './library/lexicon';
import type { LexiconStore } from './library/lexicon';

type LexiconHandlers = Pick<Handlers, 'lexicon:list' | 'lexicon:set' | 'lexicon:delete' | 'lexicon:import' | 'lexicon:export'>;

/**
 * The user's pronunciations as the window edits them: the library's lexicon (as the CLI's
 * `lexicon` command uses it), and the engine told after every change so the next word spoken
 * already follows it.
 */
export class LexiconService {
  constructor(
    private readonly lexicon: LexiconStore,
    /** After a change: hand the engine the new entries. */
    private readonly onChanged: () => void,
  ) {}

  readonly handlers: LexiconHandlers = {
    'lexicon:list': (params) => Promise.resolve(this.list(params?.query)),
    'lexicon:set': (params) => Promise.resolve(this.changed(this.set(params))),
    'lexicon:delete': (params) => {
      if (!this.lexicon.remove(params.id)) throw AppError.of('LEXICON_ENTRY_NOT_FOUND', `(${params.id})`);
      return Promise.resolve(this.changed({ removed: true }));
    },
    'lexicon:import': (params) => {
      const json = params.format === 'json' ? params.text : fromTsv(params.text);
      return Promise.resolve(this.changed(this.lexicon.importJson(json, params.replaceAll ? 'replace' : 'merge')));
    },
    'lexicon:export': (params) => {
      const entries = this.lexicon.list();
      const text = params.format === 'json' ? this.lexicon.exportJson() : lexiconToTsv(entries);
      return Promise.resolve({ text, fileName: `pronunciations.${params.format}`, count: entries.length });
    },
  };

  /** Entries whose word or value contains the query (any case), in the order they were added. */
  list(query = ''): LexiconEntry[] {
    const needle = query.trim().toLocaleLowerCase();
    const entries = this.lexicon.list();
    return needle === '' ? entries : entries.filter((e) => e.pattern.toLocaleLowerCase().includes(needle) || e.value.toLocaleLowerCase().includes(needle));
  }

  private set(params: Parameters<LexiconHandlers['lexicon:set']>[0]): LexiconEntry {
    const { id, word, kind, value, lang } = params;
    if (id === undefined) return this.lexicon.add({ lang: lang ?? 'all', match: 'word', pattern: word, kind, value });
    if (!this.lexicon.get(id)) throw AppError.of('LEXICON_ENTRY_NOT_FOUND', `(${id})`);
    // An edited entry keeps how it matches (a regex rule from the CLI stays one).
    return this.lexicon.update(id, { pattern: word, kind, value, ...(lang ? { lang } : {}) });
  }

  private changed<T>(result: T): T {
    this.onChanged();
    return result;
  }
}

function fromTsv(text: string): string {
  const read = lexiconTsvToJson(text, LEXICON_EXPORT_FORMAT);
  if ('problem' in read) throw AppError.of('LEXICON_IMPORT_INVALID', `(${read.problem})`);
  return read.json;
}
