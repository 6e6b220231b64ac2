import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { AppError } from '../../../src-shared/errors/catalogue';
import { WAV_HEADER_BYTES, floatToPcm16, wavHeader } from '../../../src-shared/audio/wav';
import { partialPath, removeStalePartials } from './partial-files';

const MAX_RIFF_BYTES = 0xffff_ffff;

/**
 * Writes a WAV file as chunks arrive, into a temporary file beside the target that is renamed
 * into place only when complete: a cancelled or failed run leaves no half-written file.
 */
export class WavFileWriter {
  private samples = 0;
  private constructor(
    private readonly handle: FileHandle,
    private readonly tempPath: string,
    private readonly finalPath: string,
    private readonly sampleRate: number,
  ) {}

  static async create(path: string, sampleRate: number): Promise<WavFileWriter> {
    const tempPath = partialPath(path, process.pid);
    await removeStalePartials(path);
    let handle: FileHandle | undefined;
    try {
      handle = await open(tempPath, 'w');
      await handle.write(wavHeader(sampleRate, 0), 0, WAV_HEADER_BYTES, 0);
      return new WavFileWriter(handle, tempPath, path, sampleRate);
    } catch (thrown) {
      await handle?.close().catch(() => undefined);
      await rm(tempPath, { force: true });
      throw AppError.of('OUTPUT_UNWRITABLE', `(${path}: ${(thrown as NodeJS.ErrnoException).code ?? String(thrown)})`);
    }
  }

  async append(samples: Float32Array): Promise<void> {
    // RIFF sizes are 32-bit: a WAV file holds at most about 24.8 hours at 24 kHz.
    if (WAV_HEADER_BYTES + (this.samples + samples.length) * 2 > MAX_RIFF_BYTES) {
      await this.abort();
      throw AppError.of('OUTPUT_TOO_LONG', `(${this.finalPath})`);
    }
    const bytes = floatToPcm16(samples);
    await this.guard(() => this.handle.write(bytes, 0, bytes.length, WAV_HEADER_BYTES + this.samples * 2));
    this.samples += samples.length;
  }

  async finish(): Promise<{ path: string; samples: number }> {
    await this.guard(async () => {
      await this.handle.write(wavHeader(this.sampleRate, this.samples), 0, WAV_HEADER_BYTES, 0);
      await this.handle.close();
      await rename(this.tempPath, this.finalPath);
    });
    return { path: this.finalPath, samples: this.samples };
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tempPath, { force: true });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (thrown) {
      await this.abort();
      throw AppError.of('OUTPUT_UNWRITABLE', `(${this.finalPath}: ${(thrown as NodeJS.ErrnoException).code ?? String(thrown)})`);
    }
  }
}
