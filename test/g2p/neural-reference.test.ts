/**
 * The neural G2P as the app runs it (SIMD kernels, src-shared/g2p/neural/wasm) against the same
 * model in plain scalar TypeScript (scalar-transformer.ts): the same phonemes, as sure, word by word.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EspeakPhonemizer } from '../../src-main/engine/g2p/espeak-phonemizer';
import { bundledNeuralG2PDir, NEURAL_G2P_HEADER, NEURAL_G2P_WEIGHTS } from '../../src-main/engine/g2p/load';
import { Mulberry32 } from '../../src-shared/kokoro/index';
import { G2P, NeuralG2P, NeuralG2PModel, readNeuralG2PWeights, type NeuralG2PWeights } from '../../src-shared/g2p/index';
import { ScalarNeuralG2PModel } from './scalar-transformer';
import { tinyNeuralWeights } from './tiny-neural';

function expectSameAnswers(weights: NeuralG2PWeights, sources: readonly (readonly string[])[]): void {
  const fast = new NeuralG2PModel(weights);
  const reference = new ScalarNeuralG2PModel(weights);
  for (const source of sources) {
    const got = fast.predictScored(source);
    const want = reference.predictScored(source);
    expect(got.phonemes, source.join('')).toBe(want.phonemes);
    expect(got.confidence).toBeCloseTo(want.confidence, 4);
  }
}

describe('neural G2P on the SIMD kernels', () => {
  it('says what the scalar model says for random weights, one letter to 120', () => {
    const random = new Mulberry32(21);
    const letters = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'];
    const words = [1, 2, 3, 5, 8, 13, 21, 40, 120].map((length) => Array.from({ length }, () => letters[Math.floor(random.uniform() * letters.length)] ?? 'a'));
    for (const seed of [1, 2, 3]) expectSameAnswers(tinyNeuralWeights({ seed }), words);
  });

  it('says what the scalar model says for the committed weights, given the hints the app gives', async () => {
    const dir = bundledNeuralG2PDir();
    if (dir === undefined) throw new Error('models/g2p/g2p-en-us.json is missing: run npm run train:g2p');
    const weights = readNeuralG2PWeights(JSON.parse(await readFile(join(dir, NEURAL_G2P_HEADER), 'utf8')), await readFile(join(dir, NEURAL_G2P_WEIGHTS)));
    const layer = new NeuralG2P(weights);
    const words = ['Zorblaxity', 'Quendrilova', 'Hattersley', 'tomato', 'Okonkwo', 'Schwarzkopf', 'mischievous', 'Wednesday', 'antidisestablishmentarianism', 'a', "o'clock", 'well-read', 'Nakamura', 'Pemberton', 'caramel', 'Thaddeus'];
    const hints = await new G2P({ espeak: new EspeakPhonemizer() }).modelHints(words);
    expectSameAnswers(weights, words.map((w, i) => layer.sourceFor(layer.inputFor(w) ?? w, hints[i]) ?? [...w]));
  }, 60_000);
});
