/**
 * The lexicon as tab-separated lines, the columns `kokoro-reader lexicon list` prints:
 * id, lang, match, kind, pattern, value. Reading them gives the JSON that `importJson` checks,
 * so a TSV file is validated the same way, all or nothing.
 */
import type { LexiconEntry } from './types';

export const LEXICON_TSV_COLUMNS = ['id', 'lang', 'match', 'kind', 'pattern', 'value'] as const;

/** One line per entry, as the CLI lists them (no header, so the two outputs are the same). */
export function lexiconToTsv(entries: readonly LexiconEntry[]): string {
  return entries.map((e) => `${e.id}\t${e.lang}\t${e.match}\t${e.kind}\t${e.pattern}\t${e.value}\n`).join('');
}

/**
 * Reads TSV lines into the export format's JSON. The id column is ignored (ids belong to one
 * library); blank lines, `#` comments and a header line are skipped; a value may hold tabs.
 * Lines with too few columns are refused by line number.
 */
export function lexiconTsvToJson(tsv: string, format: string): { json: string } | { problem: string } {
  const entries: Record<string, string>[] = [];
  const lines = tsv.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const cells = line.split('\t');
    if (index === 0 && cells[0]?.trim().toLowerCase() === 'id') continue;
    if (cells.length < LEXICON_TSV_COLUMNS.length) {
      return { problem: `line ${index + 1} has ${cells.length} column${cells.length === 1 ? '' : 's'}; each line needs ${LEXICON_TSV_COLUMNS.join(', ')}, separated by tabs` };
    }
    const [, lang = '', match = '', kind = '', pattern = '', ...value] = cells;
    entries.push({ lang, match, kind, pattern, value: value.join('\t') });
  }
  return { json: JSON.stringify({ format, version: 1, entries }) };
}
