/** 16-bit PCM mono WAV encoding. Samples outside [-1, 1] are clipped. */

export const WAV_HEADER_BYTES = 44;

export function wavHeader(sampleRate: number, sampleCount: number): Uint8Array {
  const dataBytes = sampleCount * 2;
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (offset: number, text: string): void => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

/**
 * The one float -> 16-bit rule of the app (WAV files and the audio cache): symmetric, so that
 * quantize16(dequantize16(q)) === q and audio that went through the cache writes the same bytes.
 */
export function quantize16(s: number): number {
  return Math.round((s > 1 ? 1 : s < -1 ? -1 : s || 0) * 32767);
}

export function dequantize16(q: number): number {
  return q / 32767;
}

export function floatToPcm16(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, quantize16(samples[i] ?? 0), true);
  return out;
}

export interface DecodedWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  samples: Float32Array;
}

/** Reads a PCM WAV (16-bit, any channel count; the first channel is returned). */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number): string => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < WAV_HEADER_BYTES || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let offset = 12;
  let sampleRate = 0;
  let channels = 0;
  let bitsPerSample = 0;
  while (offset + 8 <= bytes.length) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = view.getUint16(body + 2, true);
      sampleRate = view.getUint32(body + 4, true);
      bitsPerSample = view.getUint16(body + 14, true);
    } else if (id === 'data') {
      if (bitsPerSample !== 16) throw new Error(`unsupported bits per sample: ${bitsPerSample}`);
      const frames = Math.floor(Math.min(size, bytes.length - body) / (2 * channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = dequantize16(view.getInt16(body + i * 2 * channels, true));
      return { sampleRate, channels, bitsPerSample, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('no data chunk');
}
