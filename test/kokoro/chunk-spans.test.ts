import { describe, expect, it } from 'vitest';
import { chunkSpans } from '../../src-main/engine/kokoro/chunk-spans';
import { chunkTokens } from '../../src-shared/kokoro/planner';
import type { PlannedWord } from '../../src-shared/kokoro/planner';
import { tokenSampleSpans } from '../../src-shared/kokoro/spans';

describe('chunk spans from token durations', () => {
  // "Hi there. Bye." -> words Hi(2 ids) there(3 ids, sentence end) Bye(2 ids, sentence end)
  const words: PlannedWord[] = [
    { ids: [50, 51], start: 0, end: 2, sentence: 0, after: 'word' },
    { ids: [52, 53, 4], start: 3, end: 9, sentence: 0, after: 'sentence' },
    { ids: [54, 55, 4], start: 10, end: 14, sentence: 1, after: 'sentence' },
  ];
  const tokens = chunkTokens({ words: words.map((w, i) => ({ word: i, ids: w.ids })) });
  // tokens: 0 | 50 51 | 16 | 52 53 4 | 16 | 54 55 4 | 0  -> 12 tokens; frames in order:
  // pad 0-3, Hi 3-6, space 6-7, there 7-11, space 11-15, Bye 15-19, pad 19-24.
  const predDur = [3, 1, 2, 1, 1, 1, 2, 4, 2, 1, 1, 5];
  const total = predDur.reduce((a, b) => a + b, 0) * 600;
  const { words: wordSpans, sentences } = chunkSpans(tokens, tokenSampleSpans(predDur), words, total);

  it('gives each word the samples of its own tokens', () => {
    expect(wordSpans).toEqual([
      { startSample: 3 * 600, endSample: 6 * 600, start: 0, end: 2 },
      { startSample: 7 * 600, endSample: 11 * 600, start: 3, end: 9 },
      { startSample: 15 * 600, endSample: 19 * 600, start: 10, end: 14 },
    ]);
  });

  it('tiles the chunk with sentence spans, pauses going to the sentence before', () => {
    expect(sentences).toEqual([
      { sentence: 0, startSample: 0, endSample: 15 * 600, start: 0, end: 9 },
      { sentence: 1, startSample: 15 * 600, endSample: total, start: 10, end: 14 },
    ]);
    expect(tokens.ids.length).toBe(predDur.length);
  });
});
