/** The lexicon and blend channels as the window uses them, over a real library. */
import { describe, expect, it } from 'vitest';
import { Library } from '../../src-main/services/library';
import { LexiconService } from '../../src-main/services/lexicon-service';
import { LibraryService } from '../../src-main/services/library-service';
import type { ClientContext } from '../../src-main/services/handlers';
import type { VoiceInfo } from '../../src-shared/speech/types';
import { AppError } from '../../src-shared/errors/catalogue';
import { useTempDirs } from './helpers';

const tempDir = useTempDirs();
/** The AppError a handler fails with, thrown or rejected. */
async function caught(call: () => Promise<unknown>): Promise<AppError | undefined> {
  try {
    await call();
  } catch (thrown) {
    if (thrown instanceof AppError) return thrown;
    throw thrown;
  }
  return undefined;
}

const client: ClientContext = { id: 'c', emit: () => undefined };

function service(): { lexicon: LexiconService; changes: () => number; close: () => void } {
  const library = Library.open({ dataDir: tempDir() });
  let changes = 0;
  return { lexicon: new LexiconService(library.lexicon, () => changes++), changes: () => changes, close: () => library.close() };
}

describe('LexiconService (lexicon:* channels)', () => {
  it('adds, searches, edits and deletes a word, telling the engine after each change', async () => {
    const { lexicon, changes, close } = service();
    const { handlers } = lexicon;
    const added = await handlers['lexicon:set']({ word: 'Kokoro', kind: 'phonemes', value: 'kˈOkəɹO' }, client);
    expect(added).toMatchObject({ pattern: 'Kokoro', kind: 'phonemes', value: 'kˈOkəɹO', lang: 'all', match: 'word' });
    await handlers['lexicon:set']({ word: 'Dr.', kind: 'replacement', value: 'Doctor' }, client);
    expect(changes()).toBe(2);
    expect((await handlers['lexicon:list']({ query: 'KOK' }, client)).map((e) => e.pattern)).toEqual(['Kokoro']);
    expect((await handlers['lexicon:list']({ query: 'doctor' }, client)).map((e) => e.pattern)).toEqual(['Dr.']);
    expect(await handlers['lexicon:list'](null, client)).toHaveLength(2);

    const edited = await handlers['lexicon:set']({ id: added.id, word: 'kokoro', kind: 'phonemes', value: 'kəkˈɔɹO', lang: 'en-gb' }, client);
    expect(edited).toMatchObject({ id: added.id, value: 'kəkˈɔɹO', lang: 'en-gb', version: 2 });
    expect(await handlers['lexicon:delete']({ id: added.id }, client)).toEqual({ removed: true });
    expect(changes()).toBe(4);
    expect((await caught(() => handlers['lexicon:delete']({ id: added.id }, client)))?.code).toBe('LEXICON_ENTRY_NOT_FOUND');
    close();
  });

  it('refuses phonemes that are not Kokoro symbols, naming them, and changes nothing', async () => {
    const { lexicon, changes, close } = service();
    const error = await caught(() => lexicon.handlers['lexicon:set']({ word: 'tomato', kind: 'phonemes', value: 'tə#mA$' }, client));
    expect(error?.code).toBe('LEXICON_RULE_INVALID');
    expect(error?.message).toContain('these are not Kokoro phoneme symbols: # $');
    expect(changes()).toBe(0);
    close();
  });

  it('exports JSON and TSV, and imports both (TSV as `lexicon list` prints it)', async () => {
    const { lexicon, close } = service();
    const { handlers } = lexicon;
    await handlers['lexicon:set']({ word: 'kokoro', kind: 'phonemes', value: 'kˈOkəɹO' }, client);
    const json = await handlers['lexicon:export']({ format: 'json' }, client);
    expect(json).toMatchObject({ fileName: 'pronunciations.json', count: 1 });
    expect(JSON.parse(json.text)).toMatchObject({ format: 'kokoro-reader-lexicon', entries: [{ pattern: 'kokoro', value: 'kˈOkəɹO' }] });
    const tsv = await handlers['lexicon:export']({ format: 'tsv' }, client);
    expect(tsv.text).toMatch(/^\d+\tall\tword\tphonemes\tkokoro\tkˈOkəɹO\n$/);

    const other = service();
    expect(await other.lexicon.handlers['lexicon:import']({ text: tsv.text, format: 'tsv' }, client)).toEqual({ added: 1, updated: 0, unchanged: 0, removed: 0 });
    expect(await other.lexicon.handlers['lexicon:import']({ text: json.text, format: 'json' }, client)).toEqual({ added: 0, updated: 0, unchanged: 1, removed: 0 });
    const bad = await caught(() => other.lexicon.handlers['lexicon:import']({ text: 'kokoro\tx\n', format: 'tsv' }, client));
    expect(bad?.code).toBe('LEXICON_IMPORT_INVALID');
    expect(bad?.message).toContain('line 1 has 2 columns');
    other.close();
    close();
  });
});

describe('LibraryService.deleteBlend (voices:blend-delete)', () => {
  const installed: VoiceInfo[] = ['af_heart', 'bf_emma'].map((v) => ({ id: `kokoro:${v}`, engine: 'kokoro', name: v, language: 'en-US' }));

  it('deletes the blend listed under a voice id, and nothing for an engine voice', () => {
    const library = new LibraryService(Library.open({ dataDir: tempDir() }));
    const blend = library.saveBlend('Warm narrator', 'af_heart*0.6+bf_emma*0.4', installed);
    expect(library.blendVoices(installed).map((v) => v.id)).toEqual([blend.id]);
    expect(library.deleteBlend('kokoro:af_heart', installed)).toBe(false);
    expect(library.deleteBlend(blend.id, installed)).toBe(true);
    expect(library.blendVoices(installed)).toEqual([]);
    library.close();
  });
});
