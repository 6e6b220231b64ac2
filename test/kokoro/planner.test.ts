import { describe, expect, it } from 'vitest';
import { MAX_CHUNK_TOKENS, SPACE_ID, chunkTokens, planChunks, splitOverlong } from '../../src-shared/kokoro/planner';
import type { Boundary, PlannedWord } from '../../src-shared/kokoro/planner';

/** Words of `length` ids each; sentence and clause structure given as a pattern like 'w w c w s'. */
function words(pattern: string, length = 5): PlannedWord[] {
  let sentence = 0;
  return pattern
    .trim()
    .split(/\s+/)
    .map((mark, i) => {
      const after: Boundary = mark === 's' ? 'sentence' : mark === 'c' ? 'clause' : 'word';
      const word = { ids: Array.from({ length }, (_, k) => 50 + ((i + k) % 20)), start: i * 10, end: i * 10 + 5, sentence, after };
      if (after === 'sentence') sentence++;
      return word;
    });
}

const tokensOf = (ids: readonly number[][]): number => ids.reduce((n, w) => n + w.length, 0) + Math.max(0, ids.length - 1);

describe('chunk planner', () => {
  it('packs whole sentences into one chunk while they fit', () => {
    const input = words('w w s w w w s w s');
    const chunks = planChunks(input);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.words.map((w) => w.word)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('starts a new chunk at a sentence end when the next sentence does not fit', () => {
    // Sentences of 10 words x 5 ids + 9 spaces = 59 tokens: two fit (119), three do not.
    const input = words(Array.from({ length: 3 }, () => 'w w w w w w w w w s').join(' '));
    const chunks = planChunks(input);
    expect(chunks.map((c) => c.words.length)).toEqual([20, 10]);
    for (const chunk of chunks) expect(tokensOf(chunk.words.map((w) => [...w.ids]))).toBeLessThanOrEqual(MAX_CHUNK_TOKENS);
  });

  it('cuts a sentence too long for a chunk at clauses, then words, never dropping one', () => {
    const long = words(Array.from({ length: 30 }, (_, i) => (i === 29 ? 's' : i % 10 === 9 ? 'c' : 'w')).join(' '));
    const chunks = planChunks(long);
    expect(chunks.flatMap((c) => c.words.map((w) => w.word))).toEqual(long.map((_, i) => i));
    // The first cut falls on a clause boundary (after word 19: two clauses of 59 tokens fit).
    expect(chunks[0]?.words.at(-1)?.word).toBe(19);
    for (const chunk of chunks) expect(tokensOf(chunk.words.map((w) => [...w.ids]))).toBeLessThanOrEqual(MAX_CHUNK_TOKENS);
  });

  it('cuts a word longer than a chunk into pieces that keep its span', () => {
    const input: PlannedWord[] = [{ ids: Array.from({ length: 300 }, (_, i) => 50 + (i % 30)), start: 3, end: 40, sentence: 0, after: 'sentence' }];
    const chunks = planChunks(input);
    expect(chunks.map((c) => c.words[0]?.ids.length)).toEqual([126, 126, 48]);
    expect(chunks.flatMap((c) => c.words.flatMap((w) => [...w.ids]))).toEqual(input[0]?.ids);
    expect(chunks.every((c) => c.words.every((w) => w.word === 0))).toBe(true);
  });

  it('gives tokens with bounding zeros, spaces between words, and the owner of each token', () => {
    const input = words('w s', 2);
    const [chunk] = planChunks(input);
    if (!chunk) throw new Error('no chunk');
    const { ids, owner } = chunkTokens(chunk);
    expect(ids).toEqual([0, ...(input[0]?.ids ?? []), SPACE_ID, ...(input[1]?.ids ?? []), 0]);
    expect(owner).toEqual([-1, 0, 0, -1, 1, 1, -1]);
  });

  it('drops nothing and makes no empty chunks for words without phonemes', () => {
    const input: PlannedWord[] = [
      { ids: [], start: 0, end: 1, sentence: 0, after: 'word' },
      { ids: [60, 61], start: 2, end: 4, sentence: 0, after: 'sentence' },
    ];
    expect(planChunks(input)).toHaveLength(1);
    expect(planChunks([{ ids: [], start: 0, end: 1, sentence: 0, after: 'sentence' }])).toEqual([]);
  });

  it('splits an over-long chunk at the best boundary before the frame target', () => {
    const input = words('w w s w c w w w s');
    const [chunk] = planChunks(input);
    if (!chunk) throw new Error('no chunk');
    const frames = input.map(() => 100);
    const [left, right] = splitOverlong(chunk, input, frames, 512) ?? [];
    // Frames reach 512 within word 5; the best boundary up to there is the sentence end after word 2.
    expect(left?.words.map((w) => w.word)).toEqual([0, 1, 2]);
    expect(right?.words.map((w) => w.word)).toEqual([3, 4, 5, 6, 7, 8]);
    const single = { words: [{ word: 0, ids: [1, 2, 3, 4, 5] }] };
    expect(splitOverlong(single, input, [9999], 512)?.map((p) => p.words[0]?.ids)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(splitOverlong({ words: [{ word: 0, ids: [7] }] }, input, [9999], 512)).toBeUndefined();
  });
});

describe('chunk planner with silent words', () => {
  it('leaves words without phonemes out of the tokens, keeping a sentence end they carried', () => {
    const input: PlannedWord[] = [
      { ids: [60, 61], start: 0, end: 2, sentence: 0, after: 'word' },
      { ids: [], start: 3, end: 4, sentence: 0, after: 'sentence' },
      { ids: [62], start: 5, end: 6, sentence: 1, after: 'sentence' },
    ];
    const [chunk] = planChunks(input);
    if (!chunk) throw new Error('no chunk');
    expect(chunkTokens(chunk).ids).toEqual([0, 60, 61, SPACE_ID, 62, 0]);
    // A, (silent sentence end), B, C: with room for 6 tokens the cut falls at that sentence end
    // (A | B C), not at the first word boundary that fits (A B | C).
    const abc: PlannedWord[] = [
      { ids: [60, 61], start: 0, end: 1, sentence: 0, after: 'word' },
      { ids: [], start: 2, end: 3, sentence: 0, after: 'sentence' },
      { ids: [62, 63], start: 4, end: 5, sentence: 1, after: 'word' },
      { ids: [64, 65], start: 6, end: 7, sentence: 1, after: 'sentence' },
    ];
    expect(planChunks(abc, 6).map((c) => c.words.map((w) => w.word))).toEqual([[0], [2, 3]]);
  });
});
