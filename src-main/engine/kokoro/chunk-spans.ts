import type { ChunkTokens, PlannedWord } from '../../../src-shared/kokoro/planner';
import type { SentenceSpan, TimedSpan } from '../../../src-shared/speech/types';

/**
 * Word and sentence spans of a synthesised chunk from its token spans: a word owns the samples
 * of its tokens; a sentence runs from its first token to where the next sentence starts, so the
 * pauses (spaces, the bounding pads) belong to the sentence before them and the spans tile the chunk.
 */
export function chunkSpans(tokens: ChunkTokens, tokenSpans: Int32Array, words: readonly PlannedWord[], totalSamples: number): { words: TimedSpan[]; sentences: SentenceSpan[] } {
  const wordSpans: TimedSpan[] = [];
  const sentences: SentenceSpan[] = [];
  let lastWord = -1;
  for (let t = 0; t < tokens.owner.length; t++) {
    const owner = tokens.owner[t] ?? -1;
    if (owner < 0) continue;
    const word = words[owner];
    if (!word) continue;
    const startSample = tokenSpans[2 * t] ?? 0;
    const endSample = tokenSpans[2 * t + 1] ?? startSample;
    if (owner === lastWord) {
      const current = wordSpans.at(-1);
      if (current) current.endSample = endSample;
    } else {
      wordSpans.push({ startSample, endSample, start: word.start, end: word.end });
      lastWord = owner;
      const sentence = sentences.at(-1);
      if (!sentence || sentence.sentence !== word.sentence) {
        if (sentence) sentence.endSample = startSample;
        sentences.push({ sentence: word.sentence, startSample: sentences.length === 0 ? 0 : startSample, endSample: totalSamples, start: word.start, end: word.end });
      } else {
        sentence.end = Math.max(sentence.end, word.end);
      }
    }
  }
  return { words: wordSpans, sentences };
}
