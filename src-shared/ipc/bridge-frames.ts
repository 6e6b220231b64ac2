/**
 * Framing of the dev/test bridge's WebSocket messages. Requests, results and most events are
 * JSON text frames; an audio chunk is one binary frame, so samples are not turned into JSON:
 *   [u32 little-endian header length][header JSON, UTF-8][padding to 4 bytes][float32 samples]
 */
import type { PushChannel, PushMap } from './contract';
import type { AudioChunk } from '../speech/types';
import type { Result } from './result';

export interface BridgeRequestFrame {
  id: number;
  channel: string;
  params: unknown;
}

export type BridgeTextFrame = { kind: 'result'; id: number; result: Result<unknown> } | { kind: 'event'; event: PushChannel; data: unknown };

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

export function decodeChunkFrame(frame: ArrayBuffer): PushMap['speech:chunk'] {
  const headerLength = new DataView(frame).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(frame, 4, headerLength))) as { session: string; chunk: Omit<AudioChunk, 'samples'> };
  const samplesOffset = Math.ceil((4 + headerLength) / 4) * 4;
  const samples = new Float32Array(frame.slice(samplesOffset));
  return { session: header.session, chunk: { ...header.chunk, samples } };
}
