import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, parse, sep } from 'node:path';
import { AppError } from '../../../src-shared/errors/catalogue';

/** Errors from reading a file as catalogue errors that name the file. */
export function fileError(error: unknown, path: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return AppError.of('FILE_NOT_FOUND', `(${path})`);
  if (code === 'EACCES' || code === 'EPERM') return AppError.of('FILE_UNREADABLE', `(${path}: permission denied.)`);
  if (code === 'EISDIR') return AppError.of('PATH_IS_FOLDER', `(${path})`);
  return AppError.of('FILE_UNREADABLE', `(${path}: ${error instanceof Error ? error.message : String(error)})`);
}

/** Throws the catalogue error unless `path` is a regular file (missing, unreadable, a folder, a device, a pipe, a socket). */
export async function checkRegularFile(path: string): Promise<void> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (thrown) {
    throw fileError(thrown, path);
  }
  const irregular = irregularFileError(info, path);
  if (irregular) throw irregular;
}

/** Why `path` is no file to read (a folder, a device, a pipe, a socket), or undefined for a regular file. */
export function irregularFileError(info: Stats, path: string): AppError | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return AppError.of('PATH_IS_FOLDER', `(${path})`);
  const kind = info.isFIFO() ? 'a named pipe' : info.isSocket() ? 'a socket' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : 'not a regular file';
  return AppError.of('NOT_A_REGULAR_FILE', `(${path} is ${kind}.)`);
}

/**
 * The same error with `path` shown by its file name only: for answers to the window, which never
 * learns where the user's files are (a library entry whose file has moved would say otherwise).
 */
export function withFileNameOnly(thrown: unknown, path: string): unknown {
  const folder = dirname(path);
  if (!(thrown instanceof AppError) || !thrown.message.includes(folder)) return thrown;
  let message = thrown.message.split(path).join(basename(path)).split(folder + sep).join('');
  // The folder named alone; not the root, whose "/" is in any message.
  if (folder !== parse(path).root) message = message.split(folder).join('…');
  return new AppError({ code: thrown.code, message, ...(thrown.data === undefined ? {} : { data: thrown.data }) });
}
