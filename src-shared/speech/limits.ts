/** Texts beyond this many UTF-16 units are refused with a clear error rather than risking memory. */
export const MAX_TEXT_LENGTH = 20_000_000;
