import { describe, expect, it } from 'vitest';
import { KokoroEngine, voiceLanguage } from '../../src-main/engine/kokoro/kokoro-engine';
import type { KokoroResources, VoiceStyles } from '../../src-main/engine/kokoro/kokoro-engine';
import type { KokoroGraphRunner } from '../../src-main/engine/kokoro/pipeline';
import { AppError } from '../../src-shared/errors/catalogue';
import type { Phonemizer } from '../../src-shared/g2p/index';
import { planSegments } from '../../src-shared/speech/plan';
import type { AudioChunk } from '../../src-shared/speech/types';
import { F0_LENGTH, N_BINS, TOKEN_BUCKET } from '../../src-shared/kokoro/constants';
import { letterG2P, letterVocab as vocab } from '../helpers/letter-g2p';

/**
 * Graphs that predict `framesPerToken` frames for every real token and produce silence, as long
 * as the frames they are given (one of `vocoderBuckets`). `buckets` records which vocoder each
 * chunk ran in.
 */
function fakeGraphs(framesPerToken: number, calls: number[][], options: { vocoderBuckets?: number[]; buckets?: number[] } = {}): KokoroGraphRunner {
  return {
    ...(options.vocoderBuckets ? { vocoderBuckets: options.vocoderBuckets } : {}),
    predict({ ids, attn }) {
      calls.push(Array.from(ids.slice(0, attn.reduce((a, b) => a + b, 0))));
      return Promise.resolve({ duration: new Float32Array(TOKEN_BUCKET).fill(framesPerToken), d: new Float32Array(1), tEn: new Float32Array(1) });
    },
    prosody: () => Promise.resolve({ asr: new Float32Array(1), f0: new Float32Array(F0_LENGTH), n: new Float32Array(1) }),
    vocode: ({ frameMask }) => {
      options.buckets?.push(frameMask.length);
      const steps = N_BINS * (120 * frameMask.length + 1);
      return Promise.resolve({ spec: new Float32Array(steps), phase: new Float32Array(steps) });
    },
  };
}


const styles: VoiceStyles = {
  list: () => Promise.resolve([{ id: 'kokoro:af_test', engine: 'kokoro', name: 'Test', language: 'en-US' }]),
  style: (voice) => {
    if (voice !== 'af_test') return Promise.reject(AppError.of('UNKNOWN_VOICE', `(${voice})`));
    return Promise.resolve(new Float32Array(256));
  },
};

function engineWith(framesPerToken: number, calls: number[][] = [], g2p: Phonemizer = letterG2P, graphs = fakeGraphs(framesPerToken, calls)): KokoroEngine {
  const resources: KokoroResources = {
    graphs,
    g2p,
    vocab,
    host: { lLinear: new Float32Array(10), stftPadding: 'reflect', inverse: { kind: 'torch' }, noise: false },
    modelVersion: 'test',
  };
  return new KokoroEngine(() => Promise.resolve(resources), styles);
}

async function run(engine: KokoroEngine, text: string, signal = new AbortController().signal): Promise<AudioChunk[]> {
  const chunks: AudioChunk[] = [];
  await engine.synthesize({ segments: planSegments(text), voice: 'af_test', speed: 1 }, signal, (c) => void chunks.push(c));
  return chunks;
}

