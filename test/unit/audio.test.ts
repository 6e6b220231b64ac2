import { describe, expect, it } from 'vitest';
import { resample } from '../../src-shared/audio/resample';
import { decodeWav, floatToPcm16, wavHeader } from '../../src-shared/audio/wav';

function sine(freq: number, rate: number, seconds: number): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = 0.5 * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** Frequency estimate from zero crossings, enough to tell a correct resampler from a wrong one. */
function zeroCrossingFrequency(samples: Float32Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1] ?? 0) < 0 !== (samples[i] ?? 0) < 0) crossings++;
  return crossings / 2 / (samples.length / rate);
}

describe('WAV encoding', () => {
  it('round-trips 16-bit mono samples with the right header fields', () => {
    const samples = new Float32Array([0, 0.5, -0.5, 1, -1, 2, -2]);
    const bytes = new Uint8Array([...wavHeader(24000, samples.length), ...floatToPcm16(samples)]);
    const wav = decodeWav(bytes);
    expect(wav.sampleRate).toBe(24000);
    expect(wav.channels).toBe(1);
    expect(wav.bitsPerSample).toBe(16);
    expect(Array.from(wav.samples).map((s) => Math.round(s * 1000) / 1000)).toEqual([0, 0.5, -0.5, 1, -1, 1, -1]);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(36 + samples.length * 2);
  });

  it('rejects what is not a WAV file', () => {
    expect(() => decodeWav(new TextEncoder().encode('this is not audio at all, just text........'))).toThrow(/RIFF/);
  });
});

describe('resampling 22,050 Hz to 24 kHz', () => {
  it('keeps duration and pitch', () => {
    const input = sine(440, 22050, 1);
    const output = resample(input, 22050, 24000);
    expect(output.length).toBe(24000);
    expect(zeroCrossingFrequency(output, 24000)).toBeCloseTo(440, -1);
  });

  it('keeps amplitude in the band and removes what lies above the new Nyquist when downsampling', () => {
    const passband = resample(sine(1000, 22050, 0.5), 22050, 24000);
    const peak = Math.max(...Array.from(passband.subarray(200, passband.length - 200)).map(Math.abs));
    expect(peak).toBeGreaterThan(0.48);
    expect(peak).toBeLessThan(0.52);
    const aliasing = resample(sine(10000, 24000, 0.5), 24000, 16000);
    const rms = Math.sqrt(aliasing.subarray(100, -100).reduce((s, v) => s + v * v, 0) / (aliasing.length - 200));
    expect(rms).toBeLessThan(0.02);
  });

  it('returns a copy when the rates are equal', () => {
    const input = new Float32Array([1, 2, 3]);
    const output = resample(input, 24000, 24000);
    expect(Array.from(output)).toEqual([1, 2, 3]);
    expect(output).not.toBe(input);
  });
});
