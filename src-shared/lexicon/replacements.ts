/** Replacement results: the template expansion of regex rules, and offsets mapped between the original and the replaced text. */
import type { LexiconIndex } from './lexicon-index';
import type { ReplacementEdit, TextReplacer } from './types';

/** $1..$9, $& and $$ in a regex rule's replacement text, as String.prototype.replace does. */
export function expandReplacement(template: string, matched: string, groups: readonly string[]): string {
  return template.replace(/\$(\$|&|[1-9])/g, (token, what: string) => {
    if (what === '$') return '$';
    if (what === '&') return matched;
    const n = Number(what);
    return n <= groups.length ? (groups[n - 1] ?? '') : token;
  });
}

/**
 * Maps an offset in the replaced text back to the original. Inside a replacement, 'start'
 * gives the replaced stretch's start and 'end' its end, so a highlighted word that was
 * replaced covers exactly what the reader sees.
 */
export function toOriginalOffset(edits: readonly ReplacementEdit[], offset: number, bias: 'start' | 'end' = 'start'): number {
  const e = lastAtOrBefore(edits, offset, (x) => x.newStart);
  if (!e) return offset;
  if (offset === e.newStart) return bias === 'end' || e.newEnd > e.newStart ? e.start : e.end;
  if (offset >= e.newEnd) return e.end + (offset - e.newEnd);
  return bias === 'start' ? e.start : e.end;
}

export function toOriginalSpan(edits: readonly ReplacementEdit[], span: { start: number; end: number }): { start: number; end: number } {
  const start = toOriginalOffset(edits, span.start, 'start');
  return { start, end: Math.max(start, toOriginalOffset(edits, span.end, 'end')) };
}

/** The other way: an offset in the original (e.g. a saved position) in the replaced text. */
export function toReplacedOffset(edits: readonly ReplacementEdit[], offset: number): number {
  const e = lastAtOrBefore(edits, offset, (x) => x.start);
  if (!e) return offset;
  if (offset >= e.end) return e.newEnd + (offset - e.end);
  return e.newStart;
}

function lastAtOrBefore(edits: readonly ReplacementEdit[], offset: number, at: (e: ReplacementEdit) => number): ReplacementEdit | undefined {
  let lo = 0;
  let hi = edits.length - 1;
  let found: ReplacementEdit | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = edits[mid];
    if (e !== undefined && at(e) <= offset) {
      found = e;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The index's replacement rules as the text front-ends take them. */
export function lexiconReplacer(index: Pick<LexiconIndex, 'applyReplacements'>): TextReplacer {
  return {
    apply(text, lang) {
      const result = index.applyReplacements(text, lang);
      return { text: result.text, toOriginal: (span) => toOriginalSpan(result.edits, span), entryIds: result.entryIds };
    },
  };
}
