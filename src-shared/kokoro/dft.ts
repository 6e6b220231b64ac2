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

/** cos/sin(2 pi k n / N) for k in 0..N/2, n in 0..N-1, row-major [N_BINS x N_FFT]. */
export function dftTables(nFft: number = N_FFT): { cos: Float64Array; sin: Float64Array } {
  const bins = nFft / 2 + 1;
  const cos = new Float64Array(bins * nFft);
  const sin = new Float64Array(bins * nFft);
  for (let k = 0; k < bins; k++) {
    for (let n = 0; n < nFft; n++) {
      cos[k * nFft + n] = cosTurn(k * n, nFft);
      sin[k * nFft + n] = sinTurn(k * n, nFft);
    }
  }
  return { cos, sin };
}

export { N_BINS, N_FFT };
