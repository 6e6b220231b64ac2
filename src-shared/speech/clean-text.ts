/**
 * Makes text safe to hand to a synthesiser without moving any offset: every character that
 * must not be spoken or that would break a C string (NUL ends eSpeak's input early) becomes
 * spaces of the same UTF-16 length. Emoji are skipped, not named: a reader that says
 * "grinning face with smiling eyes" mid-sentence distracts more than it informs.
 */
// Control characters and lone surrogates are exactly what this pattern is for.
/* eslint-disable no-control-regex, no-misleading-character-class */
const UNSPEAKABLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFE00-\uFE0F\uFEFF\uFFF0-\uFFFF]|\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200D|[\u{E0000}-\u{E007F}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;
/* eslint-enable no-control-regex, no-misleading-character-class */

export function cleanForSpeech(text: string): string {
  return text.replace(UNSPEAKABLE, (match) => ' '.repeat(match.length));
}

/** True when the text has at least one letter or digit to speak. */
export function hasSpeakableContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
