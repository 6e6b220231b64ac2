/** scripts/g2p-model/calibrate.ts: the confidence below which the model hands a word to eSpeak. */
import { describe, expect, it } from 'vitest';
import { bestThreshold } from '../../scripts/g2p-model/calibrate';

const word = (confidence: number, modelRight: boolean, fallbackRight: boolean) => ({ confidence, modelRight, fallbackRight });

describe('bestThreshold', () => {
  it('gives the model the words it is sure of and eSpeak the rest, where that gets most words right', () => {
    const words = [word(0.95, true, false), word(0.9, true, true), word(0.7, true, false), word(0.5, false, true), word(0.3, false, true), word(0.2, false, false)];
    expect(bestThreshold(words)).toEqual({ threshold: 0.7, exact: 5 });
  });

  it('keeps the model for every word when it is never worse, and never when eSpeak always is better', () => {
    expect(bestThreshold([word(0.2, true, false), word(0.9, true, true)])).toEqual({ threshold: 0, exact: 2 });
    expect(bestThreshold([word(0.2, false, true), word(0.9, false, true)]).threshold).toBeGreaterThan(1);
  });
});
