import { describe, it, expect } from 'vitest';
import { SAMPLES_PER_FRAME, predictDurations, tokenSampleSpans, tokenSpanList } from '../../src-shared/kokoro/index';
import { Goldens } from '../helpers/goldens';

describe('tokenSampleSpans', () => {
  it('gives token i predDur[i] * 600 samples in order from 0', () => {
    expect(Array.from(tokenSampleSpans(new Int32Array([1, 3, 2])))).toEqual([0, 600, 600, 2400, 2400, 3600]);
    expect(tokenSpanList([2, 1])).toEqual([
      { start: 0, end: 1200 },
      { start: 1200, end: 1800 },
    ]);
    expect(tokenSampleSpans([4, 4, 4], 2).length).toBe(4);
  });

  it('rejects bad durations', () => {
    expect(() => tokenSampleSpans([1, -1])).toThrow(RangeError);
    expect(() => tokenSampleSpans([1.5])).toThrow(RangeError);
  });
});

const goldens = new Goldens();

describe('spans of the golden alignments', () => {
  for (const c of goldens.cases('alignment')) {
    it(`${c.name}: contiguous, from 0, summing to L * 600`, () => {
      const pred = predictDurations(goldens.f32(c.duration), c.T, c.speed);
      const spans = tokenSampleSpans(pred);
      expect(spans.length).toBe(2 * c.T);
      expect(spans[0]).toBe(0);
      for (let i = 0; i < c.T; i++) {
        expect(spans[2 * i + 1]! - spans[2 * i]!).toBe(pred[i]! * SAMPLES_PER_FRAME);
        if (i > 0) expect(spans[2 * i]).toBe(spans[2 * i - 1]);
      }
      expect(spans[2 * c.T - 1]).toBe(c.L * SAMPLES_PER_FRAME);
    });
  }
});
