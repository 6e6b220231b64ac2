/**
 * Electron accelerators ("CommandOrControl+Alt+R") as the helper's settings take them: checked
 * here so that a typo is named at once, in the field; main still reports what the system refuses.
 */

const MODIFIERS = new Map(
  ['Command', 'Cmd', 'Control', 'Ctrl', 'CommandOrControl', 'CmdOrCtrl', 'Alt', 'Option', 'AltGr', 'Shift', 'Super', 'Meta'].map((name) => [name.toLowerCase(), name]),
);
const NAMED_KEYS = [
  'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert', 'Return', 'Enter',
  'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'Esc', 'PrintScreen',
  'VolumeUp', 'VolumeDown', 'VolumeMute', 'MediaNextTrack', 'MediaPreviousTrack', 'MediaStop', 'MediaPlayPause',
  'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
];
const NAMED = new Set(NAMED_KEYS.map((name) => name.toLowerCase()));
const PUNCTUATION = new Set([...')!@#$%^&*(:;=<,_->.?/~`{}[]|\\"\'']);
/** Keys that no program types with: they may stand alone. */
const ALONE = /^(f([1-9]|1\d|2[0-4])|media\w+|volume\w+)$/i;

function isKey(part: string): boolean {
  return /^[a-z0-9]$/i.test(part) || PUNCTUATION.has(part) || /^f([1-9]|1\d|2[0-4])$/i.test(part) || /^num[0-9]$/i.test(part) || NAMED.has(part.toLowerCase());
}

/** Why a typed accelerator cannot be used, or undefined when it can ('' is none). */
export function acceleratorProblem(accelerator: string): string | undefined {
  const text = accelerator.trim();
  if (text === '') return undefined;
  const parts = text.split('+');
  const key = parts.pop() ?? '';
  if (parts.some((part) => part === '') || key === '') return `“${text}” has an empty part: write + as Plus (Ctrl+Plus).`;
  const seen = new Set<string>();
  for (const part of parts) {
    const modifier = MODIFIERS.get(part.toLowerCase());
    if (!modifier) return isKey(part) ? `“${text}” has more than one key besides Ctrl, Alt, Shift or Super.` : `“${part}” is not a key name: use Ctrl, Alt, Shift, Super or CommandOrControl.`;
    if (seen.has(modifier.toLowerCase())) return `“${text}” names ${modifier} twice.`;
    seen.add(modifier.toLowerCase());
  }
  if (!isKey(key)) return `“${key}” is not a key name: use a letter, a digit, F1 to F24, or a name such as Space or PageDown.`;
  if (parts.length === 0 && !ALONE.test(key)) return `“${text}” needs Ctrl, Alt, Shift or Super with it, or it would take the key from every program.`;
  return undefined;
}

/** Key codes (KeyboardEvent.code) that are not a letter, digit or F key, by accelerator name. */
const CODE_KEYS: Record<string, string> = {
  Space: 'Space', Enter: 'Enter', Tab: 'Tab', Backspace: 'Backspace', Delete: 'Delete', Insert: 'Insert',
  ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right', Home: 'Home', End: 'End',
  PageUp: 'PageUp', PageDown: 'PageDown', Minus: '-', Equal: '=', BracketLeft: '[', BracketRight: ']',
  Semicolon: ';', Quote: "'", Backquote: '`', Backslash: '\\', Comma: ',', Period: '.', Slash: '/',
  NumpadAdd: 'numadd', NumpadSubtract: 'numsub', NumpadMultiply: 'nummult', NumpadDivide: 'numdiv', NumpadDecimal: 'numdec',
};

/** The accelerator a key press makes (for "record"), or undefined while only modifiers are held. */
export function acceleratorOf(event: Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>): string | undefined {
  const { code } = event;
  const key = /^Key[A-Z]$/.test(code)
    ? code.slice(3)
    : /^(Digit|Numpad)\d$/.test(code)
      ? (code.startsWith('Numpad') ? 'num' : '') + code.slice(-1)
      : /^F\d{1,2}$/.test(code)
        ? code
        : CODE_KEYS[code];
  if (!key) return undefined;
  const modifiers = [event.ctrlKey && 'Ctrl', event.altKey && 'Alt', event.shiftKey && 'Shift', event.metaKey && 'Super'].filter(Boolean);
  return [...modifiers, key].join('+');
}
