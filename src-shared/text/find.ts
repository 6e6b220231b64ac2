/** Finding a phrase in a document's chapters, for the reader's find bar. */

export interface TextMatch {
  chapter: number;
  /** [start, end) in the chapter's text (UTF-16 offsets). */
  start: number;
  end: number;
}

/** Enough to show "1,000+"; a one-letter query in a long book finds more than anyone steps through. */
export const MAX_MATCHES = 1000;

/**
 * Every place the query occurs, in reading order: case-insensitive, and any run of spaces in the
 * query matches any run of white space in the text (a phrase across a line break is found).
 */
export function findMatches(chapters: readonly string[], query: string, limit = MAX_MATCHES): TextMatch[] {
  const words = query.trim().split(/\s+/u).filter((w) => w !== '');
  if (words.length === 0) return [];
  const pattern = new RegExp(words.map(escapeRegExp).join('\\s+'), 'giu');
  const matches: TextMatch[] = [];
  for (let chapter = 0; chapter < chapters.length; chapter++) {
    pattern.lastIndex = 0;
    for (const found of (chapters[chapter] ?? '').matchAll(pattern)) {
      matches.push({ chapter, start: found.index, end: found.index + found[0].length });
      if (matches.length >= limit) return matches;
    }
  }
  return matches;
}

/** The match to show first: the first one at or after a place in the text (wrapping to the first). */
export function firstMatchFrom(matches: readonly TextMatch[], chapter: number, offset: number): number {
  if (matches.length === 0) return -1;
  const index = matches.findIndex((m) => m.chapter > chapter || (m.chapter === chapter && m.end > offset));
  return index === -1 ? 0 : index;
}

/** The next (step 1) or previous (step -1) match, wrapping around the ends. */
export function stepMatch(count: number, current: number, step: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
