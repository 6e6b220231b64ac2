/** The neural G2P (models/g2p, src-shared/g2p/neural): loading, its place in the layers, fuzz, version. */
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EspeakPhonemizer } from '../../src-main/engine/g2p/espeak-phonemizer';
import { bundledNeuralG2PDir, loadCmuDict, loadNeuralG2P, loadVocab, NEURAL_G2P_HEADER, NEURAL_G2P_WEIGHTS } from '../../src-main/engine/g2p/load';
import { modelVersionOf } from '../../src-main/engine/kokoro/create-engine';
import { MODEL_DIR_FILES } from '../../src-main/engine/kokoro/inspect';
import { cacheKey } from '../../src-main/services/library/audio-cache';
import { G2P, NeuralG2P, readNeuralG2PWeights, toV1, type NeuralG2PHints, type Vocab } from '../../src-shared/g2p/index';
import { FakeEspeak } from './fake-espeak';
import { hasLexicon, hasVocab, LEXICON_DIR, VOCAB_PATH } from './shared-data';

const dir = bundledNeuralG2PDir();

/** The committed weights with another confidence below which words go on to eSpeak (and, if given, to CMUdict). */
async function withMinConfidence(minConfidence: number, minConfidenceOverCmudict?: number): Promise<NeuralG2P> {
  const header = JSON.parse(await readFile(join(dir ?? '', NEURAL_G2P_HEADER), 'utf8')) as Record<string, unknown>;
  const over = minConfidenceOverCmudict === undefined ? {} : { minConfidenceOverCmudict };
  return new NeuralG2P(readNeuralG2PWeights({ ...header, minConfidence, ...over }, await readFile(join(dir ?? '', NEURAL_G2P_WEIGHTS))));
}

/** Strings a reader may hand the G2P: empty, huge, other scripts, symbols, emoji, control characters. */
function fuzzWords(): string[] {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pools = ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "'-.", 'éüñçøåß', 'Привет', 'αβγδ', '日本語', 'مرحبا', '0123456789', '!@#$%^&*()_+=~`|<>?/\\', '😀🎉', '\u0000\u0007\t\n\u200b\ufeff'];
  const words = ['', ' ', 'a', 'A', "'", '-', '.', '...', '--', "'s", 'x'.repeat(200), 'qwertyuiopasdfghjklzxcvbnm'.repeat(8).slice(0, 200), 'Ω', '\ud800', 'naïve', 'Straße', 'Привет', 'e\u0301te\u0301'];
  for (let i = 0; i < 300; i++) {
    const length = 1 + rand(i % 10 === 0 ? 200 : 14);
    let w = '';
    for (let k = 0; k < length; k++) {
      const pool = [...(pools[rand(i % 3 === 0 ? pools.length : 3)] ?? 'a')];
      w += pool[rand(pool.length)] ?? '';
    }
    words.push(w);
  }
  return words;
}

