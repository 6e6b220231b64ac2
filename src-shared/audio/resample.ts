/**
 * Band-limited resampling by windowed sinc (Blackman window), for engines whose native
 * rate is not the app's 24 kHz (eSpeak NG speaks at 22,050 Hz). Each call resamples one
 * whole chunk; chunks are separate utterances, so no state carries between calls.
 */
const HALF_TAPS = 16;

export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input.slice();
  const ratio = toRate / fromRate;
  const outLength = Math.round(input.length * ratio);
  const out = new Float32Array(outLength);
  // Downsampling must also low-pass below the new Nyquist frequency.
  const cutoff = Math.min(1, ratio);
  const step = 1 / ratio;
  for (let n = 0; n < outLength; n++) {
    const center = n * step;
    const first = Math.ceil(center - HALF_TAPS / cutoff);
    const last = Math.floor(center + HALF_TAPS / cutoff);
    let acc = 0;
    let norm = 0;
    for (let k = Math.max(0, first); k <= Math.min(input.length - 1, last); k++) {
      const x = (k - center) * cutoff;
      const w = blackman(x / HALF_TAPS);
      const h = cutoff * sinc(x) * w;
      acc += (input[k] ?? 0) * h;
      norm += h;
    }
    // Normalising by the kernel sum keeps DC gain at 1 near the edges too.
    out[n] = norm > 1e-9 ? acc / norm : 0;
  }
  return out;
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/** Blackman window over [-1, 1]. */
function blackman(t: number): number {
  if (t <= -1 || t >= 1) return 0;
  const a = Math.PI * (t + 1);
  return 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
}
