/**
 * What a hint-reading G2P model is given besides the letters, for every word it trains on:
 * eSpeak NG's and CMUdict's plain output, through the same code the app runs
 * (G2P.modelHints), so training and inference see the same input.
 *
 *   npx tsx scripts/g2p-model/hints.ts OUT.tsv [--shared ../shared]
 *
 * The words are train.py's (`--dump-split`: training and validation, no dev-set or test-bucket
 * word, ../shared/g2p/SPLIT.md). Each line: word, eSpeak's phonemes, CMUdict's ('' if it has
 * none), tab-separated. About 8.5 minutes for the 170,688 words on one core (2026-12-07).
 */
import { rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EspeakPhonemizer, loadCmuDict } from '../../src-main/engine/g2p/index';
import { G2P } from '../../src-shared/g2p/index';
import { dumpFromTrainer } from './trainer-split';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BATCH = 1000;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('--'));
  if (out === undefined) throw new Error('usage: hints.ts OUT.tsv [--shared DIR]');
  const k = args.indexOf('--shared');
  const shared = resolve((k >= 0 ? args[k + 1] : undefined) ?? join(root, '..', 'shared'));
  const split = dumpFromTrainer(shared, '--dump-split');
  const words = [...split.train, ...split.validation];
  const g2p = new G2P({ cmudict: await loadCmuDict(), espeak: new EspeakPhonemizer() });
  const lines: string[] = [];
  const started = Date.now();
  for (let i = 0; i < words.length; i += BATCH) {
    const batch = words.slice(i, i + BATCH);
    const hints = await g2p.modelHints(batch);
    batch.forEach((w, j) => lines.push(`${w}\t${hints[j]?.espeak ?? ''}\t${hints[j]?.cmudict ?? ''}`));
    if ((i / BATCH) % 20 === 0) console.log(`hints: ${i + batch.length} of ${words.length} words, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  await writeFile(`${out}.tmp`, lines.join('\n') + '\n');
  await rename(`${out}.tmp`, out);
  console.log(`hints: ${words.length} words -> ${out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
