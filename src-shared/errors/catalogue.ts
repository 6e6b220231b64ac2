/**
 * The one catalogue of error codes that cross process boundaries.
 * Each code has a user-facing message and, where the user can act, the fix.
 * Codes are stable: tests, logs and the CLI's exit path depend on them.
 */
export const ERROR_CATALOGUE = {
  EMPTY_TEXT: {
    message: 'There is no text to read.',
    fix: 'Paste or type some text, then press Play.',
  },
  TEXT_TOO_LARGE: {
    message: 'The text is too large to read in one go.',
    fix: 'Split it into smaller parts (chapters), or open it as a document.',
  },
  INVALID_SPEED: {
    message: 'The speed must be a number from 0.5 to 2.',
    fix: 'Choose a speed between 0.5 (half) and 2 (double).',
  },
  NOTHING_SPEAKABLE: {
    message: 'The text contains nothing that can be spoken.',
    fix: 'Check that the text has words in a supported language.',
  },
  ENGINE_CRASHED: {
    message: 'The speech engine stopped unexpectedly and is restarting.',
    fix: 'Press Play again. If it keeps happening, restart the app.',
  },
  ENGINE_START_TIMEOUT: {
    message: 'The speech engine did not start in time.',
    fix: 'Close other heavy programs and try again; restart the app if it persists.',
  },
  ENGINE_UNAVAILABLE: {
    message: 'The speech engine is not running.',
    fix: 'Restart the app.',
  },
  ENGINE_FAILED: {
    message: 'The speech engine could not synthesise this text.',
    fix: 'Try another voice, or report the text that fails.',
  },
  CANCELLED: {
    message: 'Reading was stopped.',
    fix: '',
  },
  UNKNOWN_VOICE: {
    message: 'That voice is not installed.',
    fix: 'Run `kokoro-reader voices` to list the voices you can use.',
  },
  UNKNOWN_METHOD: {
    message: 'The request is not supported by this version.',
    fix: 'Update the app so all its parts are the same version.',
  },
  INVALID_REQUEST: {
    message: 'The request was malformed.',
    fix: 'This is a bug; please report it.',
  },
  FORBIDDEN_SENDER: {
    message: 'A request came from a page that is not allowed to use the app.',
    fix: '',
  },
  FILE_NOT_FOUND: {
    message: 'The file could not be found.',
    fix: 'Check the path and try again.',
  },
  FILE_UNREADABLE: {
    message: 'The file could not be read as text.',
    fix: 'Save it as UTF-8 text, or check that it is not a binary file.',
  },
  OUTPUT_UNWRITABLE: {
    message: 'The output file could not be written.',
    fix: 'Choose a folder you can write to, with enough free space.',
  },
  USAGE: {
    message: 'The command was not used correctly.',
    fix: 'Run `kokoro-reader --help` for usage.',
  },
  ELECTRON_MISSING: {
    message: "Electron's program files are not installed (they are downloaded on first start).",
    fix: 'Connect to the internet and run `npx install-electron`, or reinstall with `npm install` while online.',
  },
  INTERNAL: {
    message: 'Something went wrong inside the app.',
    fix: 'Try again; if it persists, report it with the log.',
  },
} as const satisfies Record<string, { message: string; fix: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error as it crosses processes: plain data that structured clone and JSON keep intact. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  data?: Record<string, unknown>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}

/** Builds error data from a code, with an optional detail that says what exactly was wrong. */
export function errorData(code: ErrorCode, detail?: string, data?: Record<string, unknown>): ErrorData {
  const base = ERROR_CATALOGUE[code].message;
  const message = detail ? `${base} ${detail}` : base;
  return data === undefined ? { code, message } : { code, message, data };
}

/** The message with the fix appended, for a status line or the CLI. */
export function describeError(error: ErrorData): string {
  const fix = isErrorCode(error.code) ? ERROR_CATALOGUE[error.code].fix : '';
  return fix ? `${error.message} ${fix}` : error.message;
}

/** A thrown error that carries catalogue data; rebuilt on the receiving side of IPC. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly data: Record<string, unknown> | undefined;

  constructor(error: ErrorData) {
    super(error.message);
    this.name = 'AppError';
    this.code = error.code;
    this.data = error.data;
  }

  static of(code: ErrorCode, detail?: string, data?: Record<string, unknown>): AppError {
    return new AppError(errorData(code, detail, data));
  }

  toData(): ErrorData {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

/** Turns anything thrown into catalogue data; unknown errors become INTERNAL with their message kept. */
export function toErrorData(thrown: unknown): ErrorData {
  if (thrown instanceof AppError) return thrown.toData();
  if (isErrorDataShape(thrown)) return thrown;
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  return errorData('INTERNAL', `(${detail})`);
}

export function isErrorDataShape(value: unknown): value is ErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    isErrorCode((value as { code?: unknown }).code) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
