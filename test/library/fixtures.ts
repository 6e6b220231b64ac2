// Plain data helpers, free of vitest, so the crash-test child process can use them too.

/** Speech-like test audio that is exactly representable in 16-bit PCM, derived from a seed. */
export function testAudio(seed: number, length: number): Float32Array {
  const out = new Float32Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const tone = Math.sin((i * (200 + (seed % 300))) / 24_000 * 2 * Math.PI) * 0.4;
    const noise = ((x >>> 16) / 65536 - 0.5) * 0.05;
    out[i] = (Math.round((tone + noise) * 32767) || 0) / 32767; // || 0: no -0, which decodes as +0
  }
  return out;
}
