/** `speak --clipboard` and `speak --selection`: the text to read, from the system's clipboard tools. */
import { AppError } from '../../src-shared/errors/catalogue';
import { defaultClipboardEnvironment, readSystemClipboard } from '../platform/system-clipboard';
import type { ClipboardEnvironment, ClipboardSource } from '../platform/system-clipboard';

export type Note = (line: string) => void;

/**
 * The clipboard's (or the selection's) text. A text beyond the reader's limit is read from its
 * start, as the app's helper does, and `note` says so: the file is still written, so a script
 * gets audio rather than an error, and the person sees that it is not all of it.
 */
export async function clipboardText(source: ClipboardSource, note: Note, environment: ClipboardEnvironment = defaultClipboardEnvironment()): Promise<string> {
  const result = await readSystemClipboard(source, environment);
  if (!result.ok) throw new AppError(result.error);
  const { text, truncated } = result.value;
  if (truncated) {
    const where = source === 'selection' ? 'the selection' : 'the clipboard';
    note(`note: ${where} holds more than ${environment.maxBytes.toLocaleString('en')} bytes of text; reading its first ${text.length.toLocaleString('en')} characters.\n`);
  }
  return text;
}
