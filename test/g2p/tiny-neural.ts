/**
 * A G2P transformer of random weights in the shape scripts/g2p-model/model.py saves (d=8), to test
 * how the layers use a model without the committed weights' answers. Its phonemes are nonsense,
 * but the same for the same input.
 */
import { Mulberry32 } from '../../src-shared/kokoro/index';
import { NEURAL_G2P_FORMAT, NeuralG2P, type NeuralG2PHeader, type NeuralG2PHint, type NeuralG2PWeights } from '../../src-shared/g2p/index';

const D = 8;
const FFN = 16;
const LETTERS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'-."];
const SYMBOLS = [...'AIOTWYbdfhijklmnpstuvwzæðŋɑɔəɛɜɡɪɹʃʊʌʒʤʧˈˌθᵊᵻ'];
/** train.py's HINT_TOKENS. */
export const HINTS: Record<NeuralG2PHint['layer'], NeuralG2PHint> = {
  espeak: { layer: 'espeak', marker: '<e>', prefix: 'e' },
  cmudict: { layer: 'cmudict', marker: '<c>', prefix: 'c' },
};

export interface TinyNeuralOptions {
  hints?: NeuralG2PHint['layer'][];
  styleToken?: string;
  minConfidence?: number;
  minConfidenceOverCmudict?: number;
  seed?: number;
}

export function tinyNeuralG2P(options: TinyNeuralOptions = {}): NeuralG2P {
  return new NeuralG2P(tinyNeuralWeights(options));
}

/** The weights and header tinyNeuralG2P runs. */
export function tinyNeuralWeights(options: TinyNeuralOptions = {}): NeuralG2PWeights {
  const hints = (options.hints ?? []).map((layer) => HINTS[layer]);
  const styles = options.styleToken === undefined ? [] : [options.styleToken, '<silver>'];
  const srcVocab = ['<pad>', '<unk>', ...styles, ...LETTERS, ...hints.flatMap((h) => [h.marker, ...SYMBOLS.map((s) => h.prefix + s)])];
  const tgtVocab = ['<pad>', '<bos>', '<eos>', ...SYMBOLS];
  const shapes: [string, number[]][] = [['src_emb.weight', [srcVocab.length, D]], ['tgt_emb.weight', [tgtVocab.length, D]]];
  const linear = (name: string, inDim: number, outDim: number): void => {
    shapes.push([`${name}.weight`, [outDim, inDim]], [`${name}.bias`, [outDim]]);
  };
  const norm = (name: string): void => void shapes.push([`${name}.weight`, [D]], [`${name}.bias`, [D]]);
  const attention = (name: string): void => ['q', 'k', 'v', 'o'].forEach((p) => linear(`${name}.${p}`, D, D));
  // One encoder and one decoder layer: a LayerNorm before each attention and before the feed-forward.
  const layer = (name: string, attentions: string[]): void => {
    attentions.forEach((a, i) => {
      norm(`${name}.ln${i + 1}`);
      attention(`${name}.${a}`);
    });
    norm(`${name}.ln${attentions.length + 1}`);
    linear(`${name}.ff.w1`, D, FFN);
    linear(`${name}.ff.w2`, FFN, D);
  };
  layer('enc.0', ['att']);
  norm('enc_ln');
  layer('dec.0', ['self_att', 'cross_att']);
  norm('dec_ln');
  linear('out', D, tgtVocab.length);
  const random = new Mulberry32(options.seed ?? 7);
  const tensors = new Map<string, Float32Array>();
  for (const [name, shape] of shapes) {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    // LayerNorm gains 1, the rest spread enough that the input shows in the output.
    for (let i = 0; i < values.length; i++) values[i] = name.includes('ln') && name.endsWith('weight') ? 1 : (random.uniform() - 0.5) * 1.5;
    tensors.set(name, values);
  }
  // The end symbol favoured just enough that words end after a symbol or a few (measured).
  const outBias = tensors.get('out.bias');
  if (outBias) outBias[2] = 0.8;
  const header: NeuralG2PHeader = {
    format: NEURAL_G2P_FORMAT,
    srcVocab,
    tgtVocab,
    dModel: D,
    heads: 2,
    ffn: FFN,
    encLayers: 1,
    decLayers: 1,
    sha256: '0'.repeat(63) + String(hints.length),
    tensors: [],
    ...(options.minConfidence === undefined ? {} : { minConfidence: options.minConfidence }),
    ...(options.minConfidenceOverCmudict === undefined ? {} : { minConfidenceOverCmudict: options.minConfidenceOverCmudict }),
    ...(hints.length ? { hints } : {}),
    ...(options.styleToken === undefined ? {} : { styleToken: options.styleToken }),
  };
  return { header, tensors };
}
