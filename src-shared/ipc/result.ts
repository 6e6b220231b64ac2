import type { ErrorCode, ErrorData } from '../errors/catalogue';
import { AppError, errorData, toErrorData } from '../errors/catalogue';

/** Errors as data: every call across a process boundary answers with one of these. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, detail?: string, data?: Record<string, unknown>): Result<T> {
  return { ok: false, error: errorData(code, detail, data) };
}

/** Runs a handler and converts whatever it throws into a failed Result. */
export async function settle<T>(work: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (thrown) {
    return { ok: false, error: toErrorData(thrown) };
  }
}

/** The inverse of settle: a failed Result becomes a thrown AppError on the receiving side. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.error);
}
