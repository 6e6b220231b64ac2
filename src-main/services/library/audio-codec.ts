import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { SentenceSpan, TimedSpan } from '../../../src-shared/speech/types';
import { dequantize16, quantize16 } from '../../../src-shared/audio/wav';

/**
 * How cached audio is stored. Measured with scripts/bench-cache.ts on a 12.8 s chunk (307,200
 * samples) of eSpeak NG speech from the project's CLI, and on the same speech moved off the
 * 16-bit grid (a 3-tap filter, so samples use the whole float mantissa as a neural vocoder's
 * do). Bytes per sample, then encode / decode ms for the chunk (Node 20, two shared cores):
 *
 *                                          eSpeak (16-bit source)   off-grid float speech
 *   float32 raw                            4.010   4.3 / 3.7        4.010   2.9 / 3.6
 *   pcm16 raw                              2.010   5.9 / 3.0        2.010   7.6 / 2.6
 *   deflate(pcm16), level 1                1.515  12.2 / 1.6        1.496  16.4 / 1.6
 *   deflate(pcm16 delta, byte planes) l1   1.227  10.3 / 2.4        1.171  10.6 / 2.0   <- chosen
 *   deflate(pcm16 delta, byte planes) l6   1.173  20.2 / 1.4        1.112  23.0 / 1.3
 *   deflate(float32), level 6              1.976  25.3 / 4.0        2.694  24.8 / 3.7
 *   deflate(float32 xor-delta, planes) l6  1.478  45.9 / 2.4        2.673  31.7 / 3.0
 *   brotli q5 (pcm16 delta, planes)        1.153  21.8 / 1.7        1.091  16.3 / 1.6
 * (raw rows include the blob header and timing tables; decode of the codec rows is the full
 * blob -> Float32Array path.)
 *
 * Chosen: PCM16, first-order delta, split into low/high byte planes, raw deflate level 1
 * (Pcm16DeltaDeflate): 3.4x smaller than float32 and 1.7x smaller than plain PCM16, about 10 ms
 * to encode and 2 ms to decode a 12.8 s chunk. Lossless float32 (even xor-delta with byte
 * planes) stays near 2.7 bytes/sample on vocoder-like output because the low mantissa bits are
 * noise. PCM16 costs at most half a 16-bit step (-96 dBFS), which is also what the app's WAV
 * export keeps. Level 6 and brotli save another 5-7 % for twice the encode time on the
 * synthesis path.
 */
export const AudioEncoding = {
  Float32: 0,
  Pcm16: 1,
  Pcm16DeltaDeflate: 2,
} as const;
export type AudioEncoding = (typeof AudioEncoding)[keyof typeof AudioEncoding];

export const DEFAULT_ENCODING: AudioEncoding = AudioEncoding.Pcm16DeltaDeflate;

/** Audio with its timing tables, as the engine produces it (an AudioChunk fits). */
export interface AudioWithTimings {
  sampleRate: number;
  samples: Float32Array;
  sentences: SentenceSpan[];
  words: TimedSpan[];
  /** Per phoneme token [start0, end0, start1, end1, ...] in samples (src-shared/kokoro/spans). */
  tokenSpans?: Int32Array;
}

export interface CachedAudio extends AudioWithTimings {
  tokenSpans: Int32Array;
}

export class AudioBlobError extends Error {}

const MAGIC = 0x4341524b; // "KRAC" little-endian
const FORMAT_VERSION = 1;
const HEADER_BYTES = 24;

/**
 * Blob layout (little-endian): magic u32, format u8, encoding u8, reserved u16, sample rate
 * u32, sample count u32, token span count u32, JSON length u32, then the JSON of the word and
 * sentence spans, the token spans as int32, and the encoded samples.
 */
export function encodeAudio(audio: AudioWithTimings, encoding: AudioEncoding = DEFAULT_ENCODING): Buffer {
  const json = Buffer.from(JSON.stringify({ words: audio.words, sentences: audio.sentences }), 'utf8');
  const tokens = audio.tokenSpans ?? new Int32Array(0);
  const payload = encodeSamples(audio.samples, encoding);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt8(FORMAT_VERSION, 4);
  header.writeUInt8(encoding, 5);
  header.writeUInt32LE(audio.sampleRate, 8);
  header.writeUInt32LE(audio.samples.length, 12);
  header.writeUInt32LE(tokens.length, 16);
  header.writeUInt32LE(json.length, 20);
  const tokenBytes = Buffer.alloc(tokens.length * 4);
  for (let i = 0; i < tokens.length; i++) tokenBytes.writeInt32LE(tokens[i] ?? 0, i * 4);
  return Buffer.concat([header, json, tokenBytes, payload]);
}

