import { describe, it, expect } from 'vitest';
import {
  N_BINS,
  SAMPLES_PER_FRAME,
  createRandom,
  definedInverseBases,
  detectBasisLayout,
  detectBasisLayoutFromBytes,
  istftBases,
  istftLength,
  istftTorch,
  sourceStft,
  stftFrameCount,
} from '../../src-shared/kokoro/index';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Goldens, maxAbsDiff } from '../helpers/goldens';

function transpose11x20(a: Float32Array): Float32Array {
  const out = new Float32Array(220);
  for (let k = 0; k < 11; k++) for (let n = 0; n < 20; n++) out[n * 11 + k] = a[k * 20 + n]!;
  return out;
}

function splitHar(har: Float32Array): { spec: Float32Array; phase: Float32Array } {
  const half = har.length / 2;
  return { spec: har.slice(0, half), phase: har.slice(half) };
}

describe('istftTorch', () => {
  it('inverts the reflect-padded STFT (perfect reconstruction)', () => {
    const r = createRandom(11);
    const x = Float32Array.from({ length: 3000 }, () => r.normal() * 0.2);
    const { spec, phase } = splitHar(sourceStft(x, 'reflect'));
    const y = istftTorch(spec, phase);
    expect(y.length).toBe(3000);
    expect(maxAbsDiff(y, x)).toBeLessThan(1e-5);
  });

  it('trims to the requested length without changing the samples it keeps', () => {
    const r = createRandom(3);
    const frames = 401;
    const spec = Float32Array.from({ length: N_BINS * frames }, () => Math.abs(r.normal()));
    const phase = Float32Array.from({ length: N_BINS * frames }, () => r.uniform() * 6 - 3);
    const full = istftTorch(spec, phase);
    expect(full.length).toBe(istftLength(frames));
    const part = istftTorch(spec, phase, 1234);
    expect(part.length).toBe(1234);
    expect(maxAbsDiff(part, full.subarray(0, 1234))).toBe(0);
    const fullB = istftBases(spec, phase, definedInverseBases());
    const partB = istftBases(spec, phase, definedInverseBases(), 1234);
    expect(maxAbsDiff(partB, fullB.subarray(0, 1234))).toBe(0);
  });

  it('rejects mismatched or malformed spectrograms', () => {
    expect(() => istftTorch(new Float32Array(22), new Float32Array(11))).toThrow(RangeError);
    expect(() => istftTorch(new Float32Array(23), new Float32Array(23))).toThrow(RangeError);
    expect(() => istftTorch(new Float32Array(22), new Float32Array(22), 6)).toThrow(RangeError);
  });
});

describe('detectBasisLayout', () => {
  const def = definedInverseBases();

  it('recognises the defined bases as [11 x 20]', () => {
    const r = detectBasisLayout(def.basisReal, def.basisImag);
    expect(r.ok && r.layout).toBe('11x20');
  });

  it('recognises a transposed copy as [20 x 11] and returns it canonical', () => {
    const r = detectBasisLayout(transpose11x20(def.basisReal), transpose11x20(def.basisImag));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.layout).toBe('20x11');
    expect(Array.from(r.basisReal)).toEqual(Array.from(def.basisReal));
    expect(Array.from(r.basisImag)).toEqual(Array.from(def.basisImag));
  });

  it('rejects garbage, near misses and wrong sizes', () => {
    const rnd = createRandom(9);
    const garbage = () => Float32Array.from({ length: 220 }, () => rnd.normal() * 0.05);
    const g = detectBasisLayout(garbage(), garbage());
    expect(g.ok).toBe(false);
    if (!g.ok) {
      expect(g.reason).toBe('unknown-layout');
      expect(g.errors?.['11x20']).toBeGreaterThan(1e-3);
      expect(g.message).toMatch(/neither/);
    }
    // The imaginary bases with the opposite sign are a different transform.
    const flipped = detectBasisLayout(def.basisReal, def.basisImag.map((v) => -v));
    expect(flipped.ok).toBe(false);
    // Real bases swapped with the imaginary ones.
    expect(detectBasisLayout(def.basisImag, def.basisReal).ok).toBe(false);
    // torch.istft's doubled inner bins are not CustomSTFT's bases.
    expect(detectBasisLayout(def.basisReal.map((v, i) => (i >= 20 && i < 200 ? 2 * v : v)), def.basisImag).ok).toBe(false);
    const nan = def.basisReal.slice();
    nan[37] = Number.NaN;
    expect(detectBasisLayout(nan, def.basisImag).ok).toBe(false);
    const small = detectBasisLayout(new Float32Array(219), def.basisImag);
    expect(small.ok === false && small.reason).toBe('bad-size');
  });
});

