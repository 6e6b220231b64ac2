import { describe, expect, it } from 'vitest';
import { speechRate } from '../../src-shared/library/progress';
import { buildTimeline, charsPerSecond, formatClock, rangeTimes, rateKey, recordPlayed } from './reading-time';
import type { SpeechRates } from './reading-time';

describe('measured speech rate', () => {
  it('starts from the engine\'s rate, scaled by speed, and then uses what was played', () => {
    expect(charsPerSecond({}, 'kokoro:af_heart', 1)).toBe(speechRate('kokoro:af_heart'));
    expect(charsPerSecond({}, 'kokoro:af_heart', 2)).toBe(speechRate('kokoro:af_heart') * 2);
    expect(charsPerSecond({}, 'espeak:gmw/en', 1)).toBe(speechRate('espeak:gmw/en'));
    expect(speechRate('espeak:gmw/en')).not.toBe(speechRate('kokoro:af_heart'));
    let rates: SpeechRates = {};
    rates = recordPlayed(rates, 'kokoro:af_heart', 1, 40, 2);
    rates = recordPlayed(rates, 'kokoro:af_heart', 1, 60, 3);
    expect(rates[rateKey('kokoro:af_heart', 1)]).toEqual({ chars: 100, seconds: 5 });
    expect(charsPerSecond(rates, 'kokoro:af_heart', 1)).toBe(20);
  });

  it('ignores empty or nonsensical samples and leaves the old measurements untouched', () => {
    const rates = recordPlayed({}, 'v', 1, 30, 2);
    expect(recordPlayed(rates, 'v', 1, 0, 2)).toBe(rates);
    expect(recordPlayed(rates, 'v', 1, 10, 0)).toBe(rates);
    expect(recordPlayed(rates, 'v', 1, 10, Number.NaN)).toBe(rates);
    recordPlayed(rates, 'v', 1, 10, 1);
    expect(rates[rateKey('v', 1)]).toEqual({ chars: 30, seconds: 2 });
  });

  it('does not trust a second or two of audio, and falls back to the same voice at another speed', () => {
    const v = 'espeak:gmw/en';
    const short = recordPlayed({}, v, 1.5, 5, 1);
    expect(charsPerSecond(short, v, 1.5)).toBe(speechRate(v) * 1.5);
    // 18 chars/s measured at speed 1: at 1.5 that is 27.
    const atOne = recordPlayed(short, v, 1, 180, 10);
    expect(charsPerSecond(atOne, v, 1.5)).toBeCloseTo(27);
    // Another voice of the engine measured: used only when this voice has nothing.
    const other = recordPlayed({}, 'espeak:gmw/en-US', 2, 400, 10);
    expect(charsPerSecond(other, v, 1)).toBeCloseTo(20);
    expect(charsPerSecond({ ...other, ...atOne }, v, 1)).toBeCloseTo(18);
    // Another engine's voices read at another pace: a Kokoro voice keeps its engine's rate.
    expect(charsPerSecond({ ...other, ...atOne }, 'kokoro:af_heart', 1)).toBe(speechRate('kokoro:af_heart'));
  });

  it('lets old measurements fade so the rate follows the text being read', () => {
    let rates = recordPlayed({}, 'v', 1, 10 * 600, 600);
    rates = recordPlayed(rates, 'v', 1, 20 * 600, 600);
    const sample = rates[rateKey('v', 1)];
    expect(sample?.seconds).toBe(600);
    expect(charsPerSecond(rates, 'v', 1)).toBeCloseTo(15);
  });
});

describe('timeline and rangeTimes', () => {
  const length = (i: number): number => (i + 1) * 10;

  it('sums known durations exactly and estimates the rest from the rate', () => {
    const known = new Map([
      [2, 4],
      [3, 1.5],
      [99, 7], // Not in this text: ignored.
    ]);
    const timeline = buildTimeline(6, length, known, 10);
    // Sentences 2..5: 4 + 1.5 known, 50 and 60 chars at 10 chars/s estimated.
    expect(rangeTimes(timeline, { first: 2, end: 6, current: 4 })).toEqual({ elapsed: 5.5, total: 5.5 + 5 + 6, exact: false });
    expect(rangeTimes(timeline, { first: 2, end: 4, current: 3 })).toEqual({ elapsed: 4, total: 5.5, exact: true });
    // The whole text: 1 + 2 estimated before them.
    expect(rangeTimes(timeline, { first: 0, end: 6, current: 6 }).total).toBeCloseTo(1 + 2 + 5.5 + 5 + 6);
  });

  it('counts nothing elapsed before the range and everything after it', () => {
    const timeline = buildTimeline(6, length, new Map(), 10);
    expect(rangeTimes(timeline, { first: 2, end: 4, current: -1 }).elapsed).toBe(0);
    expect(rangeTimes(timeline, { first: 2, end: 4, current: 9 })).toEqual({ elapsed: 7, total: 7, exact: false });
    expect(rangeTimes(buildTimeline(0, length, new Map(), 10), { first: 0, end: 0, current: 0 })).toEqual({ elapsed: 0, total: 0, exact: true });
  });
});

describe('formatClock', () => {
  it('shows minutes and seconds, and hours when there are', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(75.4)).toBe('1:15');
    expect(formatClock(760)).toBe('12:40');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(-3)).toBe('0:00');
    expect(formatClock(Number.NaN)).toBe('0:00');
  });
});
