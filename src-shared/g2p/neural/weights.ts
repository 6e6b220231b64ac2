/**
 * The neural G2P's weight file: `g2p-en-us.json` (vocabularies, sizes, tensor table, sha256 of
 * the weights) beside `g2p-en-us.bin` (little-endian float32 tensors back to back), as
 * scripts/g2p-model/train.py writes them. Pure: the caller reads the bytes.
 */

export const NEURAL_G2P_FORMAT = 'kokoro-reader-g2p-transformer/1';

/** A layer whose plain output (no learned rules) the model reads after the letters. */
export type NeuralG2PHintLayer = 'espeak' | 'cmudict';

/**
 * How a hint joins the model's input: `marker`, then each of the layer's symbols with `prefix`
 * (so eSpeak's "k" and the letter "k" are different tokens). The trainer writes these, so the
 * convention lives in one place; a layer with nothing to say adds no tokens.
 */
export interface NeuralG2PHint {
  layer: NeuralG2PHintLayer;
  marker: string;
  prefix: string;
}

export interface NeuralG2PHeader {
  format: string;
  srcVocab: string[];
  tgtVocab: string[];
  dModel: number;
  heads: number;
  ffn: number;
  encLayers: number;
  decLayers: number;
  /** sha256 (hex) of the .bin file: the model's version in the audio cache key. */
  sha256: string;
  tensors: { name: string; shape: number[]; offset: number }[];
  /** The epoch kept, or (train.py --average-last) which epochs' mean. */
  epoch?: number | string;
  validationExact?: number;
  validationPer?: number;
  /**
   * Below this confidence (NeuralG2PModel.predictScored, 0..1) the word goes on to eSpeak NG,
   * which then does better: chosen on the validation slice by scripts/g2p-model/calibrate.ts.
   * Above 1: every word goes on to eSpeak.
   */
  minConfidence?: number;
  /**
   * The same for words CMUdict has, when the app asks the model before CMUdict: below it, CMUdict
   * takes the word. Absent: minConfidence.
   */
  minConfidenceOverCmudict?: number;
  /** What the model reads after the letters, in order; none: letters only. */
  hints?: NeuralG2PHint[];
  /**
   * The token before the letters that asks for a lexicon's style: the model was trained on gold
   * and silver entries, each marked, and the app wants gold's.
   */
  styleToken?: string;
}

export interface NeuralG2PWeights {
  header: NeuralG2PHeader;
  tensors: ReadonlyMap<string, Float32Array>;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

/** Checks the header's shape; throws an Error naming the first field that is wrong. */
export function parseNeuralG2PHeader(json: unknown): NeuralG2PHeader {
  const h = json as Partial<NeuralG2PHeader> | null;
  if (h === null || typeof h !== 'object') throw new Error('G2P model header: expected a JSON object');
  if (h.format !== NEURAL_G2P_FORMAT) throw new Error(`G2P model header: format ${JSON.stringify(h.format)}, expected ${NEURAL_G2P_FORMAT} (retrain with npm run train:g2p)`);
  if (!isStrings(h.srcVocab) || !isStrings(h.tgtVocab)) throw new Error('G2P model header: srcVocab/tgtVocab must be lists of strings');
  for (const key of ['dModel', 'heads', 'ffn', 'encLayers', 'decLayers'] as const) {
    if (!isInt(h[key])) throw new Error(`G2P model header: ${key} must be a positive integer`);
  }
  if (typeof h.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(h.sha256)) throw new Error('G2P model header: sha256 must be 64 hex digits');
  if (!Array.isArray(h.tensors)) throw new Error('G2P model header: tensors must be a list');
  // Above 1: no word is the model's (calibrate.ts writes that when eSpeak always did better).
  for (const key of ['minConfidence', 'minConfidenceOverCmudict'] as const) {
    const value = h[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new Error(`G2P model header: ${key} must be a number of 0 or more`);
    }
  }
  if (h.hints !== undefined) {
    const ok =
      Array.isArray(h.hints) &&
      h.hints.every((x) => (x.layer === 'espeak' || x.layer === 'cmudict') && typeof x.marker === 'string' && x.marker !== '' && typeof x.prefix === 'string' && x.prefix !== '');
    if (!ok) throw new Error('G2P model header: hints must be a list of { layer: "espeak" | "cmudict", marker, prefix }');
  }
  if (h.styleToken !== undefined && (typeof h.styleToken !== 'string' || !h.srcVocab.includes(h.styleToken))) {
    throw new Error('G2P model header: styleToken must be one of srcVocab');
  }
  return h as NeuralG2PHeader;
}

/** The tensors of a weight file as Float32Arrays (views on a little-endian copy of the bytes). */
export function readNeuralG2PWeights(headerJson: unknown, bin: Uint8Array): NeuralG2PWeights {
  const header = parseNeuralG2PHeader(headerJson);
  // A copy aligned for Float32Array; the format is little-endian, like every platform we run on.
  const aligned = new Float32Array(bin.byteLength / 4);
  new Uint8Array(aligned.buffer).set(bin.subarray(0, aligned.length * 4));
  const tensors = new Map<string, Float32Array>();
  for (const t of header.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.offset % 4 !== 0 || t.offset + size * 4 > bin.byteLength) {
      throw new Error(`G2P model: tensor ${t.name} lies outside the weight file (${bin.byteLength} bytes); the .bin and .json do not match`);
    }
    tensors.set(t.name, aligned.subarray(t.offset / 4, t.offset / 4 + size));
  }
  return { header, tensors };
}
