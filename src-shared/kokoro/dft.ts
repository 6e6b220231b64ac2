import { N_BINS, N_FFT } from './constants';

/** Periodic Hann window (torch.hann_window(n, periodic=True), scipy get_window('hann', n)). */
export function hannWindow(n: number = N_FFT): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * cosTurn(i, n);
  return w;
}

/** cos(2 pi m / n) with exact values at quarter turns (Math.cos(pi / 2) is 6e-17, not 0). */
export function cosTurn(m: number, n: number): number {
  const r = ((m % n) + n) % n;
  if (r === 0) return 1;
  if (2 * r === n) return -1;
  if (4 * r === n || 4 * r === 3 * n) return 0;
  // Folded so that cos(2 pi (n - m) / n) === cos(2 pi m / n) bit for bit (a symmetric window).
  return Math.cos((2 * Math.PI * Math.min(r, n - r)) / n);
}

/** sin(2 pi m / n) with exact values at quarter turns. */
export function sinTurn(m: number, n: number): number {
  const r = ((m % n) + n) % n;
  if (r === 0 || 2 * r === n) return 0;
  if (4 * r === n) return 1;
  if (4 * r === 3 * n) return -1;
  return 2 * r < n ? Math.sin((2 * Math.PI * r) / n) : -Math.sin((2 * Math.PI * (n - r)) / n);
}

export { N_BINS, N_FFT };

// Inline trigonometry for the hot loops. Math.sin/cos/atan2 are calls into C++ (fdlibm,
// 15-30 ns with random arguments); these polynomials inline, cost a few ns, and stay within
// 1e-13 of them, far below the float32 outputs and the golden tolerances.

/** pi in three parts (fdlibm's pio2_1, pio2_2, pio2_2t doubled): k * PI_A is exact for k < 2^20. */
const PI_A = 3.14159265346825122833;
const PI_B = 1.21542010126079319532e-10;
const PI_C = 4.04453249759190126308e-21;
const INV_PI = 1 / Math.PI;
/** |x| below which the three-part reduction is exact; callers check it once per array. */
export const FAST_TRIG_LIMIT = 3e6;

// Taylor coefficients of sin and cos, enough terms for |r| <= pi / 2 (truncation < 1e-13).
const S3 = -1 / 6;
const S5 = 1 / 120;
const S7 = -1 / 5040;
const S9 = 1 / 362880;
const S11 = -1 / 39916800;
const S13 = 1 / 6227020800;
const S15 = -1 / 1307674368000;
const S17 = 1 / 355687428096000;
const C2 = -1 / 2;
const C4 = 1 / 24;
const C6 = -1 / 720;
const C8 = 1 / 40320;
const C10 = -1 / 3628800;
const C12 = 1 / 479001600;
const C14 = -1 / 87178291200;
const C16 = 1 / 20922789888000;
const C18 = -1 / 6402373705728000;

/**
 * sin(x) for |x| < FAST_TRIG_LIMIT (NaN stays NaN): x reduced by multiples of pi to
 * |r| <= pi / 2, sin(x) = (-1)^k sin(r). No range check inside: a branch to Math.sin here
 * costs more than the polynomial.
 */
export function fastSin(x: number): number {
  const k = Math.floor(x * INV_PI + 0.5);
  const r = x - k * PI_A - k * PI_B - k * PI_C;
  const z = r * r;
  const s = r + r * z * (S3 + z * (S5 + z * (S7 + z * (S9 + z * (S11 + z * (S13 + z * (S15 + z * S17)))))));
  // Branch-free sign: k is an integer below 2^20 here.
  return s * (1 - 2 * (k & 1));
}

/** cos(x) for |x| < FAST_TRIG_LIMIT, reduced as fastSin. */
export function fastCos(x: number): number {
  const k = Math.floor(x * INV_PI + 0.5);
  const r = x - k * PI_A - k * PI_B - k * PI_C;
  const z = r * r;
  const c = 1 + z * (C2 + z * (C4 + z * (C6 + z * (C8 + z * (C10 + z * (C12 + z * (C14 + z * (C16 + z * C18))))))));
  return c * (1 - 2 * (k & 1));
}

// fdlibm's atan kernel (|t| < 7/16, error below 1 ulp).
const AT0 = 3.33333333333329318027e-1;
const AT1 = -1.99999999998764832476e-1;
const AT2 = 1.42857142725034663711e-1;
const AT3 = -1.11111104054623557880e-1;
const AT4 = 9.09088713343650656196e-2;
const AT5 = -7.69187620504482999495e-2;
const AT6 = 6.66107313738753120669e-2;
const AT7 = -5.83357013379057348645e-2;
const AT8 = 4.97687799461593236017e-2;
const AT9 = -3.65315727442169155270e-2;
const AT10 = 1.62858201153657823623e-2;

/** atan(t) for |t| < 7/16. */
function atanKernel(t: number): number {
  const z = t * t;
  const w = z * z;
  const s1 = z * (AT0 + w * (AT2 + w * (AT4 + w * (AT6 + w * (AT8 + w * AT10)))));
  const s2 = w * (AT1 + w * (AT3 + w * (AT5 + w * (AT7 + w * AT9))));
  return t - t * (s1 + s2);
}

/** Outside the fast path: zero, tiny, huge or non-finite values. */
function slowAngle(y: number, x: number): number {
  return y === 0 && x < 0 ? Math.PI : Math.atan2(y, x);
}

/**
 * atan2(y, x) given r = sqrt(x^2 + y^2), with pi (not -pi) on the negative real axis, as
 * torch.angle. Without the quadrant branches of an atan2 (random phases mispredict them):
 * a = atan2(y, |x|) is in [-pi/2, pi/2], and a / 4 has the tangent
 * y / (r + |x| + sqrt(2 r (r + |x|))) (half-angle formula twice, no cancellation), at most
 * tan(pi/8) in size, within the kernel's range. Then x < 0 mirrors a to +-pi - a.
 */
export function angle(y: number, x: number, r: number): number {
  // The products below would under- or overflow.
  if (!(r > 1e-150 && r < 1e150)) return slowAngle(y, x);
  const p = r + Math.abs(x);
  const a = 4 * atanKernel(y / (p + Math.sqrt(2 * r * p)));
  return x < 0 ? (y < 0 ? -Math.PI : Math.PI) - a : a;
}