const goldens = new Goldens();
const cases = goldens.cases('istft');

describe('istft goldens', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    describe(c.name, () => {
      const spec = goldens.f32(c.spec);
      const phase = goldens.f32(c.phase);
      const length = c.L * SAMPLES_PER_FRAME;

      it('torch.istft semantics: waveform_reference within 1e-4', () => {
        const want = goldens.f32(c.waveform_reference);
        const y = istftTorch(spec, phase, length);
        expect(y.length).toBe(want.length);
        expect(maxAbsDiff(y, want)).toBeLessThanOrEqual(1e-4);
      });

      it('its bases are CustomSTFT bases [11 x 20], also found when transposed', () => {
        const wr = goldens.f32(c.basis_real);
        const wi = goldens.f32(c.basis_imag);
        const r = detectBasisLayout(wr, wi);
        expect(r.ok && r.layout).toBe('11x20');
        const t = detectBasisLayout(transpose11x20(wr), transpose11x20(wi));
        expect(t.ok && t.layout).toBe('20x11');
        if (t.ok) expect(maxAbsDiff(t.basisReal, wr)).toBe(0);
        // As the model manager reads them: raw file bytes (a Buffer may sit at any offset).
        const raw = (file: string) => readFileSync(resolve(goldens.dir, file));
        const fromBytes = detectBasisLayoutFromBytes(raw(c.basis_real.file), raw(c.basis_imag.file));
        expect(fromBytes.ok && fromBytes.layout).toBe('11x20');
        if (fromBytes.ok) expect(maxAbsDiff(fromBytes.basisImag, wi)).toBe(0);
        const short = detectBasisLayoutFromBytes(raw(c.basis_real.file).subarray(4), raw(c.basis_imag.file));
        expect(short.ok === false && short.reason).toBe('bad-size');
      });

      it('bases overlap-add: waveform_basis within 1e-4 (given and transposed bases)', () => {
        const want = goldens.f32(c.waveform_basis);
        const wr = goldens.f32(c.basis_real);
        const wi = goldens.f32(c.basis_imag);
        for (const [r, i] of [
          [wr, wi],
          [transpose11x20(wr), transpose11x20(wi)],
        ] as const) {
          const det = detectBasisLayout(r, i);
          if (!det.ok) throw new Error(det.message);
          const y = istftBases(spec, phase, det, length);
          expect(y.length).toBe(want.length);
          expect(maxAbsDiff(y, want)).toBeLessThanOrEqual(1e-4);
        }
      });

      it('the two inverses differ in scale (~0.8) and correlate (~0.98)', () => {
        const a = istftTorch(spec, phase, length);
        const b = istftBases(spec, phase, definedInverseBases(), length);
        let ab = 0;
        let aa = 0;
        let bb = 0;
        for (let i = 0; i < a.length; i++) {
          ab += a[i]! * b[i]!;
          aa += a[i]! * a[i]!;
          bb += b[i]! * b[i]!;
        }
        const corr = ab / Math.sqrt(aa * bb);
        const scale = ab / aa;
        expect(corr).toBeGreaterThan(0.9);
        expect(corr).toBeLessThan(0.9999);
        expect(scale).toBeGreaterThan(0.6);
        expect(scale).toBeLessThan(0.95);
        expect(stftFrameCount(length)).toBeLessThanOrEqual(spec.length / N_BINS);
      });
    });
  }
});
