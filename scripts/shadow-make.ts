/**
 * Writes shadow graphs of Kokoro-82M (see scripts/lib/kokoro-shadow.ts) into a model folder
 * that `--model-dir` accepts, and prints each graph's weights and multiply-accumulates next to
 * the real model's:
 *   npm run shadow:make [-- --out DIR] [--scale S] [--int8] [--vocab FILE]
 * DIR defaults to shadow-model/ (ignored by git) and must be new, empty or made by this script
 * (it leaves a .kokoro-shadow file there); --scale 1 is the real size (about 370 MB);
 * the vocabulary comes from ../shared/kokoro/vocab.json unless --vocab says otherwise.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeShadowModel } from './lib/kokoro-shadow';
import type { BundleKind } from './lib/kokoro-bundle-io';

const ROOT = resolve(import.meta.dirname, '..');

/** The real bundles' file sizes (KOKORO.md) and the upstream model's multiply-accumulates for a 512-frame chunk (issue #16). */
const REAL_FILE_MB: Record<BundleKind, number> = { predictor: 91, prosody: 37, vocoder: 236 };
const UPSTREAM_GMACS = { total: 347, generator: 315 };

function sum(map: Map<string, number>): number {
  return [...map.values()].reduce((a, b) => a + b, 0);
}

function percent(value: number, reference: number): string {
  const p = ((value - reference) / reference) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: join(ROOT, 'shadow-model') },
      scale: { type: 'string', default: '1' },
      int8: { type: 'boolean', default: false },
      vocab: { type: 'string', default: join(ROOT, '..', 'shared', 'kokoro', 'vocab.json') },
    },
  });
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be a number in (0, 1], got "${values.scale}": use 1 for the real size`);
  if (!existsSync(values.vocab)) throw new Error(`the vocabulary ${values.vocab} is missing: pass --vocab FILE (Kokoro's vocab.json)`);
  const out = resolve(values.out);
  console.log(`shadow graphs at scale ${scale}${values.int8 ? ', int8 weights' : ''} into ${out}`);
  let macsTotal = 0;
  let generatorMacs = 0;
  const started = performance.now();
  writeShadowModel(out, values.vocab, { scale, int8: values.int8 }, (graph) => {
    const params = sum(graph.params);
    const macs = sum(graph.macs);
    macsTotal += macs;
    generatorMacs += graph.macs.get('generator') ?? 0;
    const target = (REAL_FILE_MB[graph.kind] * 1e6) / 4;
    const parts = [...new Set([...graph.params.keys(), ...graph.macs.keys()])].map((tag) => `${tag} ${((graph.params.get(tag) ?? 0) / 1e6).toFixed(2)} M / ${((graph.macs.get(tag) ?? 0) / 1e9).toFixed(2)} G`).join(', ');
    console.log(
      `${graph.file}: ${(graph.bytes / 1e6).toFixed(1)} MB, ${graph.operators} ops, ${(params / 1e6).toFixed(2)} M weights ` +
        `(real file / 4: ${(target / 1e6).toFixed(2)} M, ${percent(params, target)}), ${(macs / 1e9).toFixed(1)} G MACs`,
    );
    console.log(`  ${parts}`);
  });
  console.log(
    `MACs per 512-frame chunk: ${(macsTotal / 1e9).toFixed(1)} G (upstream ${UPSTREAM_GMACS.total} G, ${percent(macsTotal / 1e9, UPSTREAM_GMACS.total)}), ` +
      `generator ${(generatorMacs / 1e9).toFixed(1)} G (upstream ${UPSTREAM_GMACS.generator} G, ${percent(generatorMacs / 1e9, UPSTREAM_GMACS.generator)})`,
  );
  console.log(`written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

try {
  main();
} catch (err) {
  console.error(`shadow:make: ${(err as Error).message}`);
  process.exitCode = 1;
}
