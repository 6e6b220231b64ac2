import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';

/** Frames larger than this are refused: a chunk of 12.8 s of audio is about 1.3 MB. */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * Messages over a stream socket, as over a MessagePort: each one a structured-clone (v8)
 * serialisation with a 4-byte length in front, so Float32Arrays arrive as Float32Arrays.
 */
export class FramedSocket {
  private pending: Buffer = Buffer.alloc(0);
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
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32LE(0);
      if (length > MAX_FRAME_BYTES) {
        this.socket.destroy();
        return;
      }
      if (this.pending.length < 4 + length) return;
      const message: unknown = deserialize(this.pending.subarray(4, 4 + length));
      this.pending = this.pending.subarray(4 + length);
      for (const listener of this.listeners) listener(message);
    }
  }
}
