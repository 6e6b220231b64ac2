import { describe, it, expect } from 'vitest';
import { Mulberry32, createRandom, deriveSeed, harmonicSource, resolveRandom } from '../../src-shared/kokoro/index';
import { maxAbsDiff } from '../helpers/goldens';

describe('Mulberry32', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const sa = Array.from({ length: 100 }, () => a.uniform());
    const sb = Array.from({ length: 100 }, () => b.uniform());
    const sc = Array.from({ length: 100 }, () => c.uniform());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(sa.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('produces the published mulberry32 sequence', () => {
    // The widely published one-line JavaScript mulberry32, written independently here.
    const reference = (seed: number) => {
      let a = seed;
      return () => {
        let t = (a += 0x6d2b79f5);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return (t ^ (t >>> 14)) >>> 0;
      };
    };
    for (const seed of [0, 1, 123456789, 0xffffffff]) {
      const want = reference(seed | 0);
      const r = new Mulberry32(seed);
      for (let i = 0; i < 1000; i++) expect(r.nextUint32()).toBe(want());
    }
    expect(new Mulberry32(1).nextUint32()).toBe(2693262067);
  });

  it('fillNormal continues the same sequence as normal()', () => {
    const a = new Mulberry32(77);
    const b = new Mulberry32(77);
    const bulk = new Float64Array(1001);
    a.normal(); // leaves a spare behind, which fillNormal must use first
    b.normal();
    a.fillNormal(bulk);
    const one = Float64Array.from({ length: 1001 }, () => b.normal());
    expect(Array.from(bulk)).toEqual(Array.from(one));
    expect(a.normal()).toBe(b.normal());
    expect(a.uniform()).toBe(b.uniform());
  });

  it('draws standard normals', () => {
    const r = createRandom(7);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let beyond3 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      sum += v;
      sq += v * v;
      if (Math.abs(v) > 3) beyond3++;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(sq / n - mean * mean) - 1)).toBeLessThan(0.01);
    expect(beyond3 / n).toBeGreaterThan(0.0020);
    expect(beyond3 / n).toBeLessThan(0.0034);
  });

  it('derives distinct, reproducible per-chunk seeds', () => {
    expect(deriveSeed(5, 0)).toBe(deriveSeed(5, 0));
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(5, i)));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(5, 1)).not.toBe(deriveSeed(6, 1));
  });
});

describe('noise switch of the source step', () => {
  const f0 = new Float32Array(40);
  for (let i = 0; i < 40; i++) f0[i] = i < 20 ? 120 + i : 0; // voiced, then unvoiced
  const ll = new Float32Array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

  it('resolves settings: off for null, false and noise:false', () => {
    expect(resolveRandom(null)).toBeNull();
    expect(resolveRandom(undefined)).toBeNull();
    expect(resolveRandom(false)).toBeNull();
    expect(resolveRandom({ noise: false, seed: 3 })).toBeNull();
    expect(resolveRandom({ noise: true, seed: 3 })).not.toBeNull();
  });

  it('noise off gives the same output as no setting; the same seed gives the same output', () => {
    const clean = harmonicSource(f0, ll);
    expect(maxAbsDiff(harmonicSource(f0, ll, { random: { noise: false, seed: 9 } }), clean)).toBe(0);
    const n1 = harmonicSource(f0, ll, { random: { noise: true, seed: 9 } });
    const n2 = harmonicSource(f0, ll, { random: { noise: true, seed: 9 } });
    const n3 = harmonicSource(f0, ll, { random: { noise: true, seed: 10 } });
    expect(maxAbsDiff(n1, n2)).toBe(0);
    expect(maxAbsDiff(n1, clean)).toBeGreaterThan(0.01);
    expect(maxAbsDiff(n1, n3)).toBeGreaterThan(0.01);
  });

  it('adds noise of std 0.003 where voiced and 0.1/3 where unvoiced, through the merge weights', () => {
    // Independent noise per harmonic, merged by weights of norm 2: twice the std.
    const w = new Float32Array([1.2, 0, 0, 1.6, 0, 0, 0, 0, 0, 0]);
    const clean = harmonicSource(f0, w);
    const noisy = harmonicSource(f0, w, { random: { noise: true, seed: 1 } });
    const half = 20 * 300;
    const std = (from: number, to: number) => {
      let s = 0;
      for (let j = from; j < to; j++) s += (Math.atanh(noisy[j]!) - Math.atanh(clean[j]!)) ** 2;
      return Math.sqrt(s / (to - from));
    };
    expect(std(0, half) / (2 * 0.003)).toBeCloseTo(1, 1);
    expect(std(half, 2 * half) / ((2 * 0.1) / 3)).toBeCloseTo(1, 1);
  });
});
