import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../../src-shared/errors/catalogue';
import { WAV_HEADER_BYTES, floatToPcm16, wavHeader } from '../../../src-shared/audio/wav';
import { pidScope, processAlive } from '../../platform/process-alive';

const MAX_RIFF_BYTES = 0xffff_ffff;
/**
 * A partial file untouched this long is stale whoever wrote it: a running writer appends
 * continuously. This catches what the pid cannot tell (another host's file, an old name
 * without the host, a pid since taken by another process).
 */
const STALE_PARTIAL_MS = 24 * 60 * 60 * 1000;

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

/** `.NAME.wav.SCOPE.PID.partial`: the pid says who writes it only within its scope (host, PID namespace). */
export function partialPath(path: string, pid: number): string {
  return join(dirname(path), `.${basename(path)}.${pidScope()}.${pid}.partial`);
}

/**
 * Removes the temporary files of earlier runs for the same output that nobody writes any more:
 * a run ended by SIGKILL (or a power cut) has no chance to remove its own. One of this host's
 * (and PID namespace's) goes when its process is gone; a file whose process still runs is
 * another run's work in progress, and is left alone. On a shared folder (NFS) or beside a
 * container, a pid of another scope says nothing here: such a file goes only once untouched for
 * a day (STALE_PARTIAL_MS), as does any partial file.
 */
export async function removeStalePartials(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return; // An unreadable folder: opening the file below says so.
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    // SCOPE.PID, or PID alone in the names of earlier versions (whose scope is unknown).
    const match = /^(?:([A-Za-z0-9-]+)\.)?([1-9]\d*)\.partial$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const [, scope, pid] = match;
    const file = join(dirname(path), name);
    const deadHere = scope === pidScope() && !processAlive(Number(pid));
    if (deadHere || (await untouchedFor(file)) >= STALE_PARTIAL_MS) await rm(file, { force: true }).catch(() => undefined);
  }
}

/** How long ago the file was last written (0 when it cannot be read, so it is kept). */
async function untouchedFor(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}