export function decodeAudio(blob: Uint8Array): CachedAudio {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < HEADER_BYTES || buf.readUInt32LE(0) !== MAGIC) throw new AudioBlobError('not a cached-audio blob');
  if (buf.readUInt8(4) !== FORMAT_VERSION) throw new AudioBlobError(`blob format ${buf.readUInt8(4)} is unknown`);
  const encoding = buf.readUInt8(5) as AudioEncoding;
  const sampleRate = buf.readUInt32LE(8);
  const sampleCount = buf.readUInt32LE(12);
  const tokenCount = buf.readUInt32LE(16);
  const jsonLength = buf.readUInt32LE(20);
  const jsonEnd = HEADER_BYTES + jsonLength;
  const tokensEnd = jsonEnd + tokenCount * 4;
  if (tokensEnd > buf.length) throw new AudioBlobError('blob is truncated');
  const meta = JSON.parse(buf.toString('utf8', HEADER_BYTES, jsonEnd)) as { words: TimedSpan[]; sentences: SentenceSpan[] };
  const tokenSpans = new Int32Array(tokenCount);
  for (let i = 0; i < tokenCount; i++) tokenSpans[i] = buf.readInt32LE(jsonEnd + i * 4);
  const samples = decodeSamples(buf.subarray(tokensEnd), encoding, sampleCount);
  return { sampleRate, samples, sentences: meta.sentences, words: meta.words, tokenSpans };
}

export function encodeSamples(samples: Float32Array, encoding: AudioEncoding): Buffer {
  switch (encoding) {
    case AudioEncoding.Float32: {
      const out = Buffer.alloc(samples.length * 4);
      for (let i = 0; i < samples.length; i++) out.writeFloatLE(samples[i] ?? 0, i * 4);
      return out;
    }
    case AudioEncoding.Pcm16: {
      const out = Buffer.alloc(samples.length * 2);
      for (let i = 0; i < samples.length; i++) out.writeInt16LE(toPcm16(samples[i] ?? 0), i * 2);
      return out;
    }
    case AudioEncoding.Pcm16DeltaDeflate: {
      // Speech changes slowly between samples: deltas are small, so their high bytes are
      // mostly 0x00/0xff. Keeping the high bytes together gives deflate long runs.
      const n = samples.length;
      const planes = new Uint8Array(n * 2);
      let prev = 0;
      for (let i = 0; i < n; i++) {
        const v = toPcm16(samples[i] ?? 0);
        const d = (v - prev) & 0xffff;
        prev = v;
        planes[i] = d & 0xff;
        planes[n + i] = d >> 8;
      }
      return deflateRawSync(planes, { level: 1 });
    }
    default:
      throw new AudioBlobError(`encoding ${String(encoding)} is unknown`);
  }
}

export function decodeSamples(payload: Buffer, encoding: AudioEncoding, count: number): Float32Array {
  const out = new Float32Array(count);
  switch (encoding) {
    case AudioEncoding.Float32:
      if (payload.length !== count * 4) throw new AudioBlobError('sample data has the wrong length');
      for (let i = 0; i < count; i++) out[i] = payload.readFloatLE(i * 4);
      return out;
    case AudioEncoding.Pcm16:
      if (payload.length !== count * 2) throw new AudioBlobError('sample data has the wrong length');
      for (let i = 0; i < count; i++) out[i] = dequantize16(payload.readInt16LE(i * 2));
      return out;
    case AudioEncoding.Pcm16DeltaDeflate: {
      let planes: Buffer;
      try {
        planes = inflateRawSync(payload);
      } catch (thrown) {
        throw new AudioBlobError(`sample data does not inflate: ${(thrown as Error).message}`);
      }
      if (planes.length !== count * 2) throw new AudioBlobError('sample data has the wrong length');
      let v = 0;
      for (let i = 0; i < count; i++) {
        v = (v + ((planes[count + i] ?? 0) << 8 | (planes[i] ?? 0))) & 0xffff;
        out[i] = dequantize16((v << 16) >> 16);
      }
      return out;
    }
    default:
      throw new AudioBlobError(`encoding ${String(encoding)} is unknown`);
  }
}

const toPcm16 = quantize16;
