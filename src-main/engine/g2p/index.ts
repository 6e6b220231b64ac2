import { G2P, MisakiLexicon, type UserLexicon } from '../../../src-shared/g2p/index';
import { EspeakPhonemizer } from './espeak-phonemizer';
import { bundledNeuralG2PDir, loadCmuDict, loadMisakiLexicon, loadNeuralG2P } from './load';

export { EspeakPhonemizer } from './espeak-phonemizer';
export { bundledNeuralG2PDir, loadCmuDict, loadMisakiLexicon, loadNeuralG2P, loadVocab, NEURAL_G2P_HEADER, NEURAL_G2P_WEIGHTS, US_GOLD_FILE, US_SILVER_FILE, VOCAB_FILE } from './load';

/**
 * Whether the neural G2P runs when not asked either way. On since the weights that read eSpeak's
 * output (models/g2p/README.md): on the dev set (npm run bench:g2p), model + CMUdict + eSpeak gets
 * 67.6% exact, PER 7.1%, against 64.0%, PER 7.5%, for CMUdict + eSpeak with the learned rules.
 */
export const NEURAL_G2P_BY_DEFAULT = true;

/**
 * Whether the model gets whole words before CMUdict, which then keeps only the words the model is
 * unsure of. On since the SIMD kernels made the model fast enough to read every word
 * (models/g2p/README.md): on the gold validation words CMUdict has, the model is right on 76.3%
 * and CMUdict on 68.8% (calibrate:g2p); on the dev set, 67.6% exact against 66.6% with CMUdict
 * first (bench:g2p).
 */
export const CMUDICT_AFTER_MODEL_BY_DEFAULT = true;

export interface CreateG2POptions {
  /** Folder with misaki's us_gold.json / us_silver.json (the model folder); skipped if absent. */
  lexiconDir?: string | undefined;
  /** Use CMUdict (default true). */
  cmudict?: boolean;
  /** Put CMUdict after the neural model, for the words it is unsure of (default CMUDICT_AFTER_MODEL_BY_DEFAULT); false: before it. */
  cmudictAfterModel?: boolean;
  /**
   * The neural G2P for American words no lexicon has: true for the weights in models/g2p, or a
   * folder with other weights; false: CMUdict and eSpeak only (default NEURAL_G2P_BY_DEFAULT).
   */
  neural?: boolean | string;
  /** Use eSpeak NG for the rest (default true); a shared instance may be passed. */
  espeak?: boolean | EspeakPhonemizer;
  user?: UserLexicon | undefined;
}

/** Builds the layered G2P from what is on disk; a missing lexicon folder just skips layer (b). */
export async function createG2P(options: CreateG2POptions = {}): Promise<G2P> {
  const data = options.lexiconDir ? await loadMisakiLexicon(options.lexiconDir) : undefined;
  const espeak =
    options.espeak instanceof EspeakPhonemizer ? options.espeak : options.espeak === false ? undefined : new EspeakPhonemizer();
  const wanted = options.neural ?? NEURAL_G2P_BY_DEFAULT;
  const neuralDir = typeof wanted === 'string' ? wanted : wanted ? bundledNeuralG2PDir() : undefined;
  // Asked for by name, missing weights are an error; by default, eSpeak takes their words.
  if (options.neural === true && neuralDir === undefined) throw new Error('the neural G2P weights (models/g2p/g2p-en-us.json) are missing; run npm run train:g2p');
  return new G2P(
    {
      user: options.user,
      misaki: data ? new MisakiLexicon(data) : undefined,
      cmudict: options.cmudict === false ? undefined : await loadCmuDict(),
      neural: neuralDir === undefined ? undefined : await loadNeuralG2P(neuralDir),
      espeak,
    },
    { cmudictAfterModel: options.cmudictAfterModel ?? CMUDICT_AFTER_MODEL_BY_DEFAULT },
  );
}
