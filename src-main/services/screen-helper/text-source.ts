/** Where the helper's text comes from: the shell's clipboard (Electron), or a stand-in (browser mode, tests). */
import { readFileSync } from 'node:fs';

export type TextRead = { kind: 'text'; text: string } | { kind: 'empty' } | { kind: 'not-text'; formats: string[] };

export interface TextSource {
  /** The selected text (Linux: the PRIMARY selection; Windows, macOS: the clipboard after the person's copy). */
  readSelection(): TextRead;
  readClipboard(): TextRead;
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
  const read = (): TextRead => {
    try {
      return textRead(readFileSync(path, 'utf8'));
    } catch {
      return { kind: 'empty' };
    }
  };
  return { readSelection: read, readClipboard: read };
}
