import { G2P, MisakiLexicon, type UserLexicon } from '../../../src-shared/g2p/index';
import { EspeakPhonemizer } from './espeak-phonemizer';
import { loadCmuDict, loadMisakiLexicon } from './load';

export { EspeakPhonemizer } from './espeak-phonemizer';
export { loadCmuDict, loadMisakiLexicon, loadVocab, US_GOLD_FILE, US_SILVER_FILE, VOCAB_FILE } from './load';

export interface CreateG2POptions {
  /** Folder with misaki's us_gold.json / us_silver.json (the model folder); skipped if absent. */
  lexiconDir?: string | undefined;
  /** Use CMUdict after the misaki lexicons (default true). */
  cmudict?: boolean;
  /** Use eSpeak NG for the rest (default true); a shared instance may be passed. */
  espeak?: boolean | EspeakPhonemizer;
  user?: UserLexicon | undefined;
}

/** Builds the layered G2P from what is on disk; a missing lexicon folder just skips layer (b). */
export async function createG2P(options: CreateG2POptions = {}): Promise<G2P> {
  const data = options.lexiconDir ? await loadMisakiLexicon(options.lexiconDir) : undefined;
  const espeak =
    options.espeak instanceof EspeakPhonemizer ? options.espeak : options.espeak === false ? undefined : new EspeakPhonemizer();
  return new G2P({
    user: options.user,
    misaki: data ? new MisakiLexicon(data) : undefined,
    cmudict: options.cmudict === false ? undefined : await loadCmuDict(),
    espeak,
  });
}
