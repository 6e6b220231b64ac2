import type { HelperControl } from '../../src-shared/screen-helper/types';

/** Input types in which Space and letters are typed as text. */
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number']);

function isTextField(target: HTMLElement): boolean {
  if (target instanceof HTMLTextAreaElement || target.isContentEditable) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}

/**
 * Whether a key belongs to the focused control rather than to the reader's shortcuts: every key
 * in a text field; Space on a checkbox or a select (it toggles or opens them); arrows and letters
 * in selects and sliders (they change the value). Space on a button is the reader's while
 * reading: it pauses instead of pressing the button again (a focused chapter or Next button would
 * otherwise act once more; Enter still presses buttons). When nothing is being read, Space
 * presses a focused button as usual.
 */
export function isOwnKey(target: EventTarget | null, key: string, reading: boolean): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (isTextField(target)) return true;
  if (target instanceof HTMLSelectElement || target instanceof HTMLInputElement) return true;
  if (key === ' ') return !reading && target.closest('button, [role="button"], a[href], summary') !== null;
  return false;
}

/** What a key does to reading in both windows, the reader and the helper's mini player (Esc differs: each window stops its own way). */
export type ReadingKeyAction = Exclude<HelperControl, 'stop'>;

/** The reading keys: Space or k, → or n, ← or p, + (or =, the same key unshifted) and -. */
export function readingKeyAction(key: string): ReadingKeyAction | undefined {
  switch (key) {
    case ' ':
    case 'k':
      return 'pause-resume';
    case 'ArrowRight':
    case 'n':
      return 'next';
    case 'ArrowLeft':
    case 'p':
      return 'previous';
    case '+':
    case '=':
      return 'faster';
    case '-':
      return 'slower';
    default:
      return undefined;
  }
}

/** Says where reading is (sentence, chapter, time): the status does not follow each sentence, so this asks for it. */
export const POSITION_KEY = 'i';

/**
 * A reading key that is a single character (k, n, p, +, = and -): these can be turned off, so
 * that speech input or a stray key press does not pause or skip (WCAG 2.1.4). Space and the
 * arrows stay, like the keys with Ctrl.
 */
export function isSingleCharacterKey(key: string): boolean {
  return key.length === 1 && key !== ' ';
}
