/**
 * Learns the rewrite rules that bring a fallback layer's output closer to misaki's gold
 * lexicon, and writes them as a TypeScript module the G2P imports:
 *
 *   npx tsx scripts/learn-g2p-rules.ts espeak   # -> src-shared/g2p/learned/espeak-us-rules.ts
 *   npx tsx scripts/learn-g2p-rules.ts cmudict  # -> src-shared/g2p/learned/cmudict-us-rules.ts
 *   options: --shared <dir> (default ../shared), --hyp-cache <file> (keeps eSpeak's output
 *   for the next run; delete it when the eSpeak conversion changes)
 *
 * Training words are gold entries outside the dev set and the test bucket (../shared/g2p/SPLIT.md:
 * neither is read for training, so bench:g2p and the checks outside stay held-out measurements): every one for eSpeak, the
 * ones CMUdict has for CMUdict. A tenth of them is kept for validation: the rule list is cut
 * where that tenth scored best (so its figure is a little optimistic; bench:g2p's is not). The learning itself is in scripts/g2p-rule-learner.ts.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EspeakPhonemizer, loadCmuDict } from '../src-main/engine/g2p/index';
import { G2P, lookupCmu, toV1 } from '../src-shared/g2p/index';
import { packRule } from '../src-shared/g2p/rewrite-rules';
import { learnRules, type Example } from './g2p-rule-learner';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MIN_SCORE = 3;
const MAX_RULES = 800;

/** A stable split: a word is for validation when its hash falls in the last tenth. */
function forValidation(word: string): boolean {
  let h = 2166136261;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
  return (h >>> 0) % 10 === 9;
}

const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)}%`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const layer = args[0];
  if (layer !== 'espeak' && layer !== 'cmudict') {
    throw new Error('usage: learn-g2p-rules.ts espeak|cmudict [--shared DIR] [--hyp-cache FILE]');
  }
  const option = (name: string): string | undefined => {
    const k = args.indexOf(name);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const shared = resolve(option('--shared') ?? join(root, '..', 'shared'));
  const gold = JSON.parse(await readFile(join(shared, 'lexicon', 'us_gold.json'), 'utf8')) as Record<string, unknown>;
  const devWords = new Set(
    (await readFile(join(shared, 'g2p', 'us_gold_dev.tsv'), 'utf8')).split('\n').map((l) => l.split('\t')[0]),
  );
  const cmu = await loadCmuDict();
  const inTestBucket = (word: string): boolean => (createHash('sha256').update(word, 'utf8').digest()[0] ?? 0) % 16 === 0;
  // eSpeak's conversion errors are alike in common and rare words, so it learns from all of
  // them (measured: more dev words right than learning from CMUdict's gaps alone).
  const entries = Object.entries(gold).flatMap(([w, p]) =>
    typeof p === 'string' && /^[a-z]+$/.test(w) && !devWords.has(w) && !inTestBucket(w) && (layer === 'espeak' || Object.hasOwn(cmu, w))
      ? [[w, toV1(p)] as const]
      : [],
  );

  let hyps: string[];
  const cacheFile = option('--hyp-cache');
  const cached = cacheFile
    ? await readFile(cacheFile, 'utf8').then((s) => JSON.parse(s) as Record<string, string>, () => undefined)
    : undefined;
  if (layer === 'cmudict') {
    hyps = entries.map(([w]) => toV1(lookupCmu(cmu, w) ?? ''));
  } else if (cached) {
    hyps = entries.map(([w]) => cached[w] ?? '');
  } else {
    console.log(`phonemizing ${entries.length} words with eSpeak...`);
    // Without the learned rules: they are what is being learned.
    const g2p = new G2P({ espeak: new EspeakPhonemizer() }, { learnedRules: false });
    const out = await g2p.phonemizeWords(entries.map(([w]) => w), 'en-us', { context: false });
    hyps = out.map((o) => o.phonemes);
    if (cacheFile) await writeFile(cacheFile, JSON.stringify(Object.fromEntries(entries.map(([w], i) => [w, hyps[i]]))));
  }

  const examples: Example[] = entries.flatMap(([word, ref], k) => {
    const hyp = hyps[k] ?? '';
    return hyp === '' ? [] : [{ word, hyp, ref, train: !forValidation(word) }];
  });
  const nTrain = examples.filter((e) => e.train).length;
  const nHeld = examples.length - nTrain;
  const { rules, validationExact } = learnRules(examples, {
    maxRules: MAX_RULES,
    minScore: MIN_SCORE,
    onRule: (count, score, trainExact, held) => {
      if (count % 50 === 0) {
        console.log(`${count} rules: train exact ${pct(trainExact, nTrain)}, validation ${pct(held, nHeld)} (last rule fixed ${score} symbols net)`);
      }
    },
  });
  // Keep the prefix that did best on the validation words (the shortest such).
  const keep = validationExact.indexOf(Math.max(...validationExact));
  const kept = rules.slice(0, keep);
  const before = pct(validationExact[0] ?? 0, nHeld);
  const after = pct(validationExact[keep] ?? 0, nHeld);
  console.log(`${layer}: ${nTrain} training words, ${nHeld} for validation; kept ${kept.length} of ${rules.length} rules; validation exact ${before} -> ${after}`);

  const name = layer === 'espeak' ? 'ESPEAK_US_RULES' : 'CMUDICT_US_RULES';
  const file = join(root, 'src-shared', 'g2p', 'learned', `${layer}-us-rules.ts`);
  const text = [
    '// Generated by scripts/learn-g2p-rules.ts; do not edit by hand. Regenerate with:',
    `//   npx tsx scripts/learn-g2p-rules.ts ${layer}`,
    `// Learned on ${nTrain} words of misaki's us_gold.json (Apache-2.0) outside the dev set;`,
    `// on ${nHeld} more, which chose where the list stops, exact matches went from ${before} to ${after}.`,
    '// The held-out figures are those of npm run bench:g2p (misaki\'s dev set).',
    "import type { PackedRule } from '../rewrite-rules';",
    '',
    `export const ${name}: readonly PackedRule[] = [`,
    ...kept.map((r) => `  ${JSON.stringify(packRule(r))},`),
    '];',
    '',
  ].join('\n');
  await writeFile(file, text);
  console.log(`wrote ${file}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
