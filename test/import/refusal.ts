import { expect } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import { importFile } from '../../src-main/services/import';
import type { ImportOptions } from '../../src-main/services/import/limits';

/** The catalogue error an import is refused with (fails when it opens, or throws anything else). */
export async function refusal(path: string, options: ImportOptions = {}): Promise<AppError> {
  const error = await importFile(path, options).then(
    () => new Error(`${path} was imported`),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
