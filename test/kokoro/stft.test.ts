import { describe, it, expect } from 'vitest';
import { HAR_ROWS, N_BINS, STFT_FRAMES, CHUNK_SAMPLES, sourceStft, stftFrameCount, createRandom } from '../../src-shared/kokoro/index';
import { Goldens, compareHar, phaseDiff } from '../helpers/goldens';

function noise(n: number, seed: number): Float32Array {
  const r = createRandom(seed);
  return Float32Array.from({ length: n }, () => r.normal() * 0.3);
}

describe('sourceStft', () => {
  it('has floor(n / 5) + 1 frames and 22 rows', () => {
    expect(stftFrameCount(CHUNK_SAMPLES)).toBe(STFT_FRAMES);
    expect(STFT_FRAMES).toBe(61441);
    expect(sourceStft(new Float32Array(103)).length).toBe(HAR_ROWS * 21);
  });

  it('finds a cosine on its bin with magnitude sum(w) / 2 and the phase of the frame start', () => {
    const k = 3;
    const n = 400;
    const x = Float32Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * k * i) / 20));
    const frames = stftFrameCount(n);
    const har = sourceStft(x, 'reflect');
    for (let t = 2; t < frames - 2; t++) {
      expect(har[k * frames + t]).toBeCloseTo(5, 5);
      const want = (2 * Math.PI * k * (5 * t - 10)) / 20;
      expect(phaseDiff(har[(N_BINS + k) * frames + t]!, want)).toBeLessThan(1e-5);
      // Hann leaks only into the neighbouring bins.
      expect(har[(k + 2) * frames + t]).toBeLessThan(1e-5);
      expect(har[(k - 2) * frames + t]).toBeLessThan(1e-5);
    }
  });

  it('puts pi (not -pi) on the negative real axis', () => {
    const x = new Float32Array(50).fill(-1);
    const har = sourceStft(x, 'reflect');
    const frames = stftFrameCount(50);
    for (let t = 0; t < frames; t++) expect(har[N_BINS * frames + t]).toBe(Math.fround(Math.PI));
  });

  it('reflect and replicate differ only in the first and last two frames', () => {
    const x = noise(1000, 5);
    const a = sourceStft(x, 'reflect');
    const b = sourceStft(x, 'replicate');
    const frames = stftFrameCount(1000);
    for (let row = 0; row < HAR_ROWS; row++) {
      for (let t = 2; t < frames - 2; t++) {
        const i = row * frames + t;
        // Magnitudes differ only by the 1e-14 under the square root.
        expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-6);
      }
    }
    expect(a[0]).not.toBeCloseTo(b[0]!, 3);
    expect(a[frames - 1]).not.toBeCloseTo(b[frames - 1]!, 3);
  });

  it('adds 1e-14 under the square root only for replicate (CustomSTFT)', () => {
    const zeros = new Float32Array(100);
    expect(sourceStft(zeros, 'reflect')[0]).toBe(0);
    expect(sourceStft(zeros, 'replicate')[0]).toBe(Math.fround(1e-7));
  });

  it('rejects signals too short to reflect', () => {
    expect(() => sourceStft(new Float32Array(10), 'reflect')).toThrow(RangeError);
    expect(sourceStft(new Float32Array(10), 'replicate').length).toBe(HAR_ROWS * 3);
  });
});

const goldens = new Goldens();
const cases = goldens.cases('har');

describe('STFT goldens (fed the golden har_source)', () => {
  for (const c of cases) {
    const source = goldens.f32(c.har_source);
    for (const [padding, ref] of [
      ['reflect', c.har_reference],
      ['replicate', c.har_replicate],
    ] as const) {
      it(`${c.name} ${padding}: magnitude within 1e-5, phase within 1e-3 rad where |X| > 1e-3`, () => {
        const har = sourceStft(source, padding);
        const want = goldens.f32(ref);
        expect(har.length).toBe(want.length);
        const cmp = compareHar(har, want, N_BINS, 1e-3);
        expect(cmp.magMaxAbs).toBeLessThanOrEqual(1e-5);
        expect(cmp.phaseMax).toBeLessThanOrEqual(1e-3);
        expect(cmp.phaseCount).toBeGreaterThan(0);
      });
    }
  }
});
