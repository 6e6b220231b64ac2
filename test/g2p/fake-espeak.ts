import type { EspeakBackend, G2PLang } from '../../src-shared/g2p/types';

/** A stand-in eSpeak with fixed IPA per word, that records what it was asked. */
export class FakeEspeak implements EspeakBackend {
  calls: { words: string[]; lang: G2PLang }[] = [];
  constructor(private readonly ipa: Record<string, string>) {}
  phonemizeRaw(words: readonly string[], lang: G2PLang): Promise<string[]> {
    this.calls.push({ words: [...words], lang });
    return Promise.resolve(words.map((w) => this.ipa[w] ?? ''));
  }
}
