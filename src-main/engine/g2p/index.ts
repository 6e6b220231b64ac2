import { G2P, MisakiLexicon, type UserLexicon } from '../../../src-shared/g2p/index';
import { EspeakPhonemizer } from './espeak-phonemizer';
import { bundledNeuralG2PDir, loadCmuDict, loadMisakiLexicon, loadNeuralG2P } from './load';

export { EspeakPhonemizer } from './espeak-phonemizer';
export { bundledNeuralG2PDir, loadCmuDict, loadMisakiLexicon, loadNeuralG2P, loadVocab, NEURAL_G2P_HEADER, NEURAL_G2P_WEIGHTS, US_GOLD_FILE, US_SILVER_FILE, VOCAB_FILE } from './load';

/**
 * Whether the neural G2P runs when not asked either way. Off: measured with npm run bench:g2p on
 * the dev set (models/g2p/README.md), CMUdict + model + eSpeak gets 64.2% exact, PER 7.4%, and
 * CMUdict + eSpeak with the learned rules 64.0%, PER 7.5%: no real gain, at a tenth of the speed.
 * Turn it on when retrained weights clearly beat that row.
 */
export const NEURAL_G2P_BY_DEFAULT = false;

export interface CreateG2POptions {
  /** Folder with misaki's us_gold.json / us_silver.json (the model folder); skipped if absent. */
  lexiconDir?: string | undefined;
  /** Use CMUdict after the misaki lexicons, before the neural model (default true). */
  cmudict?: boolean;
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
  if (wanted === true && neuralDir === undefined) throw new Error('the neural G2P weights (models/g2p/g2p-en-us.json) are missing; run npm run train:g2p');
  return new G2P({
    user: options.user,
    misaki: data ? new MisakiLexicon(data) : undefined,
    cmudict: options.cmudict === false ? undefined : await loadCmuDict(),
    neural: neuralDir === undefined ? undefined : await loadNeuralG2P(neuralDir),
    espeak,
  });
}
