/** Input types in which Space and letters are typed as text. */
const TEXT_INPUT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number']);

function isTextField(target: HTMLElement): boolean {
  if (target instanceof HTMLTextAreaElement || target.isContentEditable) return true;
  return target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type);
}

/**
 * Whether a key belongs to the focused control rather than to the reader's shortcuts: every key
 * in a text field; Space on a checkbox (no other key toggles it); arrows and letters in selects
 * and sliders (they change the value). Space on a button is the reader's: it pauses, it does not
 * press the button (a focused chapter or Next button would otherwise act again).
 */
export function isOwnKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (isTextField(target)) return true;
  if (key === ' ') return target instanceof HTMLInputElement && target.type === 'checkbox';
  return target instanceof HTMLSelectElement || target instanceof HTMLInputElement;
}
