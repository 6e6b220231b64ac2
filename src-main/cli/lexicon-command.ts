import { readFile, writeFile } from 'node:fs/promises';
import { AppError } from '../../src-shared/errors/catalogue';
import { fileError } from '../services/import/file-errors';
import { openLibrary } from './open-library';
import type { LexiconEntryInput } from '../../src-shared/lexicon/index';
import { lexiconToTsv, lexiconTsvToJson } from '../../src-shared/lexicon/tsv';
import { LEXICON_EXPORT_FORMAT } from '../services/library/lexicon';
import { COMMANDS, UsageError, parseCommand } from './usage';
import type { Write } from './text-commands';

const LEXICON_LANGS = ['en-us', 'en-gb', 'all'] as const;

/** `kokoro-reader lexicon …`: the user's pronunciations, kept in the library of a data folder. */
export async function lexiconCommand(args: string[], write: Write, dataDir: string): Promise<void> {
  const { values, positionals } = parseCommand(COMMANDS.lexicon, args);
  const [action, ...rest] = positionals;
  const library = openLibrary(values['data-dir'] ?? dataDir);
  try {
    const lexicon = library.lexicon;
    switch (action) {
      case 'list': {
        const entries = lexicon.list();
        if (values.json) write(`${JSON.stringify(entries, null, 2)}\n`);
        else for (const e of entries) write(`${e.id}\t${e.lang}\t${e.match}\t${e.kind}\t${e.pattern}\t${e.value}\n`);
        return;
      }
      case 'add': {
        const [pattern, value] = rest;
        if (!pattern || value === undefined) throw new UsageError('lexicon add needs a word (or pattern) and its value', COMMANDS.lexicon);
        const lang = LEXICON_LANGS.find((l) => l === values.lang?.toLowerCase());
        if (!lang) throw new UsageError(`--lang must be en-us, en-gb or all, got "${values.lang}"`, COMMANDS.lexicon);
        const input: LexiconEntryInput = {
          lang,
          match: values.regex ? 'regex' : 'word',
          pattern,
          kind: values.replace ? 'replacement' : 'phonemes',
          value,
          caseSensitive: values['case-sensitive'] ?? false,
        };
        const entry = lexicon.add(input);
        write(`added ${entry.id}: ${entry.pattern} -> ${entry.value}\n`);
        return;
      }
      case 'remove': {
        const id = Number(rest[0]);
        if (!Number.isInteger(id)) throw new UsageError('lexicon remove needs the id of an entry (see `lexicon list`)');
        if (!lexicon.remove(id)) throw AppError.of('LEXICON_ENTRY_NOT_FOUND', `(${id})`);
        write(`removed ${id}\n`);
        return;
      }
      case 'export': {
        const [file] = rest;
        if (!file) throw new UsageError('lexicon export needs a FILE');
        await writeFile(file, isTsv(file) ? lexiconToTsv(lexicon.list()) : lexicon.exportJson()).catch((thrown: unknown) => {
          throw (thrown as NodeJS.ErrnoException).code === 'EISDIR'
            ? AppError.of('PATH_IS_FOLDER', `(${file})`)
            : AppError.of('OUTPUT_UNWRITABLE', `(${file}: ${(thrown as NodeJS.ErrnoException).code ?? String(thrown)})`);
        });
        write(`exported ${lexicon.list().length} entries to ${file}\n`);
        return;
      }
      case 'import': {
        const [file] = rest;
        if (!file) throw new UsageError('lexicon import needs a FILE');
        const text = await readFile(file, 'utf8').catch((thrown: unknown) => {
          throw fileError(thrown, file);
        });
        const json = isTsv(file) ? tsvAsJson(text) : text;
        const summary = lexicon.importJson(json, values['replace-all'] ? 'replace' : 'merge');
        write(`${JSON.stringify(summary)}\n`);
        return;
      }
      default:
        throw new UsageError(action ? `unknown lexicon action "${action}"` : 'lexicon needs an action', COMMANDS.lexicon);
    }
  } finally {
    library.close();
  }
}

/** `.tsv`: the columns `lexicon list` prints; anything else is the JSON export. */
function isTsv(file: string): boolean {
  return /\.tsv$/i.test(file);
}

function tsvAsJson(text: string): string {
  const read = lexiconTsvToJson(text, LEXICON_EXPORT_FORMAT);
  if ('problem' in read) throw AppError.of('LEXICON_IMPORT_INVALID', `(${read.problem})`);
  return read.json;
}
