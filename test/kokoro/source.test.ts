import { describe, it, expect } from 'vitest';
import {
  HAR_ROWS,
  N_BINS,
  N_FFT,
  HOP,
  STFT_FRAMES,
  UPSAMPLE,
  harFromF0,
  harmonicSource,
  hannWindow,
} from '../../src-shared/kokoro/index';
import type { RandomSource } from '../../src-shared/kokoro/index';
import { Goldens, compareHar, maxAbsDiff, phaseDiff } from '../helpers/goldens';

const f32 = Math.fround;

/** l_linear with all weight on one harmonic (1-based) and a bias. */
function oneHarmonic(h: number, bias = 0): Float32Array {
  const w = new Float32Array(10);
  w[h - 1] = 1;
  w[9] = bias;
  return w;
}

describe('harmonicSource', () => {
  it('is tanh(0.1 sin(2 pi r (j + 150.5))) for a constant F0, as upstream phases it', () => {
    // Upstream's 1/300 downsample, cumsum and x300 upsample make the phase at sample j
    // 2 pi * rad * (j + 150.5) between the first and last 150 samples.
    const f0 = new Float32Array(8).fill(100);
    for (const h of [1, 3]) {
      const out = harmonicSource(f0, oneHarmonic(h));
      expect(out.length).toBe(8 * UPSAMPLE);
      const rad = f32(f32(100 * h) / 24000);
      let worst = 0;
      for (let j = 150; j < out.length - 150; j++) {
        const want = Math.tanh(0.1 * Math.sin(2 * Math.PI * rad * (j + 150.5)));
        worst = Math.max(worst, Math.abs(out[j]! - want));
      }
      expect(worst).toBeLessThan(1e-5);
      // Before sample 150 the phase is held at the first frame's value.
      const held = Math.tanh(0.1 * Math.sin(2 * Math.PI * rad * 300));
      expect(Math.abs(out[0]! - held)).toBeLessThan(1e-6);
      expect(Math.abs(out[149]! - held)).toBeLessThan(1e-6);
    }
  });

  it('is tanh(bias) where F0 <= 10 Hz (unvoiced) with randomness off', () => {
    const f0 = new Float32Array([0, 10, 10, -3]);
    const ll = new Float32Array([0.3, 0.2, 0.1, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, -0.25]);
    const out = harmonicSource(f0, ll);
    const want = f32(Math.tanh(-0.25));
    expect(out.every((v) => v === want)).toBe(true);
    // Just above the threshold is voiced.
    const voiced = harmonicSource(new Float32Array(4).fill(10.5), ll);
    expect(voiced.some((v) => v !== want)).toBe(true);
  });

  it('merges harmonics linearly inside the tanh', () => {
    const f0 = new Float32Array(6).fill(180);
    const a = harmonicSource(f0, oneHarmonic(2, 0));
    const b = harmonicSource(f0, oneHarmonic(5, 0));
    const ab = new Float32Array(10);
    ab[1] = 1;
    ab[4] = 1;
    const both = harmonicSource(f0, ab);
    let worst = 0;
    for (let j = 0; j < both.length; j++) {
      worst = Math.max(worst, Math.abs(Math.atanh(both[j]!) - (Math.atanh(a[j]!) + Math.atanh(b[j]!))));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('keeps the upstream no-op of the initial phases (sample 0 never reaches the 1/300 downsample)', () => {
    const f0 = new Float32Array(6).fill(150);
    const ll = new Float32Array([0.3, 0.2, 0.1, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0]);
    const phasesOnly: RandomSource = { uniform: () => 0.37, normal: () => 0 };
    expect(maxAbsDiff(harmonicSource(f0, ll, { random: phasesOnly }), harmonicSource(f0, ll))).toBe(0);
  });

  it('rejects an l_linear of the wrong size', () => {
    expect(() => harmonicSource(new Float32Array(4), new Float32Array(9))).toThrow(RangeError);
  });
});

const goldens = new Goldens();
const cases = goldens.cases('har');

/**
 * Bound on how far our `har` may be from the reference given the source difference alone:
 * |dX_k(t)| <= sum_n w[n] |d source| over frame t's (reflect-padded) samples, so the magnitude
 * moves by at most that and the phase by at most asin(that / |X|).
 */
function frameErrorBounds(diff: Float64Array): Float64Array {
  const w = hannWindow(N_FFT);
  const n = diff.length;
  const frames = Math.floor(n / HOP) + 1;
  const out = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let e = 0;
    for (let i = 0; i < N_FFT; i++) {
      let s = t * HOP + i - N_FFT / 2;
      if (s < 0) s = -s;
      if (s >= n) s = 2 * (n - 1) - s;
      e += w[i]! * Math.abs(diff[s]!);
    }
    out[t] = e;
  }
  return out;
}

describe('har goldens (source and end to end)', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    describe(c.name, () => {
      const f0 = goldens.f32(c.f0);
      const lLinear = goldens.f32(c.l_linear);
      const refSource = goldens.f32(c.har_source);
      const result = harFromF0(f0, lLinear, { padding: 'reflect' });

      it('har_source within 5e-3 (max abs)', () => {
        expect(result.source.length).toBe(refSource.length);
        const d = maxAbsDiff(result.source, refSource);
        expect(d).toBeLessThanOrEqual(5e-3);
      });

      it('har (reflect) from f0: magnitude rel. L2 <= 5e-3, phase explained by the source difference', () => {
        const ref = goldens.f32(c.har_reference);
        expect(result.frames).toBe(c.har_reference.shape[1]);
        expect(result.har.length).toBe(HAR_ROWS * result.frames);
        const cmp = compareHar(result.har, ref, N_BINS, 1e-2);
        expect(cmp.magRelL2).toBeLessThanOrEqual(5e-3);
        expect(cmp.phaseWeightedRms).toBeLessThanOrEqual(5e-3);
        expect(cmp.phaseCount).toBeGreaterThan(0);

        // Per bin: the phase (where |X| > 1e-2) within 1e-3 rad plus what the measured source
        // difference can move it; the magnitude within 1e-5 plus that difference.
        const diff = new Float64Array(refSource.length);
        for (let j = 0; j < diff.length; j++) diff[j] = result.source[j]! - refSource[j]!;
        const bound = frameErrorBounds(diff);
        const frames = result.frames;
        let phaseViolations = 0;
        let magViolations = 0;
        for (let k = 0; k < N_BINS; k++) {
          for (let t = 0; t < frames; t++) {
            const m = ref[k * frames + t]!;
            const e = bound[t]! + 1e-5;
            if (Math.abs(result.har[k * frames + t]! - m) > e + 1e-5) magViolations++;
            if (m <= 1e-2) continue;
            const allowed = Math.asin(Math.min(1, e / m)) + 1e-3;
            if (phaseDiff(result.har[(N_BINS + k) * frames + t]!, ref[(N_BINS + k) * frames + t]!) > allowed) phaseViolations++;
          }
        }
        expect(magViolations).toBe(0);
        expect(phaseViolations).toBe(0);
      });

      it('har (replicate) from f0: magnitude rel. L2 <= 5e-3', () => {
        const rep = harFromF0(f0, lLinear, { padding: 'replicate' });
        const cmp = compareHar(rep.har, goldens.f32(c.har_replicate), N_BINS, 1e-2);
        expect(rep.frames).toBe(STFT_FRAMES);
        expect(cmp.magRelL2).toBeLessThanOrEqual(5e-3);
        expect(cmp.phaseWeightedRms).toBeLessThanOrEqual(5e-3);
      });
    });
  }
});
