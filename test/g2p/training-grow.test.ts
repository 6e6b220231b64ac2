/**
 * train.py --init-from DIR --grow: a run may start from smaller weights (fewer layers, fewer
 * input symbols). On the old symbols the grown model must first say exactly what the smaller one
 * said, so training continues from it rather than from noise. Without --grow, other sizes and
 * vocabularies are refused; with it, fewer layers, fewer symbols or another input layout are.
 * Needs torch (Debian's python3-torch, which only training needs: skipped where it is missing).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODEL_DIR = fileURLToPath(new URL('../../scripts/g2p-model', import.meta.url));
const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

// Builds small weights, saves them as the trainer does, loads them into a model with one more
// encoder and decoder layer and two more input symbols, and prints both models' greedy outputs.
const SCRIPT = String.raw`
import json, sys, tempfile, types, random
sys.path.insert(0, sys.argv[1])
import torch
from model import G2PTransformer, save, load_weights
torch.manual_seed(3)
src_small = ['<pad>', '<unk>', 'a', 'b', 'c', 'd']
src_big = ['<pad>', '<unk>', '<e>', 'a', 'b', 'c', 'd', 'ea']
tgt = ['<pad>', '<bos>', '<eos>', 'x', 'y', 'z']
small = G2PTransformer(len(src_small), len(tgt), 16, 2, 32, 1, 1).eval()
folder = tempfile.mkdtemp()
cfg = {'format': 'test', 'srcVocab': src_small, 'tgtVocab': tgt, 'dModel': 16, 'heads': 2, 'ffn': 32, 'encLayers': 1, 'decLayers': 1}
save(small, cfg, folder, {'epoch': 1})
sizes = dict(d_model=16, heads=2, ffn=32, enc_layers=2, dec_layers=2)
big = G2PTransformer(len(src_big), len(tgt), 16, 2, 32, 2, 2).eval()
def refusal(model, src, grow, sizes, run_cfg=None, folder=folder):
    try:
        load_weights(model, folder, src, tgt, types.SimpleNamespace(**sizes, grow=grow), run_cfg)
    except SystemExit as e:
        return str(e)
    return ''
refused = {
    'more symbols without --grow': refusal(big, src_big, False, sizes),
    'more layers without --grow': refusal(G2PTransformer(len(src_small), len(tgt), 16, 2, 32, 2, 2), src_small, False, sizes),
    'missing symbols': refusal(G2PTransformer(5, len(tgt), 16, 2, 32, 1, 1), src_small[:5], True, {**sizes, 'enc_layers': 1, 'dec_layers': 1}),
    'another style token': refusal(big, src_big, True, sizes, {'styleToken': '<gold>'}),
}
load_weights(big, folder, src_big, tgt, types.SimpleNamespace(**sizes, grow=True), {})
bigger = tempfile.mkdtemp()
save(big, {**cfg, 'srcVocab': src_big, 'encLayers': 2, 'decLayers': 2}, bigger, {'epoch': 1})
refused['fewer layers'] = refusal(G2PTransformer(len(src_big), len(tgt), 16, 2, 32, 1, 1), src_big, True, {**sizes, 'enc_layers': 1, 'dec_layers': 1}, None, bigger)
rng = random.Random(5)
words = [[rng.choice('abcd') for _ in range(rng.randint(1, 7))] for _ in range(40)]
ids = lambda vocab: torch.tensor([[vocab.index(c) for c in w] + [0] * (7 - len(w)) for w in words])
with torch.no_grad():
    before = small.greedy(ids(src_small), 12).tolist()
    after = big.greedy(ids(src_big), 12).tolist()
    logits_before = small(ids(src_small), torch.ones(len(words), 3, dtype=torch.long))
    logits_after = big(ids(src_big), torch.ones(len(words), 3, dtype=torch.long))
print(json.dumps({'refused': refused, 'before': before, 'after': after,
                  'maxLogitDifference': (logits_before - logits_after).abs().max().item()}))
`;

describe.skipIf(!hasTorch)(`train.py --grow${hasTorch ? '' : ': skipped, no torch'}`, () => {
  it('starts the grown model from the smaller one (same outputs, added layers as the identity), and refuses what does not fit', () => {
    const run = spawnSync(PYTHON, ['-c', SCRIPT, MODEL_DIR], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
      refused: Record<string, string>;
      before: number[][];
      after: number[][];
      maxLogitDifference: number;
    };
    expect(out.refused['more symbols without --grow']).toMatch(/vocabularies differ/);
    expect(out.refused['more layers without --grow']).toMatch(/sizes .*encLayers/);
    expect(out.refused['missing symbols']).toMatch(/lacks its input symbols \['d'\]/);
    expect(out.refused['another style token']).toMatch(/keep those/);
    expect(out.refused['fewer layers']).toMatch(/at least as many layers/);
    expect(out.after).toEqual(out.before);
    // Not merely the same argmax: the same numbers, up to float rounding.
    expect(out.maxLogitDifference).toBeLessThan(1e-4);
    // Random weights do say something: the comparison is not of two empty outputs.
    expect(new Set(out.before.map((row) => row.join(','))).size).toBeGreaterThan(1);
  }, 120_000);
});
