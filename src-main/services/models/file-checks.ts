/**
 * What "this file is the right one" means: its size and SHA-256 when the manifest knows them,
 * and a sanity check of the format either way (so an HTML error page or a truncated file saved
 * under a model's name is caught even while a checksum is still unknown).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ModelFileEntry } from './manifest';

export interface FileDigest {
  size: number;
  sha256: string;
}

/** Streams a file through SHA-256; `onBytes` gets the running count. */
export async function hashFile(path: string, onBytes?: (done: number) => void, signal?: AbortSignal): Promise<FileDigest> {
  const hash = createHash('sha256');
  let size = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    onBytes?.(size);
  }
  return { size, sha256: hash.digest('hex') };
}

/** Size of a file in bytes, or null when it does not exist. */
export async function fileSizeOrNull(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw thrown;
  }
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The format check alone: null when fine, else what is wrong. */
export async function checkFormat(entry: ModelFileEntry, path: string, size: number): Promise<string | null> {
  switch (entry.format) {
    case 'tflite': {
      // FlatBuffer file identifier of every TFLite model, at bytes 4..8.
      const head = await readHead(path, 8);
      return head.length === 8 && head.subarray(4, 8).toString('latin1') === 'TFL3' ? null : 'it is not a TFLite model (no "TFL3" identifier)';
    }
    case 'json': {
      try {
        JSON.parse(await readFile(path, 'utf8'));
        return null;
      } catch {
        return 'it is not valid JSON';
      }
    }
    case 'float32':
      return size % 4 === 0 ? null : `its size (${size} bytes) is not a whole number of float32 values`;
    case 'binary':
      return null;
  }
}

/** Compares a file's digest with what the manifest expects; null when it matches. */
export async function checkContent(entry: ModelFileEntry, path: string, digest: FileDigest): Promise<string | null> {
  if (digest.size === 0) return 'the file is empty';
  if (entry.size !== null && digest.size !== entry.size) return `its size is ${digest.size} bytes, expected ${entry.size}`;
  if (entry.sha256 !== null && digest.sha256 !== entry.sha256) return `its SHA-256 is ${digest.sha256}, expected ${entry.sha256}`;
  return checkFormat(entry, path, digest.size);
}

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const UNWRITABLE_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Maps an error from writing into the model folder to a catalogue error. */
export function fsError(thrown: unknown, path: string): AppError {
  if (thrown instanceof AppError) return thrown;
  const code = (thrown as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && DISK_FULL_CODES.has(code)) return AppError.of('DISK_FULL', `(writing ${path}: ${code})`, { path });
  if (code !== undefined && UNWRITABLE_CODES.has(code)) return AppError.of('MODEL_DIR_UNWRITABLE', `(${path}: ${code})`, { path });
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  return AppError.of('OUTPUT_UNWRITABLE', `(${path}: ${detail})`, { path });
}
