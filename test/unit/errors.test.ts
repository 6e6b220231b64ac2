import { describe, expect, it } from 'vitest';
import { AppError, ERROR_CATALOGUE, describeError, errorData, isErrorCode, toErrorData } from '../../src-shared/errors/catalogue';
import { fail, ok, settle, unwrap } from '../../src-shared/ipc/result';

describe('error catalogue', () => {
  it('gives every code a user-facing message', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(entry.message, code).toMatch(/^[A-Z].*[.)]$/);
    }
  });

  it('keeps code, message and data when an error crosses a process as plain data', () => {
    const error = AppError.of('UNKNOWN_VOICE', '(zz_none)', { voice: 'zz_none' });
    const copy = structuredClone(error.toData());
    const rebuilt = new AppError(copy);
    expect(rebuilt.code).toBe('UNKNOWN_VOICE');
    expect(rebuilt.message).toBe('That voice is not installed. (zz_none)');
    expect(rebuilt.data).toEqual({ voice: 'zz_none' });
  });

  it('turns unknown throwables into INTERNAL with their message kept', () => {
    expect(toErrorData(new TypeError('boom'))).toEqual({ code: 'INTERNAL', message: 'Something went wrong inside the app. (boom)' });
    expect(toErrorData(errorData('CANCELLED')).code).toBe('CANCELLED');
    expect(isErrorCode('NOT_A_CODE')).toBe(false);
  });

  it('appends the fix for display', () => {
    expect(describeError(errorData('EMPTY_TEXT'))).toBe(`${ERROR_CATALOGUE.EMPTY_TEXT.message} ${ERROR_CATALOGUE.EMPTY_TEXT.fix}`);
    expect(describeError(errorData('CANCELLED'))).toBe(ERROR_CATALOGUE.CANCELLED.message);
  });

  it('gives the command line its own fix where the app\'s speaks of the window', () => {
    expect(describeError(errorData('EMPTY_TEXT'), 'cli')).toBe('There is no text to read. Pass TEXT, --in FILE, or pipe text on standard input.');
    expect(describeError(errorData('EMPTY_TEXT'), 'app')).toBe(describeError(errorData('EMPTY_TEXT')));
    // Entries without a CLI fix read the same on both surfaces.
    expect(describeError(errorData('CORRUPT_DOCUMENT'), 'cli')).toBe(describeError(errorData('CORRUPT_DOCUMENT')));
    // And the other way round: the window names no command where the list of voices will do.
    expect(describeError(errorData('UNKNOWN_VOICE'))).not.toContain('kokoro-reader');
    expect(describeError(errorData('UNKNOWN_VOICE'), 'cli')).toContain('`kokoro-reader voices`');
    // Nothing the command line lacks: Play, Settings, the window, its keys, restarting the app.
    const appWording = /\bPlay\b|\bpress\b|\bSettings\b|\bwindow\b|\bclick|\bbutton\b|Ctrl\+|\breload\b|restart the app/i;
    const codes = Object.keys(ERROR_CATALOGUE).filter(isErrorCode);
    expect(codes.filter((code) => appWording.test(describeError(errorData(code), 'cli')))).toEqual([]);
  });
});

describe('Result helpers', () => {
  it('settle captures thrown AppErrors as data and unwrap rethrows them', async () => {
    const failed = await settle(() => {
      throw AppError.of('EMPTY_TEXT');
    });
    expect(failed).toEqual(fail('EMPTY_TEXT'));
    expect(() => unwrap(failed)).toThrowError(/no text to read/);
    expect(unwrap(await settle(() => 42))).toBe(42);
    expect(ok('x')).toEqual({ ok: true, value: 'x' });
  });
});
