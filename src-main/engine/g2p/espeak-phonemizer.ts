import { BoundedCache } from '../../../src-shared/cache/bounded-cache';
import type { EspeakBackend, G2PLang } from '../../../src-shared/g2p/index';

type PhonemizeFn = (text: string, language?: string) => Promise<string[]>;

/**
 * Voice identifiers rather than language names: in phonemizer 1.2.1 `set_voice('en-gb')`
 * after an American call keeps the American voice, while identifiers always switch.
 */
const VOICES: Readonly<Record<G2PLang, string>> = {
  'en-us': 'gmw/en-US',
  'en-gb': 'gmw/en',
};

// A blank line ends a paragraph for eSpeak, so each word comes back on its own line, just as
// if it were phonemized alone (checked on 1,500 words), at about twice the speed.
const SEPARATOR = '\n\n';
const BATCH = 400;
const CACHE_LIMIT = 50_000;

/**
 * Letters for which eSpeak NG switches from English to a language whose dictionary the bundled
 * build (npm `phonemizer`, English data only) lacks: Armenian, the Indic scripts from Devanagari
 * to Sinhala, Georgian, Hangul and what eSpeak files under Korean (Cherokee, Latin Extended-D and
 * on up to Hangul). For each such word it prints "Can't read dictionary file …" a dozen times and
 * says nothing (or, for Telugu, reads out code numbers), slowly. They are left out before eSpeak,
 * as it would leave them out, without the noise. The ranges were found by phonemizing a letter
 * of every 8 code points of the BMP with the English voice and noting which printed that error.
 */
// Code-point ranges on purpose: combining marks of those scripts go with their letters.
// eslint-disable-next-line no-misleading-character-class
const NO_DICTIONARY = /[\u0530-\u058f\u0900-\u0dff\u10a0-\u10ff\u1100-\u11ff\u13a0-\u13ff\u1c90-\u1cbf\u3130-\u318f\ua700-\ud7ff]+/gu;

/** A word as eSpeak can read it: spaces collapsed, letters it has no dictionary for left out. */
function speakable(word: string): string {
  return word.replace(NO_DICTIONARY, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * eSpeak NG (GPL-3.0, WebAssembly) through npm `phonemizer`: raw IPA per word. The first
 * call loads the WASM module (~0.3-1 s); calls are queued because the voice is global state.
 */
export class EspeakPhonemizer implements EspeakBackend {
  private phonemize: Promise<PhonemizeFn> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Each word phonemizes the same wherever it stands, and books repeat their words: remember them. */
  private readonly cache = new BoundedCache<string, string>(CACHE_LIMIT);

  phonemizeRaw(words: readonly string[], lang: G2PLang): Promise<string[]> {
    const run = this.queue.then(() => this.run(words, lang));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private load(): Promise<PhonemizeFn> {
    this.phonemize ??= import('phonemizer').then((m) => m.phonemize as PhonemizeFn);
    return this.phonemize;
  }

  private async run(words: readonly string[], lang: G2PLang): Promise<string[]> {
    const phonemize = await this.load();
    const voice = VOICES[lang];
    const clean = words.map(speakable);
    const out: string[] = new Array<string>(clean.length).fill('');
    const todo: number[] = [];
    clean.forEach((word, i) => {
      const known = this.cache.get(`${lang}\u0000${word}`);
      if (known !== undefined) out[i] = known;
      // Words eSpeak would say nothing for would shift the lines; they stay ''.
      else if (/[\p{L}\p{N}]/u.test(word)) todo.push(i);
    });
    const batch = async (idx: readonly number[]): Promise<void> => {
      const lines = await phonemize(idx.map((i) => clean[i]).join(SEPARATOR), voice);
      if (lines.length === idx.length) idx.forEach((i, k) => (out[i] = (lines[k] ?? '').trim()));
      // A word that eSpeak split into clauses ("e.g.") or dropped: one call for it alone.
      else if (idx.length === 1) out[idx[0] ?? 0] = lines.join(' ').trim();
      else {
        // Halve the batch to find it, so a few such words cost a few calls, not one per word.
        const half = Math.ceil(idx.length / 2);
        await batch(idx.slice(0, half));
        await batch(idx.slice(half));
      }
    };
    for (let start = 0; start < todo.length; start += BATCH) {
      const idx = todo.slice(start, start + BATCH);
      await batch(idx);
      for (const i of idx) this.cache.set(`${lang}\u0000${clean[i] ?? ''}`, out[i] ?? '');
    }
    return out;
  }
}
