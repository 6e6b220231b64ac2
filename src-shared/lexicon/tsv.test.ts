import { describe, expect, it } from 'vitest';
import type { LexiconEntry } from './types';
import { lexiconToTsv, lexiconTsvToJson } from './tsv';

const entry = (id: number, pattern: string, value: string, kind: LexiconEntry['kind'] = 'phonemes'): LexiconEntry => ({
  id,
  lang: 'all',
  match: 'word',
  pattern,
  kind,
  value,
  caseSensitive: false,
  note: null,
  version: 1,
  createdAt: 0,
  updatedAt: 0,
});

describe('the lexicon as TSV', () => {
  it('writes the columns the CLI lists, and reads them back as the export JSON', () => {
    const tsv = lexiconToTsv([entry(3, 'kokoro', 'kˈOkəɹO'), entry(9, 'Dr.', 'Doctor', 'replacement')]);
    expect(tsv).toBe('3\tall\tword\tphonemes\tkokoro\tkˈOkəɹO\n9\tall\tword\treplacement\tDr.\tDoctor\n');
    const read = lexiconTsvToJson(tsv, 'kokoro-reader-lexicon');
    expect('json' in read && JSON.parse(read.json)).toEqual({
      format: 'kokoro-reader-lexicon',
      version: 1,
      entries: [
        { lang: 'all', match: 'word', kind: 'phonemes', pattern: 'kokoro', value: 'kˈOkəɹO' },
        { lang: 'all', match: 'word', kind: 'replacement', pattern: 'Dr.', value: 'Doctor' },
      ],
    });
  });

  it('skips a header, comments and blank lines, keeps tabs in a value, and names a short line', () => {
    const read = lexiconTsvToJson('id\tlang\tmatch\tkind\tpattern\tvalue\r\n# mine\n\n\ten-gb\tword\treplacement\tetc\tet\tcetera\n', 'f');
    expect('json' in read && JSON.parse(read.json).entries).toEqual([{ lang: 'en-gb', match: 'word', kind: 'replacement', pattern: 'etc', value: 'et\tcetera' }]);
    expect(lexiconTsvToJson('1\tall\tword\tkokoro\n', 'f')).toEqual({
      problem: 'line 1 has 4 columns; each line needs id, lang, match, kind, pattern, value, separated by tabs',
    });
  });
});
