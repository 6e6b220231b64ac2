/**
 * The words train.py may learn from, as it dumps them (no dev-set or test-bucket word,
 * ../shared/g2p/SPLIT.md): one place for the scripts that need them, so the split has one
 * implementation, the trainer's. Needs python3, not torch.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TRAIN_SCRIPT = fileURLToPath(new URL('./train.py', import.meta.url));

/**
 * `--dump-split`: the training and validation words; `--dump-validation`: the validation slice as
 * [word, phonemes] (`options` may add `--validate-on gold`: its gold words only).
 */
export function dumpFromTrainer(shared: string, dump: '--dump-split'): { train: string[]; validation: string[] };
export function dumpFromTrainer(shared: string, dump: '--dump-validation', options?: readonly string[]): [string, string][];
export function dumpFromTrainer(shared: string, dump: '--dump-split' | '--dump-validation', options: readonly string[] = []): unknown {
  const dir = resolve(shared);
  const out = execFileSync('python3', [TRAIN_SCRIPT, dump, '--lexicon-dir', join(dir, 'lexicon'), '--dev', join(dir, 'g2p', 'us_gold_dev.tsv'), ...options], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out) as unknown;
}
