/**
 * The selection and the clipboard through Electron's clipboard (asynchronous since Electron 45).
 * Linux has the PRIMARY selection (`clipboard.selection`: what is selected, without a copy);
 * Windows and macOS have none, so "the selection" there is the clipboard after the person's
 * copy. Sending the copy keystroke for them would need a native module (robotjs, nut.js) built
 * for each platform, so it is not done.
 */
import type * as ElectronModule from 'electron';
import { textRead } from '../../services/screen-helper/text-source';
import type { TextRead, TextSource } from '../../services/screen-helper/text-source';

/** The part of Electron's clipboard read here (its ClipboardItems are read for their types only). */
interface Board {
  readText: ElectronModule.Clipboard['readText'];
  read(): Promise<ReadonlyArray<Pick<ElectronModule.ClipboardItem, 'types'>>>;
}
export type ClipboardLike = Board & { readonly selection?: Board | undefined };

export function electronTextSource(clipboard: ClipboardLike, platform: NodeJS.Platform): TextSource {
  const read = async (board: Board | undefined): Promise<TextRead> => {
    if (!board) return { kind: 'empty' };
    const text = await board.readText();
    if (/\S/.test(text)) return textRead(text);
    // Nothing as text: an image or a file is said as such, not as an empty clipboard.
    const formats = [...new Set((await board.read()).flatMap((item) => item.types))];
    return formats.some((format) => !format.startsWith('text/')) ? { kind: 'not-text', formats } : { kind: 'empty' };
  };
  return {
    readSelection: () => read(platform === 'linux' ? clipboard.selection : clipboard),
    readClipboard: () => read(clipboard),
  };
}
