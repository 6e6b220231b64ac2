/**
 * Chooses where the neural G2P hands a word on to the layers after it: below the confidence that
 * serves the validation slice best, and writes it into the weights' header: `minConfidence` for
 * words CMUdict lacks (eSpeak NG takes them), `minConfidenceOverCmudict` for words it has (the
 * app puts the model before CMUdict, which takes them).
 *
 *   npx tsx scripts/g2p-model/calibrate.ts [--model-dir models/g2p] [--shared ../shared]
 *
 * The words are train.py's validation slice (`--dump-validation`: no dev-set or test-bucket
 * word, ../shared/g2p/SPLIT.md; only its gold words for a model with a style token), and of
 * those the ones that reach the model when misaki's lexicons are not installed: all of them
 * (with misaki's lexicons, the model sees names and rare words, which these only approximate).
 * For each, the model's output and confidence and what the app says without it (CMUdict, else
 * eSpeak NG, with their learned rules); each threshold kept is the one with the most exact
 * matches in its group. The rules were learned on gold words that may include these, so that side
 * is, if anything, flattered: the threshold errs away from the model.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EspeakPhonemizer, loadCmuDict, loadNeuralG2P, NEURAL_G2P_HEADER } from '../../src-main/engine/g2p/index';
import { G2P } from '../../src-shared/g2p/index';
import { dumpFromTrainer } from './trainer-split';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The threshold with the most exact words, and how many each route gets there. */
export function bestThreshold(words: readonly { confidence: number; modelRight: boolean; fallbackRight: boolean }[]): {
  threshold: number;
  exact: number;
} {
  // Candidates: every confidence seen (a word at exactly the threshold is the model's), and 1.01 (never the model).
  const candidates = [...new Set([0, ...words.map((w) => w.confidence), 1.01])].sort((a, b) => a - b);
  let best = { threshold: 0, exact: -1 };
  for (const threshold of candidates) {
    let exact = 0;
    for (const w of words) exact += (w.confidence >= threshold ? w.modelRight : w.fallbackRight) ? 1 : 0;
    if (exact > best.exact) best = { threshold, exact };
  }
  return best;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: string): string => {
    const k = args.indexOf(name);
    return resolve((k >= 0 ? args[k + 1] : undefined) ?? fallback);
  };
  const modelDir = option('--model-dir', join(root, 'models', 'g2p'));
  const shared = option('--shared', join(root, '..', 'shared'));
  const neural = await loadNeuralG2P(modelDir);
  // A model told to speak in gold's style (its style token) is judged on gold's words only:
  // silver's machine-made entries follow another style (train.py --validate-on gold).
  const goldOnly = neural.model.header.styleToken !== undefined;
  const pairs = dumpFromTrainer(shared, '--dump-validation', goldOnly ? ['--validate-on', 'gold'] : []);
  const words = pairs.map(([w]) => w);
  const espeak = new EspeakPhonemizer();
  // What the app says without the model: CMUdict, else eSpeak NG (with their learned rules).
  const baseline = new G2P({ cmudict: await loadCmuDict(), espeak });
  const out = await baseline.phonemizeWords(words, 'en-us', { context: false });
  const hints = await baseline.modelHints(words);
  const scored = out.flatMap((o, i) => {
    const [word, ref] = pairs[i] ?? ['', ''];
    const input = neural.inputFor(word);
    const source = input === undefined ? undefined : neural.sourceFor(input, hints[i]);
    if ((o.source !== 'espeak' && o.source !== 'cmudict') || source === undefined) return [];
    const { phonemes, confidence } = neural.model.predictScored(source);
    return [{ fallback: o.source, confidence, modelRight: phonemes === ref, fallbackRight: o.phonemes === ref }];
  });
  console.log(`validation words${goldOnly ? ' (gold only)' : ''}: ${pairs.length}, of them the model can take ${scored.length}`);
  // A model that reads CMUdict's output was trained to take CMUdict's words too: one threshold for all.
  const groups = neural.hintLayers.includes('cmudict')
    ? [{ field: 'minConfidence', fallback: 'CMUdict/eSpeak', words: scored }]
    : [
        { field: 'minConfidence', fallback: 'eSpeak', words: scored.filter((w) => w.fallback === 'espeak') },
        { field: 'minConfidenceOverCmudict', fallback: 'CMUdict', words: scored.filter((w) => w.fallback === 'cmudict') },
      ];
  const headerPath = join(modelDir, NEURAL_G2P_HEADER);
  const header = JSON.parse(await readFile(headerPath, 'utf8')) as Record<string, unknown>;
  // Written afresh below; a model that reads CMUdict's output keeps none from earlier weights.
  delete header.minConfidenceOverCmudict;
  for (const { field, fallback, words: group } of groups) {
    const n = group.length;
    if (n === 0) {
      console.log(`no validation word ${fallback} would take: ${field} left out`);
      delete header[field];
      continue;
    }
    const count = (f: (w: (typeof group)[number]) => boolean): number => group.filter(f).length;
    const { threshold, exact } = bestThreshold(group);
    const pct = (k: number): string => `${((100 * k) / n).toFixed(1)}%`;
    console.log(`${n} words ${fallback} would take without the model:`);
    console.log(`  model alone ${pct(count((w) => w.modelRight))}, ${fallback} alone ${pct(count((w) => w.fallbackRight))}, both right ${pct(count((w) => w.modelRight && w.fallbackRight))}`);
    console.log(`  model at confidence >= ${threshold.toFixed(4)}, else ${fallback}: ${pct(exact)} (the model reads ${pct(count((w) => w.confidence >= threshold))} of them)`);
    header[field] = Math.round(threshold * 10_000) / 10_000;
  }
  await writeFile(`${headerPath}.tmp`, `${JSON.stringify(header, null, 1)}\n`);
  await rename(`${headerPath}.tmp`, headerPath);
  console.log(`wrote ${groups.map((g) => `${g.field} ${String(header[g.field])}`).join(', ')} -> ${headerPath}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
