import { describe, expect, it } from 'vitest';
import { formatDuration, readingProgress, speechRate, timeLeftMs } from '../../src-shared/library/progress';

const BOOK = { chapterSentences: [10, 30, 60], chapterChars: [1000, 3000, 6000] };

describe('reading progress', () => {
  it('counts the sentences before the saved one over all sentences', () => {
    expect(readingProgress(BOOK, undefined)).toEqual({ fraction: 0, sentencesRead: 0, sentenceCount: 100, charsLeft: 10_000 });
    expect(readingProgress(BOOK, { chapterIndex: 1, sentenceIndex: 15 })).toEqual({ fraction: 0.25, sentencesRead: 25, sentenceCount: 100, charsLeft: 7500 });
    expect(readingProgress(BOOK, { chapterIndex: 2, sentenceIndex: 60 })).toMatchObject({ fraction: 1, charsLeft: 0 });
  });

  it('treats a position past the end (the file changed) as the end, and unknown counts as unknown', () => {
    expect(readingProgress(BOOK, { chapterIndex: 7, sentenceIndex: 0 })).toMatchObject({ fraction: 1, charsLeft: 0 });
    expect(readingProgress(BOOK, { chapterIndex: 0, sentenceIndex: 999 })).toMatchObject({ sentencesRead: 10, fraction: 0.1, charsLeft: 9000 });
    expect(readingProgress({ chapterSentences: [], chapterChars: [] }, undefined)).toBeUndefined();
    expect(readingProgress({ chapterSentences: [1, 2], chapterChars: [5] }, undefined)).toBeUndefined();
    expect(readingProgress({ chapterSentences: [0], chapterChars: [0] }, undefined)).toMatchObject({ fraction: 1, charsLeft: 0 });
  });
});

describe('time left', () => {
  it('divides the characters left by the rate at the chosen speed', () => {
    expect(timeLeftMs(15_000, 15)).toBe(1_000_000);
    expect(timeLeftMs(15_000, 30)).toBe(500_000);
    expect(timeLeftMs(0, 15)).toBe(0);
    expect(timeLeftMs(100, 0)).toBe(0);
    expect(timeLeftMs(100, Number.NaN)).toBe(0);
  });

  it('takes the rate of the voice’s engine, and a middling one for an engine it does not know', () => {
    expect(speechRate('kokoro:af_heart')).toBeGreaterThan(10);
    expect(speechRate('espeak:gmw/en')).toBeGreaterThan(10);
    expect(speechRate('other:x')).toBeGreaterThan(10);
    expect(speechRate('')).toBe(speechRate('other:x'));
  });

  it('says durations the way a reader plans them, rounded up to the minute', () => {
    expect(formatDuration(0)).toBe('none');
    expect(formatDuration(20_000)).toBe('under a minute');
    expect(formatDuration(61_000)).toBe('2 min');
    expect(formatDuration(59 * 60_000)).toBe('59 min');
    expect(formatDuration(3 * 3600_000 + 5 * 60_000)).toBe('3 h 05 min');
  });
});
