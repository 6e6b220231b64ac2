/**
 * The neural G2P layer: a small transformer trained on misaki's lexicons
 * (scripts/g2p-model/train.py), for single words no lexicon has. Pure; the weights are read
 * by src-main/engine/g2p/load.ts (loadNeuralG2P).
 */
import { BoundedCache } from '../../cache/bounded-cache';
import { NeuralG2PModel } from './transformer';
import type { NeuralG2PHintLayer, NeuralG2PWeights } from './weights';

export { NeuralG2PModel } from './transformer';
export {
  NEURAL_G2P_FORMAT,
  parseNeuralG2PHeader,
  readNeuralG2PWeights,
  type NeuralG2PHeader,
  type NeuralG2PHint,
  type NeuralG2PHintLayer,
  type NeuralG2PWeights,
} from './weights';

/**
 * What the other layers said of a word, for a model that reads them (header.hints): their plain
 * conversion (no learned rules), '' when the layer has no entry for the word, undefined when the
 * layer is not there at all.
 */
export type NeuralG2PHints = Partial<Record<NeuralG2PHintLayer, string>>;

/** Words remembered: a novel's vocabulary fits, so each distinct word runs the model once. */
const WORD_CACHE_LIMIT = 50_000;
/** Longer "words" are not words (a pasted hash, a run of letters): eSpeak spells them faster. */
const MAX_LETTERS = 40;

/** The layer that takes a word the model declines: its threshold is the model's (calibrate.ts). */
export type NeuralG2PFallback = 'espeak' | 'cmudict';

export class NeuralG2P {
  private readonly cache = new BoundedCache<string, { phonemes: string; confidence: number }>(WORD_CACHE_LIMIT);
  readonly model: NeuralG2PModel;

  /** The layers whose output the model reads after the letters, in order (none: letters only). */
  readonly hintLayers: readonly NeuralG2PHintLayer[];

  constructor(weights: NeuralG2PWeights | NeuralG2PModel) {
    this.model = weights instanceof NeuralG2PModel ? weights : new NeuralG2PModel(weights);
    // Read for every word the G2P looks up: once here, not per call.
    this.hintLayers = (this.model.header.hints ?? []).map((h) => h.layer);
  }

  /** The weights' sha256 (and the confidences below which eSpeak or CMUdict reads): part of the audio cache key, so new weights mean new audio. */
  get version(): string {
    const { minConfidence, minConfidenceOverCmudict } = this.model.header;
    const overCmudict = minConfidenceOverCmudict === undefined ? '' : `/${minConfidenceOverCmudict}`;
    return minConfidence || overCmudict ? `${this.model.version}@${minConfidence ?? 0}${overCmudict}` : this.model.version;
  }

  /**
   * The spelling the model reads, or undefined when it cannot take the word: it was trained on
   * Latin letters, apostrophes, hyphens and dots only (accents are dropped: "café" -> "cafe"),
   * so digits, symbols and other scripts stay with eSpeak NG.
   */
  inputFor(word: string): string | undefined {
    const plain = word.normalize('NFD').replace(/\p{M}/gu, '');
    if (plain.length === 0 || plain.length > MAX_LETTERS || !/[A-Za-z]/.test(plain)) return undefined;
    return this.model.knowsAllLetters(plain) ? plain : undefined;
  }

  /**
   * The model's input for a spelling (inputFor's): the style token, its letters, then each
   * hint's marker and prefixed symbols, as train.py builds it; undefined when a hint layer is
   * not there.
   */
  sourceFor(input: string, hints: NeuralG2PHints = {}): string[] | undefined {
    const style = this.model.header.styleToken;
    const tokens = style === undefined ? [...input] : [style, ...input];
    for (const { layer, marker, prefix } of this.model.header.hints ?? []) {
      const said = hints[layer];
      if (said === undefined) return undefined;
      if (said !== '') tokens.push(marker, ...[...said].map((symbol) => prefix + symbol));
    }
    return tokens;
  }

  /**
   * The phonemes (Kokoro v1.0 symbols), or undefined when the model cannot take the word or is
   * less sure of it than `fallback`, the layer that takes it then, is right (the header's thresholds).
   */
  phonemize(word: string, hints: NeuralG2PHints = {}, fallback: NeuralG2PFallback = 'espeak'): string | undefined {
    const input = this.inputFor(word);
    const source = input === undefined ? undefined : this.sourceFor(input, hints);
    if (source === undefined) return undefined;
    const h = this.model.header;
    const min = (fallback === 'cmudict' ? h.minConfidenceOverCmudict : undefined) ?? h.minConfidence ?? 0;
    const { phonemes, confidence } = this.cache.getOrCompute(source.join('\u0000'), () => this.model.predictScored(source));
    return phonemes === '' || confidence < min ? undefined : phonemes;
  }
}
