import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { childProcessTransport } from '../../src-main/services/engine/child-process-transport';
import { Library } from '../../src-main/services/library/index';
import { planSegments } from '../../src-shared/speech/plan';
import { writeKokoroFixture } from '../helpers/kokoro-fixtures';
import { ENGINE_ENTRY, ROOT, requireBuild } from '../helpers/paths';

const dir = mkdtempSync(join(tmpdir(), 'kokoro-lexicon-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lexicon entry ids per audio-cache entry, each list sorted, the lists sorted by their first id. */
function lexiconIdsPerCacheEntry(library: Library): number[][] {
  const rows = library.cache.db.run((c) => c.prepare('SELECT e.id AS entry, l.lexicon_entry_id AS lexicon FROM entries e LEFT JOIN entry_lexicon l ON l.entry_id = e.id').all() as { entry: number; lexicon: number | null }[]);
  const byEntry = new Map<number, number[]>();
  for (const row of rows) {
    const ids = byEntry.get(row.entry) ?? [];
    if (row.lexicon !== null) ids.push(row.lexicon);
    byEntry.set(row.entry, ids);
  }
  return [...byEntry.values()].map((ids) => ids.sort((a, b) => a - b)).sort((a, b) => (a[0] ?? -1) - (b[0] ?? -1));
}

describe("two concurrent sessions with different entries of the user's lexicon", () => {
  it('record only their own entry ids in the audio cache, so editing one entry invalidates only the audio that used it', async () => {
    requireBuild();
    const modelDir = join(dir, 'model');
    const dataDir = join(dir, 'data');
    mkdirSync(modelDir);
    writeKokoroFixture(modelDir, 'descriptive');
    copyFileSync(join(ROOT, '..', 'shared', 'kokoro', 'vocab.json'), join(modelDir, 'vocab.json'));

    const library = Library.open({ dataDir });
    const engine = new EngineSupervisor(childProcessTransport(ENGINE_ENTRY, { stderr: 'ignore' }), { config: { modelDir, dataDir } });
    try {
      const kokoro = library.lexicon.add({ lang: 'all', match: 'word', pattern: 'Kokoro', kind: 'phonemes', value: 'kˈOkəɹO' });
      const misaki = library.lexicon.add({ lang: 'all', match: 'word', pattern: 'Misaki', kind: 'phonemes', value: 'misˈɑki' });
      await engine.request('lexicon', { entries: library.lexicon.list() }).result;

      // Both requests are in the engine at once, as from two windows.
      const speak = (text: string) => engine.request('synthesize', { engine: 'kokoro', voice: 'af_heart', speed: 1, segments: planSegments(text) }).result;
      await Promise.all([speak('Kokoro reads.'), speak('Misaki reads.')]);
      expect(lexiconIdsPerCacheEntry(library)).toEqual([[kokoro.id], [misaki.id]]);

      // A new pronunciation of "Kokoro" drops the audio that used the old one, and only that.
      library.lexicon.update(kokoro.id, { value: 'kəkˈɔɹO' });
      expect(lexiconIdsPerCacheEntry(library)).toEqual([[misaki.id]]);
    } finally {
      engine.dispose();
      library.close();
    }
  }, 60_000);
});
