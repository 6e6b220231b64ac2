/** Where the helper's text comes from: the shell's clipboard (Electron), or a stand-in (browser mode, tests). */
import { readFile } from 'node:fs/promises';

export type TextRead = { kind: 'text'; text: string } | { kind: 'empty' } | { kind: 'not-text'; formats: string[] };

/** Electron's clipboard is asynchronous, so both reads are. */
export interface TextSource {
  /** The selected text (Linux: the PRIMARY selection; Windows, macOS: the clipboard after the person's copy). */
  readSelection(): Promise<TextRead>;
  readClipboard(): Promise<TextRead>;
}

/** Text that is only white space reads as empty: there is nothing to speak. */
export function textRead(text: string): TextRead {
  return /\S/.test(text) ? { kind: 'text', text } : { kind: 'empty' };
}

/**
 * Browser mode's stand-in: the file's text is both the clipboard and the selection, read anew
 * each time (a test rewrites it between reads); a missing file is an empty clipboard.
 */
export function fileTextSource(path: string): TextSource {
  const read = (): Promise<TextRead> => readFile(path, 'utf8').then(textRead, () => ({ kind: 'empty' }) as const);
  return { readSelection: read, readClipboard: read };
}
