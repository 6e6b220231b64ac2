import { describe, it, expect } from 'vitest';
import {
  FRAME_BUCKET,
  TOKEN_BUCKET,
  buildAlignment,
  predictDurations,
  roundHalfEven,
  totalFrames,
} from '../../src-shared/kokoro/index';
import { Goldens } from '../helpers/goldens';

describe('roundHalfEven', () => {
  it('rounds exact halves to the even neighbour', () => {
    expect([0.5, 1.5, 2.5, 3.5, 4.5, 10.5, 11.5].map(roundHalfEven)).toEqual([0, 2, 2, 4, 4, 10, 12]);
    expect([-0.5, -1.5, -2.5].map(roundHalfEven).map((v) => v + 0)).toEqual([0, -2, -2]);
  });

  it('rounds everything else to nearest', () => {
    expect([0.49999997, 0.50000006, 2.4, 2.6, 3, -2.6, 7.999].map(roundHalfEven)).toEqual([0, 1, 2, 3, 3, -3, 8]);
  });

  it('differs from Math.round exactly on the even-below ties', () => {
    expect(roundHalfEven(2.5)).not.toBe(Math.round(2.5));
    expect(roundHalfEven(3.5)).toBe(Math.round(3.5));
  });

  it('passes non-finite values through', () => {
    expect(roundHalfEven(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(roundHalfEven(Number.NaN)).toBeNaN();
  });
});

describe('predictDurations', () => {
  it('divides by speed before rounding, half to even', () => {
    const d = new Float32Array([5, 3, 2.5, 7]);
    expect(Array.from(predictDurations(d, 4, 1))).toEqual([5, 3, 2, 7]);
    expect(Array.from(predictDurations(d, 4, 2))).toEqual([2, 2, 1, 4]); // 2.5, 1.5, 1.25, 3.5
    expect(Array.from(predictDurations(d, 4, 0.5))).toEqual([10, 6, 5, 14]);
  });

  it('gives every token at least one frame', () => {
    const d = new Float32Array([0, 0.2, 0.5, -3, 0.51]);
    expect(Array.from(predictDurations(d, 5, 1))).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(predictDurations(new Float32Array([Number.NaN]), 1, 1))).toEqual([1]);
  });

  it('only reads the first tokenCount values', () => {
    const d = new Float32Array(TOKEN_BUCKET).fill(9);
    d[0] = 3;
    d[1] = 4;
    expect(Array.from(predictDurations(d, 2, 1))).toEqual([3, 4]);
  });

  it('divides in float32 like torch (speed 1.3 is 1.29999995 there)', () => {
    // In float32 these quotients are exact ties (1.5, 8.5); in double they are not
    // (1.49999994, 8.50000015), which would give 1 and 9.
    const d = new Float32Array([1.9499999284744263, 11.050000190734863]);
    expect(Array.from(predictDurations(d, 2, 1.3))).toEqual([2, 8]);
  });

  it('rejects bad arguments', () => {
    expect(() => predictDurations(new Float32Array(4), 5, 1)).toThrow(RangeError);
    expect(() => predictDurations(new Float32Array(4), 4, 0)).toThrow(RangeError);
    expect(() => predictDurations(new Float32Array(4), 4, Number.NaN)).toThrow(RangeError);
  });
});

describe('buildAlignment', () => {
  it('builds the one-hot alignment and the frame mask', () => {
    const r = buildAlignment(new Int32Array([2, 1, 3]), 3);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.frames).toBe(6);
    expect(r.aln.length).toBe(TOKEN_BUCKET * FRAME_BUCKET);
    expect(r.frameMask.length).toBe(FRAME_BUCKET);
    const row = (i: number) => Array.from(r.aln.subarray(i * FRAME_BUCKET, i * FRAME_BUCKET + 8));
    expect(row(0)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    expect(row(1)).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
    expect(row(2)).toEqual([0, 0, 0, 1, 1, 1, 0, 0]);
    expect(r.aln.reduce((a, b) => a + b, 0)).toBe(6);
    expect(Array.from(r.frameMask.subarray(0, 8))).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(r.frameMask.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('accepts exactly a full bucket and reports one frame more as overflow', () => {
    const full = new Int32Array(4).fill(FRAME_BUCKET / 4);
    const ok = buildAlignment(full, 4);
    expect(ok.ok && ok.frames).toBe(FRAME_BUCKET);
    full[3]! += 1;
    expect(buildAlignment(full, 4)).toEqual({ ok: false, reason: 'overflow', frames: FRAME_BUCKET + 1, limit: FRAME_BUCKET });
  });

  it('rejects more tokens than the bucket holds', () => {
    expect(() => buildAlignment(new Int32Array(TOKEN_BUCKET + 1).fill(1))).toThrow(RangeError);
  });
});

const goldens = new Goldens();
const cases = goldens.cases('alignment');

describe('alignment goldens', () => {
  it('has cases, including an overflow and a tie case', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    describe(c.name, () => {
      const duration = goldens.f32(c.duration);
      const expected = goldens.i32(c.pred_dur);

      it('pred_dur matches exactly', () => {
        const pred = predictDurations(duration, c.T, c.speed);
        expect(pred.length).toBe(c.T);
        expect(Array.from(pred)).toEqual(Array.from(expected));
        expect(totalFrames(pred)).toBe(c.L);
      });

      if (c.overflow) {
        it('is reported as overflow, not truncated', () => {
          const r = buildAlignment(predictDurations(duration, c.T, c.speed), c.T);
          expect(r).toEqual({ ok: false, reason: 'overflow', frames: c.L, limit: FRAME_BUCKET });
        });
      } else {
        it('aln, frame_mask and L match exactly', () => {
          if (!c.aln || !c.frame_mask) throw new Error(`${c.name}: no aln / frame_mask`);
          const r = buildAlignment(predictDurations(duration, c.T, c.speed), c.T);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.frames).toBe(c.L);
          const aln = goldens.f32(c.aln);
          const mask = goldens.f32(c.frame_mask);
          let alnDiff = 0;
          for (let i = 0; i < aln.length; i++) if (aln[i] !== r.aln[i]) alnDiff++;
          expect(alnDiff).toBe(0);
          expect(Array.from(r.frameMask)).toEqual(Array.from(mask));
        });
      }

      it('would fail with Math.round wherever a tie rounds down', () => {
        // Guards the test itself: where the golden holds .5 ties to an even lower value,
        // naive rounding must disagree with it.
        const s = Math.fround(c.speed);
        let ties = 0;
        for (let i = 0; i < c.T; i++) {
          const q = Math.fround(duration[i]! / s);
          if (q >= 1 && q - Math.floor(q) === 0.5 && Math.floor(q) % 2 === 0) {
            ties++;
            expect(Math.round(q)).not.toBe(expected[i]);
          }
        }
        if (c.name === 'align0') expect(ties).toBeGreaterThan(0);
      });
    });
  }
});