describe('neural G2P (models/g2p)', () => {
  let neural: NeuralG2P;
  let vocab: Vocab | undefined;
  /** What the app gives the model besides the letters (real eSpeak NG and CMUdict), if it reads that. */
  let hintsFor: (words: readonly string[]) => Promise<NeuralG2PHints[]>;
  /** The model's phonemes for each word, given the hints the app would give it. */
  const says = async (model: NeuralG2P, words: readonly string[]): Promise<(string | undefined)[]> => {
    const hints = await hintsFor(words);
    return words.map((w, i) => model.phonemize(w, hints[i]));
  };
  beforeAll(async () => {
    if (dir === undefined) throw new Error('models/g2p/g2p-en-us.json is missing: run npm run train:g2p');
    neural = await loadNeuralG2P(dir);
    vocab = hasVocab ? await loadVocab(VOCAB_PATH) : undefined;
    const hints = new G2P({ cmudict: await loadCmuDict(), espeak: new EspeakPhonemizer() });
    hintsFor = (words) => hints.modelHints(words);
  });

  it('loads the committed weights, whose sha256 (and confidence thresholds) is its version', async () => {
    const bin = await readFile(join(dir ?? '', NEURAL_G2P_WEIGHTS));
    const sha = createHash('sha256').update(bin).digest('hex');
    expect(neural.version.split('@')[0]).toBe(sha);
    // Each threshold decides which words are the model's, so each is part of the version.
    const { minConfidence = 0, minConfidenceOverCmudict = minConfidence } = neural.model.header;
    const versions = [
      neural.version,
      (await withMinConfidence(minConfidence + 0.01, minConfidenceOverCmudict)).version,
      (await withMinConfidence(minConfidence, minConfidenceOverCmudict + 0.01)).version,
    ];
    expect(new Set(versions).size).toBe(3);
    expect(bin.byteLength).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  it.skipIf(!hasLexicon)('says held-out gold words as misaki does well above chance', async () => {
    // The training script's validation slice (second sha256 byte % 64 == 0, outside the test
    // bucket and the dev set): words the model never trained on.
    const gold = JSON.parse(await readFile(join(LEXICON_DIR, 'us_gold.json'), 'utf8')) as Record<string, unknown>;
    const digest = (w: string): Buffer => createHash('sha256').update(w, 'utf8').digest();
    const held = Object.entries(gold)
      .filter((e): e is [string, string] => typeof e[1] === 'string' && (digest(e[0])[0] ?? 0) % 16 !== 0 && (digest(e[0])[1] ?? 0) % 64 === 0)
      .filter((_, i) => i % 5 === 0)
      .slice(0, 150);
    const ungated = await withMinConfidence(0);
    const said = await says(ungated, held.map(([w]) => w));
    const right = held.filter(([, ps], i) => said[i] === toV1(ps)).length;
    expect(held.length).toBeGreaterThanOrEqual(100);
    // A floor against a broken model or port (the committed weights score ~55-65% on gold words).
    expect(right / held.length).toBeGreaterThan(0.25);
  }, 120_000);

  it('writes only symbols of its vocabulary (and of Kokoro\'s), and never throws, on any string', async () => {
    // Without the confidence threshold: every string the layer can take is run and checked.
    const neural = await withMinConfidence(0);
    const symbols = new Set(neural.model.symbols);
    let taken = 0;
    const words = fuzzWords();
    const hints = await hintsFor(words);
    // The model itself on every kind of string, 200 letters included (the layer stops at 40).
    for (const [i, word] of words.slice(0, 60).entries()) {
      const direct = neural.model.predict(neural.sourceFor(word, hints[i]) ?? word);
      for (const ch of direct) expect(symbols.has(ch), `${JSON.stringify(word)} -> ${direct}`).toBe(true);
    }
    for (const [i, word] of words.entries()) {
      const ps = neural.phonemize(word, hints[i]);
      if (ps === undefined) continue;
      taken++;
      for (const ch of ps) {
        expect(symbols.has(ch)).toBe(true);
        if (vocab) expect(Object.hasOwn(vocab, ch), `${ch} of ${JSON.stringify(word)} is not in Kokoro's vocab`).toBe(true);
      }
    }
    expect(taken).toBeGreaterThan(50);
  }, 180_000);

  it('leaves digits, symbols and other scripts to eSpeak, and reads accented Latin letters', async () => {
    const ungated = await withMinConfidence(0);
    const hint: NeuralG2PHints = { espeak: 'nˌIˈiv', cmudict: '' };
    for (const word of ['', '42', 'Привет', '日本語', '😀', 'x'.repeat(200), 'a+b']) expect(ungated.phonemize(word, hint), word).toBeUndefined();
    expect(ungated.phonemize('naïve', hint)).toBeDefined();
    expect(ungated.phonemize('naïve', hint)).toBe(ungated.phonemize('naive', hint));
  });

  it('hands the words it is unsure of on to eSpeak; the threshold is part of its version', async () => {
    const always = await withMinConfidence(0);
    // Above 1 (what calibrate writes when eSpeak always did better): no word is the model's.
    const never = await withMinConfidence(1.01);
    const words = ['Zorblaxity', 'Quendrilova', 'Hattersley'];
    const hints = await hintsFor(words);
    for (const [i, word] of words.entries()) {
      const { phonemes, confidence } = always.model.predictScored(always.sourceFor(word, hints[i]) ?? []);
      expect(confidence).toBeGreaterThan(0);
      expect(confidence).toBeLessThan(1);
      expect(always.phonemize(word, hints[i])).toBe(phonemes);
      expect(never.phonemize(word, hints[i])).toBeUndefined();
    }
    const g2p = new G2P({ neural: never, espeak: new FakeEspeak({ Zorblaxity: 'zˈɔɹblæksɪti' }) });
    expect((await g2p.phonemizeWords(['Zorblaxity'], 'en-us', { context: false }))[0]?.source).toBe('espeak');
    expect(new Set([always.version, never.version, neural.version]).size).toBe(neural.model.header.minConfidence ? 3 : 2);
    await expect(withMinConfidence(-0.5)).rejects.toThrow(/minConfidence must be a number of 0 or more/);
  });

  it('sits after the lexicons and before eSpeak, American only', async () => {
    const neural = await withMinConfidence(0);
    const espeak = new FakeEspeak({ Zorblaxity: 'zˈɔɹblæksɪti', 'Привет': 'pɹɪvjˈɛt', '42': 'fˈɔːɹti tˈuː' });
    const cmudict = { cat: 'K AE1 T' };
    const g2p = new G2P({ cmudict, neural, espeak });
    const words = ['cat', 'Zorblaxity', 'Привет', '42'];
    const out = await g2p.phonemizeWords(words, 'en-us', { context: false });
    // A model that reads CMUdict's output takes CMUdict's words too.
    const catFrom = neural.hintLayers.includes('cmudict') ? 'model' : 'cmudict';
    expect(out.map((o) => o.source)).toEqual([catFrom, 'model', 'espeak', 'espeak']);
    const [, hint] = await new G2P({ cmudict, espeak }).modelHints(['cat', 'Zorblaxity']);
    expect(out[1]?.phonemes).toBe(neural.phonemize('Zorblaxity', hint));
    const gb = await g2p.phonemizeWords(['Zorblaxity'], 'en-gb', { context: false });
    expect(gb[0]?.source).toBe('espeak');
  });

  it('runs once per distinct word', async () => {
    const g2p = new G2P({ neural: await withMinConfidence(0), espeak: new FakeEspeak({ Quendrilova: 'kwɛndɹɪlˈoʊvə' }) });
    const word = 'Quendrilova';
    await g2p.phonemizeWords([word], 'en-us');
    const t0 = performance.now();
    const out = await g2p.phonemizeWords(Array.from({ length: 5000 }, () => word), 'en-us', { context: false });
    expect(out.every((o) => o.source === 'model' && o.phonemes === out[0]?.phonemes)).toBe(true);
    // 5,000 model runs would take seconds; 5,000 cache hits take milliseconds.
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('puts its version in the audio cache key: other weights, other audio', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'g2p-weights-'));
    const bin = await readFile(join(dir ?? '', NEURAL_G2P_WEIGHTS));
    const header = JSON.parse(await readFile(join(dir ?? '', NEURAL_G2P_HEADER), 'utf8')) as { sha256: string };
    // One weight nudged, as a retraining would change them all.
    const changed = Buffer.from(bin);
    changed.writeFloatLE(changed.readFloatLE(400) + 0.5, 400);
    await writeFile(join(copy, NEURAL_G2P_WEIGHTS), changed);
    await writeFile(join(copy, NEURAL_G2P_HEADER), JSON.stringify({ ...header, sha256: createHash('sha256').update(changed).digest('hex') }));
    const other = await loadNeuralG2P(copy);
    expect(other.version).not.toBe(neural.version);

    // The Kokoro engine's model version, as loadKokoroResources builds it (file stats + host + G2P).
    const modelDir = await mkdtemp(join(tmpdir(), 'kokoro-model-'));
    for (const file of MODEL_DIR_FILES) await writeFile(join(modelDir, file), '');
    const host = { stftPadding: 'reflect', inverse: { kind: 'torch' }, noise: true } as const;
    const key = (g2p: G2P): string =>
      cacheKey({ engine: 'kokoro', modelVersion: modelVersionOf(modelDir, host, g2p.version), voice: 'af_heart', speed: 1, ids: [1, 2, 3] });
    expect(key(new G2P({ neural }))).toBe(key(new G2P({ neural })));
    expect(key(new G2P({ neural: other }))).not.toBe(key(new G2P({ neural })));
    expect(key(new G2P({}))).not.toBe(key(new G2P({ neural })));
  });

  it('refuses a weight file that is not the one its header describes, saying what to do', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'g2p-weights-'));
    await copyFile(join(dir ?? '', NEURAL_G2P_HEADER), join(copy, NEURAL_G2P_HEADER));
    const bin = Buffer.from(await readFile(join(dir ?? '', NEURAL_G2P_WEIGHTS)));
    bin.writeFloatLE(1, 0);
    await writeFile(join(copy, NEURAL_G2P_WEIGHTS), bin);
    await expect(loadNeuralG2P(copy)).rejects.toThrow(/different trainings \(rerun npm run train:g2p\)/);
  });
});