describe('Kokoro engine (with stand-in graphs)', () => {
  it('packs sentences into one chunk and maps spans back to the words of the text', async () => {
    const calls: number[][] = [];
    const text = 'Hi there. Bye now.';
    const chunks = await run(engineWith(2, calls), text);
    expect(chunks).toHaveLength(1);
    expect(calls).toHaveLength(1);
    const ids = calls[0] ?? [];
    expect(ids[0]).toBe(0);
    expect(ids.at(-1)).toBe(0);
    const chunk = chunks[0];
    if (!chunk) throw new Error('no chunk');
    // Every token, pads and spaces included, lasts 2 frames = 1200 samples.
    expect(chunk.samples.length).toBe(ids.length * 2 * 600);
    expect(chunk.words.map((w) => text.slice(w.start, w.end))).toEqual(['Hi', 'there', 'Bye', 'now']);
    expect(chunk.sentences.map((s) => [s.sentence, text.slice(s.start, s.end)])).toEqual([
      [0, 'Hi there'],
      [1, 'Bye now'],
    ]);
    expect(chunk.sentences[0]?.startSample).toBe(0);
    expect(chunk.sentences.at(-1)?.endSample).toBe(chunk.samples.length);
  });

  it('splits a chunk whose frames overflow the bucket and re-runs the parts, dropping nothing', async () => {
    const calls: number[][] = [];
    // ~60 tokens at 10 frames each = 600 frames > 512.
    const text = 'Alpha bravo charlie. Delta echo foxtrot. Golf hotel india. Juliet kilo lima.';
    const chunks = await run(engineWith(10, calls), text);
    expect(calls.length).toBeGreaterThan(chunks.length);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const chunk of chunks) expect(chunk.samples.length).toBeLessThanOrEqual(512 * 600);
    const spoken = chunks.flatMap((c) => c.words.map((w) => text.slice(w.start, w.end)));
    expect(spoken.join(' ')).toBe('Alpha bravo charlie Delta echo foxtrot Golf hotel india Juliet kilo lima');
    expect(chunks.map((c) => c.sequence)).toEqual(chunks.map((_, i) => i));
  });

  it('after cutting a chunk that overflows, plans the words after the cut again, so chunks stay nearly full', async () => {
    const calls: number[][] = [];
    // 5 frames a token: a full 126-token chunk would last 640 frames; cut near 460, the rest joins the next chunk.
    const text = Array.from({ length: 30 }, (_, i) => `Words of sentence ${i} go on.`).join(' ');
    const chunks = await run(engineWith(5, calls), text);
    // Cut at sentence ends near 460 frames. Without planning again, every other chunk would be the cut's remainder, about 160 frames.
    for (const chunk of chunks.slice(0, -1)) expect(chunk.samples.length).toBeGreaterThan(0.6 * 512 * 600);
    for (const chunk of chunks) expect(chunk.samples.length).toBeLessThanOrEqual(512 * 600);
    const spoken = chunks.flatMap((c) => c.words.map((w) => text.slice(w.start, w.end))).join(' ');
    expect(spoken).toBe(text.replace(/\./g, ''));
  });

  it('splits a single word longer than a chunk instead of truncating it', async () => {
    // Three phonemes per letter: the 60-letter word needs 180 tokens, more than one chunk holds.
    const tripled: Phonemizer = {
      phonemizeWords: (words) => Promise.resolve(words.map((word) => ({ word, phonemes: word.replace(/[^a-z]/g, '').replace(/./g, '$&$&$&'), source: 'user' as const }))),
    };
    const calls: number[][] = [];
    const text = `${'abcdefghij'.repeat(6)}.`;
    const chunks = await run(engineWith(1, calls, tripled), text);
    expect(chunks).toHaveLength(2);
    expect(calls.map((ids) => ids.length - 2)).toEqual([126, 55]);
    expect(chunks.map((c) => c.words.map((w) => [w.start, w.end]))).toEqual([[[0, 60]], [[0, 60]]]);
  });

  it('gives no audio and no error for text with nothing to say', async () => {
    expect(await run(engineWith(2), '... !!!')).toEqual([]);
  });

  it('stops between chunks when cancelled', async () => {
    const controller = new AbortController();
    const chunks: AudioChunk[] = [];
    const text = Array.from({ length: 20 }, (_, i) => `Sentence number ${'x'.repeat(40)} ${i}.`).join(' ');
    await expect(
      engineWith(1).synthesize({ segments: planSegments(text), voice: 'af_test', speed: 1 }, controller.signal, (c) => {
        chunks.push(c);
        controller.abort();
      }),
    ).resolves.toMatchObject({ chunks: 1 });
    expect(chunks).toHaveLength(1);
  });

  it('refuses an unknown voice before loading the model', async () => {
    let loaded = false;
    const engine = new KokoroEngine(() => {
      loaded = true;
      return Promise.reject(new Error('should not load'));
    }, styles);
    await expect(engine.synthesize({ segments: planSegments('Hi.'), voice: 'zz_nobody', speed: 1 }, new AbortController().signal, () => undefined)).rejects.toMatchObject({
      code: 'UNKNOWN_VOICE',
    });
    expect(loaded).toBe(false);
  });

  it('with a small vocoder, cuts the first chunk at a sentence end to what it holds, runs it there, and fills whole chunks again after it', async () => {
    const calls: number[][] = [];
    const buckets: number[] = [];
    // Sentences of about 20 tokens at 2 frames a token: four fill 160 frames, more than the 112 a 128-frame vocoder holds.
    const text = Array.from({ length: 12 }, (_, i) => `Sentence ${'abc'.repeat(i % 3)} number ${i}.`).join(' ');
    const chunks = await run(engineWith(2, calls, letterG2P, fakeGraphs(2, calls, { vocoderBuckets: [128, 512], buckets })), text);
    const planned = await run(engineWith(2), text);

    expect(buckets[0]).toBe(128);
    expect(chunks[0]!.samples.length).toBeLessThanOrEqual((128 - 16) * 600);
    expect(text[chunks[0]!.sentences.at(-1)!.end]).toBe('.');
    // The first plan was predicted, found too long, and cut; the rest is planned anew as full chunks.
    expect(calls[1]!.length).toBeLessThan(calls[0]!.length);
    expect(calls.slice(2, -1).every((ids) => ids.length > 100)).toBe(true);
    // Every chunk that fits the small vocoder runs there (here also the last), the others in the full one.
    expect(buckets).toEqual(chunks.map((c) => (c.samples.length / 600 <= 112 ? 128 : 512)));
    expect(buckets.slice(1, -1)).toContain(512);
    // Nothing dropped or repeated, and no more chunks than one more than the plan without it.
    const spoken = (list: AudioChunk[]) => list.flatMap((c) => c.words.map((w) => text.slice(w.start, w.end))).join(' ');
    expect(spoken(chunks)).toBe(spoken(planned));
    expect(chunks.length).toBeLessThanOrEqual(planned.length + 1);
    expect(chunks.map((c) => c.sequence)).toEqual(chunks.map((_, i) => i));
  });

  it('with a small vocoder, runs a first chunk that fits it there uncut, and a first word too long for it in a larger one', async () => {
    const speak = async (framesPerToken: number, vocoderBuckets: number[], text: string) => {
      const calls: number[][] = [];
      const buckets: number[] = [];
      const chunks = await run(engineWith(framesPerToken, calls, letterG2P, fakeGraphs(framesPerToken, calls, { vocoderBuckets, buckets })), text);
      return { chunks, calls, buckets };
    };
    const short = await speak(2, [128, 512], 'Hi there.');
    expect([short.chunks.length, short.calls.length, short.buckets]).toEqual([1, 1, [128]]);

    const word = `${'abcdefghij'.repeat(6)}.`;
    // One word of 60 letters at 2 frames each: 124 frames, too long for 112, and not cut inside.
    const long = await speak(2, [128, 512], word);
    expect([long.chunks.length, long.calls.length, long.buckets]).toEqual([1, 2, [512]]);

    // The same word at 8 frames a letter (496 frames) is too long even for a 384-frame bucket: cut in two pieces, as without a quick start.
    const longer = await speak(8, [128, 384], word);
    expect(longer.buckets).toEqual([384, 384]);
    expect(longer.chunks.map((c) => c.words.map((w) => [w.start, w.end]))).toEqual([[[0, 60]], [[0, 60]]]);
  });

  it('picks British English for b* voices', () => {
    expect(voiceLanguage('bf_emma')).toBe('en-gb');
    expect(voiceLanguage('af_heart')).toBe('en-us');
  });
});

