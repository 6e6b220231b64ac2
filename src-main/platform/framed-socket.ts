import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';

/** Frames larger than this are refused: a chunk of 12.8 s of audio is about 1.3 MB. */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * Messages over a stream socket, as over a MessagePort: each one a structured-clone (v8)
 * serialisation with a 4-byte length in front, so Float32Arrays arrive as Float32Arrays.
 */
export class FramedSocket {
  /** What has arrived of frames not yet complete, in pieces (joined once a frame is whole). */
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  private readonly listeners = new Set<(message: unknown) => void>();

  constructor(private readonly socket: Socket) {
    socket.on('data', (data: Buffer) => this.receive(data));
    // A peer that went away ends the channel; the owner hears it through onClose.
    socket.on('error', () => socket.destroy());
  }

  send(message: unknown): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    const body = serialize(message);
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32LE(body.length, 0);
    this.socket.write(Buffer.concat([header, body]));
  }

  onMessage(listener: (message: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(data: Buffer): void {
    this.pieces.push(data);
    this.pendingBytes += data.length;
    while (this.pendingBytes >= 4) {
      const head = this.take(4, false);
      const length = head.readUInt32LE(0);
      if (length > MAX_FRAME_BYTES) {
        this.socket.destroy();
        return;
      }
      if (this.pendingBytes < 4 + length) return;
      this.take(4, true);
      const message: unknown = deserialize(this.take(length, true));
      for (const listener of this.listeners) listener(message);
    }
  }

  /** The first `bytes` of what is pending (joined only when they span pieces); `consume` removes them. */
  private take(bytes: number, consume: boolean): Buffer {
    if ((this.pieces[0]?.length ?? 0) < bytes) this.pieces = [Buffer.concat(this.pieces, this.pendingBytes)];
    const out = (this.pieces[0] ?? Buffer.alloc(0)).subarray(0, bytes);
    if (consume) {
      const rest = (this.pieces[0] ?? Buffer.alloc(0)).subarray(bytes);
      this.pieces[0] = rest;
      if (rest.length === 0) this.pieces.shift();
      this.pendingBytes -= bytes;
    }
    return out;
  }
}
