/**
 * Seedable randomness for the source step (SineGen's initial phases and additive noise).
 * Upstream draws these from torch's global generator; here a chunk is seeded so that
 * re-synthesising it gives the same audio, and tests switch randomness off entirely.
 */

export interface RandomSource {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (mean 0, std 1). */
  normal(): number;
  /** Optional bulk form of normal(): fills `out` with the next out.length deviates. */
  fillNormal?(out: Float64Array): void;
}

/**
 * What the source step accepts: a ready source, `{ noise, seed }`, or null/undefined/false
 * for no randomness at all (zero initial phases, zero noise: the goldens' setting).
 */
export type NoiseSetting = RandomSource | { noise: boolean; seed: number } | null | undefined | false;

/** Normalises any finite number to a 32-bit unsigned seed. */
function toSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
  return Math.trunc(seed) >>> 0;
}

/** mulberry32: tiny, fast, and good enough for audio dither; the whole state is one 32-bit word. */
export class Mulberry32 implements RandomSource {
  private state: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.state = toSeed(seed);
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Marsaglia's polar method: exact normal deviates without trigonometry; pairs are cached. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  /** Same deviates as repeated normal(), with the state in locals (the source step needs ~2.8M). */
  fillNormal(out: Float64Array): void {
    const n = out.length;
    let i = 0;
    if (n > 0 && this.hasSpare) {
      this.hasSpare = false;
      out[i++] = this.spare;
    }
    let a = this.state;
    while (i < n) {
      let u: number;
      let v: number;
      let s: number;
      do {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        u = (2 * ((t ^ (t >>> 14)) >>> 0)) / 4294967296 - 1;
        a = (a + 0x6d2b79f5) | 0;
        t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        v = (2 * ((t ^ (t >>> 14)) >>> 0)) / 4294967296 - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      out[i++] = u * m;
      if (i < n) out[i++] = v * m;
      else {
        this.spare = v * m;
        this.hasSpare = true;
      }
    }
    this.state = a;
  }
}

export function createRandom(seed: number): RandomSource {
  return new Mulberry32(seed);
}

/** The source to use for a setting, or null when randomness is off. */
export function resolveRandom(setting: NoiseSetting): RandomSource | null {
  if (!setting) return null;
  if ('noise' in setting && 'seed' in setting) return setting.noise ? createRandom(setting.seed) : null;
  return setting;
}

/**
 * Mixes numbers (e.g. a document seed and a chunk index) into one 32-bit seed, so each
 * chunk has its own reproducible noise. murmur3's finaliser spreads nearby inputs apart.
 */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ toSeed(p), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
