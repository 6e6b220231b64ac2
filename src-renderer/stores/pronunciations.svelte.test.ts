import { describe, expect, it } from 'vitest';
import type { LexiconEntry } from '../../src-shared/lexicon/types';
import { fail } from '../../src-shared/ipc/result';
import { PronunciationsStore } from './pronunciations.svelte';
import { StatusStore } from './status.svelte';
import { FakeApi } from './testing/fake-api';

const entry = (id: number, pattern: string, value: string): LexiconEntry => ({
  id,
  lang: 'all',
  match: 'word',
  pattern,
  kind: 'phonemes',
  value,
  caseSensitive: false,
  note: null,
  version: 1,
  createdAt: 0,
  updatedAt: 0,
});

function app(): { api: FakeApi; status: StatusStore; store: PronunciationsStore; entries: LexiconEntry[] } {
  const entries: LexiconEntry[] = [];
  const api = new FakeApi()
    .answer('lexicon:list', (params) => entries.filter((e) => !params?.query || e.pattern.includes(params.query)))
    .answer('lexicon:set', (params) => {
      const saved = entry(params.id ?? entries.length + 1, params.word, params.value);
      entries.splice(0, entries.length, ...entries.filter((e) => e.id !== saved.id), saved);
      return saved;
    })
    .answer('lexicon:delete', ({ id }) => {
      const at = entries.findIndex((e) => e.id === id);
      if (at >= 0) entries.splice(at, 1);
      return { removed: at >= 0 };
    });
  const status = new StatusStore(api);
  return { api, status, store: new PronunciationsStore(api, status), entries };
}

describe('PronunciationsStore', () => {
  it('saves a word, lists it, finds it by search, and removes it', async () => {
    const { api, status, store } = app();
    expect(await store.save({ word: 'kokoro', kind: 'phonemes', value: 'kˈOkəɹO', lang: 'all' })).toEqual({ saved: entry(1, 'kokoro', 'kˈOkəɹO') });
    expect(api.paramsOf('lexicon:set')).toEqual([{ word: 'kokoro', kind: 'phonemes', value: 'kˈOkəɹO', lang: 'all' }]);
    expect(status.message).toBe('Saved how to say “kokoro”.');
    expect(store.entries.map((e) => e.pattern)).toEqual(['kokoro']);
    await store.save({ word: 'tomato', kind: 'phonemes', value: 'təmˈAtO', lang: 'all' });
    await store.search('tom');
    expect(api.paramsOf('lexicon:list').at(-1)).toEqual({ query: 'tom' });
    expect(store.entries.map((e) => e.pattern)).toEqual(['tomato']);
    await store.save({ id: 2, word: 'tomato', kind: 'phonemes', value: 'təmˈɑtO', lang: 'en-gb' });
    expect(api.paramsOf('lexicon:set').at(-1)).toMatchObject({ id: 2, lang: 'en-gb' });
    expect(store.entries.map((e) => e.value)).toEqual(['təmˈɑtO']);
    expect(await store.remove(store.entries[0] as LexiconEntry)).toBe(true);
    expect(store.entries).toEqual([]);
  });

  it('gives the error to the field it concerns: the phonemes, or the word', async () => {
    const { api, store } = app();
    api.answer('lexicon:set', () => fail('LEXICON_RULE_INVALID', '(these are not Kokoro phoneme symbols: # $)'));
    expect(await store.save({ word: 'x', kind: 'phonemes', value: '#$', lang: 'all' })).toMatchObject({ field: 'value', error: { code: 'LEXICON_RULE_INVALID' } });
    api.answer('lexicon:set', () => fail('LEXICON_RULE_INVALID', '(the word has no letters or digits)'));
    expect(await store.save({ word: '!!', kind: 'phonemes', value: 'a', lang: 'all' })).toMatchObject({ field: 'word' });
    api.answer('lexicon:set', () => fail('LEXICON_RULE_INVALID', '(there is already an entry for "kokoro" (all); edit that one)'));
    expect(await store.save({ word: 'kokoro', kind: 'phonemes', value: 'a', lang: 'all' })).toMatchObject({ field: 'word' });
  });

  it('imports TSV or JSON by the file, and says what the import did or why it failed', async () => {
    const { api, store, status } = app();
    api.answer('lexicon:import', () => ({ added: 2, updated: 1, unchanged: 0, removed: 0 }));
    expect(await store.importFile(new File(['1\tall\tword\tphonemes\tkokoro\tkˈOkəɹO\n'], 'mine.tsv'))).toBe(true);
    expect(api.paramsOf('lexicon:import').at(-1)).toEqual({ text: '1\tall\tword\tphonemes\tkokoro\tkˈOkəɹO\n', format: 'tsv' });
    expect(store.note).toBe('Imported mine.tsv: 2 added, 1 changed, 0 already the same.');
    await store.importFile(new File(['{"format":"kokoro-reader-lexicon"}'], 'mine.json'));
    expect(api.paramsOf('lexicon:import').at(-1)?.format).toBe('json');
    api.answer('lexicon:import', () => fail('LEXICON_IMPORT_INVALID', '(it is not JSON)'));
    expect(await store.importFile(new File(['{'], 'bad.json'))).toBe(false);
    expect(status.error?.code).toBe('LEXICON_IMPORT_INVALID');
    expect(store.note).toContain('it is not JSON');
  });

  it('exports as the app writes it, naming how many went', async () => {
    const { api, store } = app();
    api.answer('lexicon:export', ({ format }) => ({ text: 'x', fileName: `pronunciations.${format}`, count: 3 }));
    expect(await store.exportAs('tsv')).toEqual({ text: 'x', fileName: 'pronunciations.tsv', count: 3 });
    expect(store.note).toBe('Exported 3 pronunciations as pronunciations.tsv.');
  });
});
