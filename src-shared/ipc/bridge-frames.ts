/**
 * Framing of the dev/test bridge's WebSocket messages. Requests, results, events and the audio
 * channel's other messages are JSON text frames; an audio chunk is one binary frame, so samples
 * are not turned into JSON:
 *   [u32 little-endian header length][header JSON, UTF-8][padding to 4 bytes][float32 samples]
 */
import type { AudioMessage, PlaybackReport } from './audio-port';
import type { PushChannel } from './contract';
import type { AudioChunk } from '../speech/types';
import type { Result } from './result';

export interface BridgeRequestFrame {
  id: number;
  channel: string;
  params: unknown;
}

/** Server -> page text frames; `audio` is the audio channel's end or error (chunks go binary). */
export type BridgeTextFrame =
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'event'; event: PushChannel; data: unknown }
  | { kind: 'audio'; message: Exclude<AudioMessage, { kind: 'chunk' }> };

/** Page -> server: the audio channel's playback report (requests are BridgeRequestFrames). */
export interface BridgeReportFrame {
  report: PlaybackReport;
}

export function encodeChunkFrame(session: string, chunk: AudioChunk): Uint8Array {
  const { samples, ...meta } = chunk;
  const header = new TextEncoder().encode(JSON.stringify({ session, chunk: meta }));
  const headerEnd = 4 + header.length;
  const samplesOffset = Math.ceil(headerEnd / 4) * 4;
  const frame = new Uint8Array(samplesOffset + samples.byteLength);
  new DataView(frame.buffer).setUint32(0, header.length, true);
  frame.set(header, 4);
  frame.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), samplesOffset);
  return frame;
}

export function decodeChunkFrame(frame: ArrayBuffer): { session: string; chunk: AudioChunk } {
  const headerLength = new DataView(frame).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(frame, 4, headerLength))) as { session: string; chunk: Omit<AudioChunk, 'samples'> };
  const samplesOffset = Math.ceil((4 + headerLength) / 4) * 4;
  const samples = new Float32Array(frame.slice(samplesOffset));
  return { session: header.session, chunk: { ...header.chunk, samples } };
}

/**
 * JSON with byte arrays: a Uint8Array travels as {"$bytes": base64} (a document opened in a
 * browser goes over the bridge as bytes). Used for request frames in both directions.
 */
export function stringifyWithBytes(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $bytes: bytesToBase64(v) } : v));
}

export function parseWithBytes(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && typeof (v as { $bytes?: unknown }).$bytes === 'string' && Object.keys(v).length === 1) {
      return base64ToBytes((v as { $bytes: string }).$bytes);
    }
    return v;
  });
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
