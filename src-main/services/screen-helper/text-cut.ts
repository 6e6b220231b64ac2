/**
 * The helper reads at most HELPER_MAX_CHARS of a text (about two hours of speech): a 5 MB
 * clipboard is read from its start at once rather than split into sentences whole, which would
 * hold up both main and the mini player. The cut looks back a bounded stretch for a sentence
 * end, else a space, so it costs the same whatever the text's length.
 */
export const HELPER_MAX_CHARS = 100_000;
/** How far back from the limit a sentence end or a space is looked for. */
const LOOK_BACK = 2_000;

export interface CutText {
  text: string;
  /** The full length, when the text was cut. */
  truncatedFrom?: number;
}

export function cutForHelper(text: string, limit = HELPER_MAX_CHARS): CutText {
  if (text.length <= limit) return { text };
  const from = Math.max(0, limit - LOOK_BACK);
  const window = text.slice(from, limit + 1);
  const cut = lastBoundary(window, /[.!?…。][)"'”’\]]*\s/g) ?? lastBoundary(window, /\s/g);
  let end = cut === undefined ? limit : from + cut;
  // Never split a surrogate pair (an emoji, a rare CJK character) in two.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end).trimEnd(), truncatedFrom: text.length };
}

/** Where the last match of `pattern` in `window` ends (its final whitespace excluded); undefined when none. */
function lastBoundary(window: string, pattern: RegExp): number | undefined {
  let end: number | undefined;
  for (const match of window.matchAll(pattern)) end = match.index + match[0].length - 1;
  return end === undefined || end === 0 ? undefined : end;
}
