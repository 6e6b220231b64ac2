import { beforeEach, describe, expect, it, vi } from 'vitest';
import { normalizeText, normalizeToString } from '../../src-shared/text/normalize/index';
import type { NormalizeOptions } from '../../src-shared/text/normalize/index';
import { segmentSentences } from '../../src-shared/text/segment';
import type * as Segment from '../../src-shared/text/segment';

// Counts the normaliser's calls to the segmenter; it still segments as before.
vi.mock('../../src-shared/text/segment', async (importOriginal) => {
  const original = await importOriginal<typeof Segment>();
  return { ...original, segmentSentences: vi.fn(original.segmentSentences) };
});
const segmenter = vi.mocked(segmentSentences);

const TWO = 'Hello there. General Kenobi.';
/** Words and spans only: what the sentence bounds must not change. */
const spans = (text: string, options?: NormalizeOptions): string[] =>
  normalizeText(text, options).words.map((w) => `${w.text}=${text.slice(w.start, w.end)}@${w.start}`);

beforeEach(() => {
  segmenter.mockClear();
});

describe('normalizeText with the sentence bounds the caller has', () => {
  it('without bounds, splits the text into sentences itself (as the CLI uses it)', () => {
    expect(normalizeToString(TWO)).toBe('Hello there. General Kenobi.');
    expect(segmenter).toHaveBeenCalledTimes(1);
  });

  it('does not split the text again when given its sentence bounds', () => {
    normalizeText(TWO, { sentences: [{ start: 0, end: TWO.length }] });
    normalizeToString(TWO, { sentences: [{ start: 0, end: 12 }, { start: 13, end: TWO.length }] });
    expect(segmenter).not.toHaveBeenCalled();
  });

  it('reads a bound that covers two sentences as one sentence, with the same words and offsets', () => {
    const bound = [{ start: 0, end: TWO.length }];
    expect(spans(TWO, { sentences: bound })).toEqual(spans(TWO));
    // One sentence: "there" no longer ends one, so it carries no full stop; the bound's end does.
    const words = normalizeText(TWO, { sentences: bound }).words;
    expect(words.find((w) => w.text === 'there')?.punct).toBeUndefined();
    expect(words.at(-1)?.punct).toBe('.');
    expect(normalizeToString(TWO, { sentences: bound })).toBe('Hello there General Kenobi.');
  });

  it('given the bounds the segmenter finds, reads exactly as without them', () => {
    const texts = [
      TWO,
      'Dr. Smith paid $3.50 on 2024-05-01 at 12:30. Then he left!',
      'Chapter IV\n\n1. Item one\n2. Item two\n\na) first\nb) second',
      '"Stop." she said. It was 5 p.m. Nobody moved... Really?',
    ];
    for (const text of texts) {
      const sentences = segmentSentences(text);
      segmenter.mockClear();
      expect(normalizeText(text, { sentences })).toEqual(normalizeText(text));
      expect(segmenter).toHaveBeenCalledTimes(1); // only the call without bounds
    }
  });

  it('takes bounds relative to the whole text when only a range is read', () => {
    const text = 'Skip this. Dr. Who is here. And here.';
    const range = { start: 11, end: text.length };
    const options = { range, sentences: [{ start: 11, end: text.length }] };
    expect(normalizeText(text, options).words.map((w) => `${w.text}${w.punct ?? ''}=${text.slice(w.start, w.end)}`)).toEqual([
      'Doctor=Dr', 'Who=Who', 'is=is', 'here=here', 'And=And', 'here.=here',
    ]);
    expect(segmenter).not.toHaveBeenCalled();
  });
});
