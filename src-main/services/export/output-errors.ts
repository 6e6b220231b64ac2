/** What writing an export's files threw, as the catalogue says it: the same for audio, subtitles and EPUB. */
import { AppError } from '../../../src-shared/errors/catalogue';

/** A full disk, a quota, or a file-size limit: the user frees space or chooses another folder. */
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * Maps what writing threw to the catalogue: a full disk, a target that cannot be written (any
 * other error of the file system), or a failure of an encoder itself.
 */
export function outputError(thrown: unknown, path: string): AppError {
  if (thrown instanceof AppError) return thrown;
  const code = (thrown as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && DISK_FULL_CODES.has(code)) return AppError.of('OUTPUT_DISK_FULL', `(${path}: ${code})`, { path });
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return AppError.of('OUTPUT_UNWRITABLE', `(${path}: ${code})`, { path });
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  return AppError.of('INTERNAL', `(encoding ${path}: ${detail})`, { path });
}
