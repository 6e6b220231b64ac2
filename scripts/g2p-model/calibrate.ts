/**
 * Chooses where the neural G2P hands a word on to eSpeak NG: below the confidence that serves
 * the validation slice best, and writes it into the weights' header (`minConfidence`).
 *
 *   npx tsx scripts/g2p-model/calibrate.ts [--model-dir models/g2p] [--shared ../shared]
 *
 * The words are train.py's validation slice (`--dump-validation`: no dev-set or test-bucket
 * word, ../shared/g2p/SPLIT.md), and of those only the ones CMUdict lacks: the words that reach
 * the model when misaki's lexicons are not installed (with them, the model sees names and rare
 * words, which these only approximate). For each, the model's output and confidence and what eSpeak
 * NG (with its learned rules) says; the threshold kept is the one with the most exact matches.
 * The rules were learned on gold words that may include these, so eSpeak's side is, if
 * anything, flattered: the threshold errs towards eSpeak.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EspeakPhonemizer, loadCmuDict, loadNeuralG2P, NEURAL_G2P_HEADER } from '../../src-main/engine/g2p/index';
import { G2P } from '../../src-shared/g2p/index';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The threshold with the most exact words, and how many each route gets there. */
export function bestThreshold(words: readonly { confidence: number; modelRight: boolean; espeakRight: boolean }[]): {
  threshold: number;
  exact: number;
} {
  // Candidates: every confidence seen (a word at exactly the threshold is the model's), and 1.01 (never the model).
  const candidates = [...new Set([0, ...words.map((w) => w.confidence), 1.01])].sort((a, b) => a - b);
  let best = { threshold: 0, exact: -1 };
  for (const threshold of candidates) {
    let exact = 0;
    for (const w of words) exact += (w.confidence >= threshold ? w.modelRight : w.espeakRight) ? 1 : 0;
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
  const dump = execFileSync('python3', [join(root, 'scripts', 'g2p-model', 'train.py'), '--dump-validation', '--lexicon-dir', join(shared, 'lexicon'), '--dev', join(shared, 'g2p', 'us_gold_dev.tsv')], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const pairs = JSON.parse(dump) as [string, string][];
  const espeak = new EspeakPhonemizer();
  const baseline = new G2P({ cmudict: await loadCmuDict(), espeak });
  const out = await baseline.phonemizeWords(
    pairs.map(([w]) => w),
    'en-us',
    { context: false },
  );
  const neural = await loadNeuralG2P(modelDir);
  const scored = out.flatMap((o, i) => {
    const [word, ref] = pairs[i] ?? ['', ''];
    const input = neural.inputFor(word);
    // Only the words the model would be asked: past CMUdict, letters it knows.
    if (o.source !== 'espeak' || input === undefined) return [];
    const { phonemes, confidence } = neural.model.predictScored(input);
    return [{ confidence, modelRight: phonemes === ref, espeakRight: o.phonemes === ref }];
  });
  const n = scored.length;
  const count = (f: (w: (typeof scored)[number]) => boolean): number => scored.filter(f).length;
  const { threshold, exact } = bestThreshold(scored);
  const pct = (k: number): string => `${((100 * k) / n).toFixed(1)}%`;
  console.log(`validation words past CMUdict: ${n} of ${pairs.length}`);
  console.log(`  model alone ${pct(count((w) => w.modelRight))}, eSpeak alone ${pct(count((w) => w.espeakRight))}, both right ${pct(count((w) => w.modelRight && w.espeakRight))}`);
  console.log(`  model at confidence >= ${threshold.toFixed(4)}, else eSpeak: ${pct(exact)} (the model reads ${pct(count((w) => w.confidence >= threshold))} of them)`);

  const headerPath = join(modelDir, NEURAL_G2P_HEADER);
  const header = JSON.parse(await readFile(headerPath, 'utf8')) as Record<string, unknown>;
  header.minConfidence = Math.round(threshold * 10_000) / 10_000;
  await writeFile(`${headerPath}.tmp`, `${JSON.stringify(header, null, 1)}\n`);
  await rename(`${headerPath}.tmp`, headerPath);
  console.log(`wrote minConfidence ${String(header.minConfidence)} -> ${headerPath}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
