/** One code's texts for the user. */
interface CatalogueEntry {
  message: string;
  fix: string;
  /** The fix for the command line, where `fix` speaks of the app's window. */
  cliFix?: string;
}

/**
 * The one catalogue of error codes that cross process boundaries.
 * Each code has a user-facing message and, where the user can act, the fix. A fix written for
 * the app's window (Play, Settings, restarting the app) has a `cliFix` for the command line.
 * Codes are stable: tests, logs and the CLI's exit path depend on them.
 */
export const ERROR_CATALOGUE = {
  EMPTY_TEXT: {
    message: 'There is no text to read.',
    fix: 'Paste or type some text, then press Play.',
    cliFix: 'Pass TEXT, --in FILE, or pipe text on standard input.',
  },
  TEXT_NOT_FOUND: {
    message: 'The text to read is no longer open in the app.',
    fix: 'Open the document again, or paste the text again, then press Play.',
    cliFix: 'Run the command again.',
  },
  TEXT_TOO_LARGE: {
    message: 'The text is too large to read in one go.',
    fix: 'Split it into smaller parts (chapters), or open it as a document.',
  },
  CLIPBOARD_EMPTY: {
    message: 'There is no text to read there: it is empty, or holds something other than text.',
    fix: 'Select or copy some text, then try again.',
  },
  CLIPBOARD_NOT_TEXT: {
    message: 'What was copied is not text (an image or a file, for example), so it cannot be read aloud.',
    fix: 'Copy the text itself, then press the shortcut or choose Read clipboard again.',
    cliFix: 'Copy the text itself, then run the command again.',
  },
  CLIPBOARD_TOOL_MISSING: {
    message: 'No program to read the clipboard is installed.',
    fix: 'Install wl-clipboard (Wayland) or xclip (X11) with your package manager, for example `sudo apt install wl-clipboard xclip`.',
  },
  CLIPBOARD_NO_DISPLAY: {
    message: 'There is no desktop session to read the clipboard from.',
    fix: 'Run it inside your desktop session (where WAYLAND_DISPLAY or DISPLAY is set), or pipe the text in instead.',
  },
  CLIPBOARD_UNREADABLE: {
    message: 'The clipboard could not be read.',
    fix: 'Copy the text again and try again; the detail says what the clipboard program reported.',
  },
  CLIPBOARD_UNSUPPORTED: {
    message: 'Reading the clipboard is not supported on this system.',
    fix: 'Paste the text into the reader instead.',
    cliFix: 'Pipe the text in instead: `kokoro-reader speak --out FILE < text.txt`.',
  },
  SELECTION_UNSUPPORTED: {
    message: 'Reading the selection without a copy works only on Linux.',
    fix: 'Copy the text first, then read the clipboard.',
    cliFix: 'Copy the text first, then use `kokoro-reader speak --clipboard`.',
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
    cliFix: 'Run the command again. If it keeps happening, report the text that fails.',
  },
  ENGINE_NOT_RESPONDING: {
    message: 'The speech engine stopped responding, so it was ended and is restarting.',
    fix: 'Press Play again. If it keeps happening, restart the app.',
    cliFix: 'Run the command again. If it keeps happening, report the text that fails.',
  },
  ENGINE_START_TIMEOUT: {
    message: 'The speech engine did not start in time.',
    fix: 'Close other heavy programs and try again; restart the app if it persists.',
    cliFix: 'Close other heavy programs and run the command again.',
  },
  ENGINE_UNAVAILABLE: {
    message: 'The speech engine is not running.',
    fix: 'Restart the app.',
    cliFix: 'Run the command again.',
  },
  ENGINE_FAILED: {
    message: 'The speech engine could not synthesise this text.',
    fix: 'Try another voice, or report the text that fails.',
  },
  CANCELLED: {
    message: 'Reading was stopped.',
    fix: '',
  },
  EXPORT_CHAPTER_NOT_FOUND: {
    message: 'The document has no such chapter.',
    fix: 'Choose chapters from the list in the Export dialog.',
    cliFix: 'Give chapter numbers as `kokoro-reader import FILE` lists them, e.g. --chapters 1,3-5.',
  },
  EXPORT_CHAPTER_EMPTY: {
    message: 'A chosen chapter has nothing to read aloud.',
    fix: 'Leave that chapter out of the export.',
    cliFix: 'Leave that chapter out of --chapters.',
  },
  EXPORT_OPTION_UNFIT: {
    message: 'That export option does not fit the chosen format.',
    fix: 'Change the format or leave the option out, as the detail says.',
  },
  EXPORT_NOT_FOUND: {
    message: 'That export is not in the list any more.',
    fix: 'Export the chapters again.',
  },
  NO_SAVE_DIALOG: {
    message: 'There is no save dialog in browser mode.',
    fix: 'Start the browser mode with --export-dir DIR to export into that folder, or export with `kokoro-reader export`.',
  },
  EXPORT_TARGET_MISMATCH: {
    message: 'The file name does not end as the chosen format does.',
    fix: 'Name the file with the format’s ending (book.m4b, book.mp3, book.opus, book.flac, book.wav, book.epub).',
  },
  UNKNOWN_VOICE: {
    message: 'That voice is not installed.',
    fix: 'Choose one of the voices in the list.',
    cliFix: 'Run `kokoro-reader voices` to list the voices you can use.',
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
  FILE_NOT_CHOSEN: {
    message: 'That file was not chosen by the user, so it cannot be opened.',
    fix: 'Open it with Open… or drop it on the window; reopen earlier books from Recent.',
    cliFix: 'Name the file on the command line.',
  },
  NO_FILE_DIALOG: {
    message: 'There is no file dialog in browser mode.',
    fix: 'Pick the file with Open… in the page, or drop it on the page: its bytes are sent to the app.',
  },
  PATH_IS_FOLDER: {
    message: 'That is a folder, not a file.',
    fix: 'Choose a file inside it.',
    cliFix: 'Name a file inside it.',
  },
  NOT_A_REGULAR_FILE: {
    message: 'That is not a file the app can read (it is a device, a pipe or a socket).',
    fix: 'Open a document file: TXT, Markdown, HTML, EPUB, PDF or DOCX.',
    cliFix: 'Name a document file (TXT, Markdown, HTML, EPUB, PDF or DOCX); to speak the output of another program, pipe it into `kokoro-reader speak`.',
  },
  FILE_UNREADABLE: {
    message: 'The file could not be read as text.',
    fix: 'Save it as UTF-8 text, or check that it is not a binary file.',
  },
  FILE_TOO_LARGE: {
    message: 'The file is too large to open.',
    fix: 'Split the document into smaller files, or export the part you want to read.',
  },
  DOCUMENT_TOO_LONG: {
    message: 'The document has too much text to read in one go.',
    fix: 'Split the document into smaller files (volumes or parts), or export the part you want to read.',
  },
  UNSUPPORTED_FORMAT: {
    message: 'This kind of file cannot be opened.',
    fix: 'Open a TXT, Markdown, HTML, EPUB, PDF or DOCX file.',
  },
  CORRUPT_DOCUMENT: {
    message: 'The document is damaged or incomplete and could not be opened.',
    fix: 'Download or export the file again, or open it in its own program and save a new copy.',
  },
  EMPTY_DOCUMENT: {
    message: 'The document contains no text to read.',
    fix: 'Check that you chose the right file.',
  },
  ENCRYPTED_DOCUMENT: {
    message: 'The document is protected with a password.',
    fix: 'Open it in its own program with the password and save an unprotected copy.',
  },
  DRM_PROTECTED: {
    message: 'The book is protected by DRM (copy protection), so its text cannot be read.',
    fix: 'Use a DRM-free copy of the book, or read it in the app it was bought for.',
  },
  NO_TEXT_LAYER: {
    message: 'The PDF contains only images of pages, with no text to read.',
    fix: 'Run it through OCR (text recognition) first, for example with OCRmyPDF, then open the new file.',
  },
  ZIP_BOMB: {
    message: 'The file would expand to an unsafe size when unpacked, so it was not opened.',
    fix: 'If you trust the file, convert it to another format first; otherwise delete it.',
  },
  UNSAFE_DOCUMENT: {
    message: 'The document contains XML constructs that could harm the app (entity expansion or external references), so it was not opened.',
    fix: 'If you trust the file, convert it to another format first (for example with Calibre).',
  },
  DOCUMENT_TOO_DEEP: {
    message: 'The document nests its elements too deeply to be opened safely.',
    fix: 'If you trust the file, open it in its own program and save or export a new copy (plain text works best).',
  },
  IMPORT_TIMEOUT: {
    message: 'Opening the document took too long and was stopped.',
    fix: 'Try again; if it keeps happening, convert the document to another format.',
  },
  OUTPUT_UNWRITABLE: {
    message: 'The output file could not be written.',
    fix: 'Choose a folder you can write to, with enough free space.',
  },
  OUTPUT_TOO_LONG: {
    message: 'The audio is too long for one WAV file (about 24 hours at most).',
    fix: 'Export the document chapter by chapter, or a part of it at a time.',
  },
  OUTPUT_DISK_FULL: {
    message: 'The disk is full (or the file would pass the size limit for files), so the output file could not be written.',
    fix: 'Free some space, or choose a folder on another disk, then export again.',
  },
  TOO_MANY_CHAPTERS_FOR_M4B: {
    message: 'An M4B audiobook holds at most 255 chapter marks.',
    fix: 'Export 255 chapters or fewer at a time, or choose MP3 with one file per chapter.',
  },
  USAGE: {
    message: 'The command was not used correctly.',
    fix: 'Run `kokoro-reader --help` for usage.',
  },
  ELECTRON_MISSING: {
    message: "Electron's program files are not installed (they are downloaded on first start).",
    fix: 'Connect to the internet and run `npm run install-electron`, or reinstall with `npm install` while online.',
  },
  MODEL_MISSING: {
    message: 'The Kokoro voice model is not installed.',
    fix: 'Run `kokoro-reader models download` (about 370 MB), or `kokoro-reader models import DIR` with files you already have.',
  },
  MODEL_INCOMPLETE: {
    message: 'The Kokoro model folder is incomplete, so the Kokoro voices cannot be used.',
    fix: 'Run `kokoro-reader models download` to fetch the missing files (files already there are kept), then `kokoro-reader models doctor` to check the folder.',
  },
  DOWNLOAD_FAILED: {
    message: 'A model file could not be downloaded: the connection failed.',
    fix: 'Check your internet connection and run the download again; it continues where it stopped.',
  },
  DOWNLOAD_HTTP_ERROR: {
    message: 'The download server refused a model file.',
    fix: 'Try again later. If it says "not found", update the app: its list of model files may be out of date.',
  },
  DOWNLOAD_CANCELLED: {
    message: 'The model download was stopped.',
    fix: 'Run the download again to continue where it stopped.',
  },
  DOWNLOAD_IN_PROGRESS: {
    message: 'Another download or import is already writing to the model folder.',
    fix: 'Wait for it to finish, or close the other Kokoro Reader window or command.',
    cliFix: 'Wait for it to finish, or stop the other kokoro-reader command (or close the app).',
  },
  FOLDER_PATH_NEEDED: {
    message: 'Importing needs the full path of the folder that holds the model files.',
    fix: 'Type the folder’s full path (such as /home/me/kokoro), then press Import.',
    cliFix: 'Give the folder: `kokoro-reader models import DIR`.',
  },
  FOLDER_PATH_REFUSED: {
    message: 'The app imports only from a folder chosen in its folder dialog.',
    fix: 'Press Import from a folder… and choose the folder there.',
    cliFix: 'Give the folder: `kokoro-reader models import DIR`.',
  },
  NO_MODEL_FILES_FOUND: {
    message: 'No Kokoro model files were found in that folder.',
    fix: 'Name the folder that holds the model files (such as kokoro_vocoder.tflite and config.json), or run `kokoro-reader models download`.',
  },
  CHECKSUM_MISMATCH: {
    message: 'A model file is damaged or is not the expected file (its size or checksum does not match).',
    fix: 'The bad file was removed; run the download again, or import a correct copy.',
  },
  DISK_FULL: {
    message: 'There is not enough free disk space for the model files.',
    fix: 'Free some space (or choose another folder with --model-dir) and run the download again; it continues where it stopped.',
  },
  MODEL_DIR_UNWRITABLE: {
    message: 'The model folder cannot be written.',
    fix: 'Check its permissions, or choose a folder you can write to with --model-dir.',
  },
  MANIFEST_INVALID: {
    message: 'The list of model files that comes with the app is malformed.',
    fix: 'This is a bug; please report it.',
  },
  INVALID_VOICE_BLEND: {
    message: 'The voice blend is not written correctly.',
    fix: 'Write it as voice*weight+voice*weight with positive weights, e.g. af_heart*0.6+bf_emma*0.4.',
  },
  VOICE_PACK_INVALID: {
    message: 'The Kokoro voice files are missing or damaged.',
    fix: 'Reinstall the app; the voice files come with it.',
  },
  LIBRARY_UNAVAILABLE: {
    message: 'The library is not available, so nothing is remembered this session.',
    fix: 'See the message about the library at the bottom of the window; reading still works.',
    cliFix: 'Pass a data folder you can write to with --data-dir.',
  },
  DATABASE_CORRUPT: {
    message: 'The library database is damaged.',
    fix: 'The damaged file is kept aside, renamed with the date, and a new one is used with what could still be read from it (restart the app if this appeared while reading); restore a backup if you have one.',
    cliFix: 'The damaged file is kept aside, renamed with the date, and a new one is used with what could still be read from it; restore a backup if you have one.',
  },
  DATABASE_READ_ONLY: {
    message: 'The library database cannot be written to.',
    fix: 'Check that the app may write to its data folder (permissions, a read-only disk or a locked file), then restart the app.',
    cliFix: 'Check that you may write to the data folder (--data-dir): permissions, a read-only disk or a locked file.',
  },
  DATABASE_TOO_NEW: {
    message: 'The library was saved by a newer version of the app.',
    fix: 'Update the app; until then, changes are kept only until you quit.',
    cliFix: 'Update Kokoro Reader, or use another data folder with --data-dir.',
  },
  DATABASE_BUSY: {
    message: 'The library is in use by another copy of the app.',
    fix: 'Close the other copy (or wait for it to finish) and try again.',
    cliFix: 'Wait for the other kokoro-reader command to finish (or close the app), then run the command again.',
  },
  DATABASE_DISK_FULL: {
    message: 'The disk is full, so the change to the library could not be saved.',
    fix: 'Free some disk space or lower the audio cache size in Settings; what was saved before is kept.',
    cliFix: 'Free some disk space; what was saved before is kept.',
  },
  CACHE_ENTRY_CORRUPT: {
    message: 'A cached piece of audio was damaged and has been removed.',
    fix: 'Nothing to do: it is synthesised again when needed.',
  },
  DOCUMENT_NOT_FOUND: {
    message: 'That document is not in the library.',
    fix: 'Open the file again to add it to the library.',
  },
  BOOKMARK_NOT_FOUND: {
    message: 'That bookmark is not in the library any more.',
    fix: 'Open the list of bookmarks again; it shows the ones that are kept.',
  },
  LEXICON_RULE_INVALID: {
    message: 'The pronunciation rule is not valid.',
    fix: 'Check the word or pattern and the pronunciation (Kokoro phoneme symbols), then save again.',
    cliFix: 'Check the word or pattern and the pronunciation (Kokoro phoneme symbols), then run `kokoro-reader lexicon add` again.',
  },
  LEXICON_ENTRY_NOT_FOUND: {
    message: 'There is no pronunciation entry with that id.',
    fix: 'Reopen the list of pronunciations: the entry may have been removed already.',
    cliFix: 'Run `kokoro-reader lexicon list` to see the ids.',
  },
  LEXICON_IMPORT_INVALID: {
    message: 'The pronunciation file could not be imported.',
    fix: 'Choose a JSON or TSV file exported from this app\'s pronunciation list.',
    cliFix: 'Name a JSON file written by `kokoro-reader lexicon export` (or exported from the app\'s pronunciation list).',
  },
  MODEL_INVALID: {
    message: 'A Kokoro model file is damaged or is not the expected model.',
    fix: 'Run `kokoro-reader models doctor` to see which file, then download or import it again.',
  },
  MODEL_LOAD_FAILED: {
    message: 'The Kokoro model could not be loaded by the speech runtime.',
    fix: 'Run `kokoro-reader models doctor`; if the files are fine, restart the app and report the log.',
    cliFix: 'Run `kokoro-reader models doctor`; if the files are fine, report the command and what it printed.',
  },
  OUT_OF_MEMORY: {
    message: 'The speech engine ran out of memory.',
    fix: 'Close other programs and try again; the Kokoro voice needs about 1 GB of free memory. The built-in eSpeak voices need far less.',
  },
  LITERT_UNAVAILABLE: {
    message: 'The neural speech runtime (LiteRT) could not start on this system.',
    fix: 'Reinstall the app; until then, use the built-in eSpeak voices.',
  },
  INSTALL_TAMPERED: {
    message: 'A program file of Kokoro Reader is not the one that was installed, so the app will not start.',
    fix: 'Reinstall Kokoro Reader from its official download.',
  },
  HELPER_CLIPBOARD_EMPTY: {
    message: 'The clipboard is empty, so there is nothing to read.',
    fix: 'Copy some text (Ctrl+C, or ⌘C on a Mac), then press the shortcut or choose Read clipboard again.',
    cliFix: 'Copy some text, then run the command again.',
  },
  HELPER_SELECTION_EMPTY: {
    message: 'No text is selected, so there is nothing to read.',
    fix: 'Select some text in any program (on Windows and macOS, also copy it with Ctrl+C or ⌘C), then press the shortcut again.',
    cliFix: 'Select some text in any program, then run the command again.',
  },
  HELPER_NO_READER_WINDOW: {
    message: 'The reader could not be opened, so the text stays in the mini player.',
    fix: 'Open the reader from the tray icon, then paste the text there.',
    cliFix: 'Open the app, then paste the text there.',
  },
  INTERNAL: {
    message: 'Something went wrong inside the app.',
    fix: 'Try again; if it persists, report it with the log.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Where an error is shown: the app's window (and its status line), or the command line. */
export type ErrorSurface = 'app' | 'cli';

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

/** The message with the fix for that surface appended, for a status line or the CLI. */
export function describeError(error: ErrorData, surface: ErrorSurface = 'app'): string {
  const entry: CatalogueEntry | undefined = isErrorCode(error.code) ? ERROR_CATALOGUE[error.code] : undefined;
  const fix = (surface === 'cli' ? entry?.cliFix : undefined) ?? entry?.fix;
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