describe('Kokoro engine and symbols outside the vocabulary', () => {
  it('leaves them out, says how many, and still speaks the rest', async () => {
    const logs: string[] = [];
    const resources: KokoroResources = {
      graphs: fakeGraphs(1, []),
      // "ß" is not in the stand-in vocabulary.
      g2p: { phonemizeWords: (words) => Promise.resolve(words.map((word) => ({ word, phonemes: `${word.toLowerCase()}ßß`, source: 'user' as const }))) },
      vocab,
      host: { lLinear: new Float32Array(10), stftPadding: 'reflect', inverse: { kind: 'torch' }, noise: false },
      modelVersion: 'test',
    };
    const engine = new KokoroEngine(() => Promise.resolve(resources), styles, { log: (line) => logs.push(line) });
    const chunks = await run(engine, 'Hi there.');
    expect(chunks).toHaveLength(1);
    expect(logs).toEqual(["4 phoneme symbol(s) outside Kokoro's vocabulary were left out"]);
  });
});

describe('Kokoro engine replaced by a reload', () => {
  it('frees its model after the request still reading with it, not under it', async () => {
    let disposed = 0;
    let reachVocoder: () => void = () => undefined;
    let releaseVocoder: () => void = () => undefined;
    const vocoderReached = new Promise<void>((resolve) => (reachVocoder = resolve));
    const vocoderReleased = new Promise<void>((resolve) => (releaseVocoder = resolve));
    const graphs = fakeGraphs(1, []);
    const held: KokoroGraphRunner = {
      ...graphs,
      vocode: async (input) => {
        reachVocoder();
        await vocoderReleased;
        return graphs.vocode(input);
      },
      dispose: () => void disposed++,
    };
    const resources: KokoroResources = { graphs: held, g2p: letterG2P, vocab, host: { lLinear: new Float32Array(10), stftPadding: 'reflect', inverse: { kind: 'torch' }, noise: false }, modelVersion: 'test' };
    const engine = new KokoroEngine(() => Promise.resolve(resources), styles);
    const reading = run(engine, 'Hi there.');
    await vocoderReached;
    engine.retire();
    // Let any freeing already queued run: none may be.
    await new Promise((resolve) => setImmediate(resolve));
    expect(disposed).toBe(0);
    releaseVocoder();
    expect(await reading).toHaveLength(1);
    await expect.poll(() => disposed).toBe(1);
  });
});
