import { BLOCK_SEPARATOR } from './model';
import type { Block, BlockKind, Chapter, EmphasisKind, EmphasisSpan } from './model';

/** A block before it is placed in a chapter: emphasis offsets are relative to `text`. */
export interface BlockInput {
  kind: BlockKind;
  text: string;
  level?: number;
  emphasis?: readonly EmphasisSpan[];
  skipFromReading?: boolean;
}

// A blank line inside a block would read as a block boundary to the segmenter, so
// non-code blocks never contain one (code keeps its layout; it is not read aloud).
const RE_BLANK_LINES = /[ \t]*\n(?:[ \t]*\n)+[ \t]*/g;

/**
 * Appends blocks to a chapter and keeps every offset exact.
 * Text is trimmed; blocks that are empty after trimming are dropped.
 */
export class ChapterBuilder {
  private readonly parts: string[] = [];
  private readonly blocks: Block[] = [];
  private length = 0;

  get blockCount(): number {
    return this.blocks.length;
  }

  /** True when at least one block will be read aloud. */
  get hasReadableText(): boolean {
    return this.blocks.some((block) => !block.skipFromReading);
  }

  /** True when every block so far is a heading (a title page with nothing under it yet). */
  get onlyHeadings(): boolean {
    return this.blocks.every((block) => block.kind === 'heading');
  }

  add(input: BlockInput): Block | undefined {
    let text = input.text;
    let spans = input.emphasis ?? [];
    const leading = text.length - text.trimStart().length;
    text = text.trim();
    if (text.length === 0) return undefined;
    if (input.kind !== 'code' && text.includes('\n')) {
      const mapped = collapseBlankLines(text, spans, leading);
      text = mapped.text;
      spans = mapped.spans;
    } else if (leading > 0) {
      spans = spans.map((span) => ({ ...span, start: span.start - leading, end: span.end - leading }));
    }
    if (this.parts.length > 0) {
      this.parts.push(BLOCK_SEPARATOR);
      this.length += BLOCK_SEPARATOR.length;
    }
    const start = this.length;
    this.parts.push(text);
    this.length += text.length;
    const block: Block = { kind: input.kind, start, end: this.length };
    if (input.level !== undefined) block.level = input.level;
    const emphasis = placeSpans(spans, start, text.length);
    if (emphasis.length > 0) block.emphasis = emphasis;
    if (input.skipFromReading) block.skipFromReading = true;
    this.blocks.push(block);
    return block;
  }

  /** Appends every block of another builder (used to merge a title page into what follows). */
  append(other: ChapterBuilder): void {
    const text = other.parts.join('');
    for (const block of other.blocks) {
      const spans = block.emphasis?.map((span) => ({ ...span, start: span.start - block.start, end: span.end - block.start }));
      this.add({
        kind: block.kind,
        text: text.slice(block.start, block.end),
        ...(block.level !== undefined ? { level: block.level } : {}),
        ...(spans ? { emphasis: spans } : {}),
        ...(block.skipFromReading ? { skipFromReading: true } : {}),
      });
    }
  }

  build(title: string, order: number): Chapter {
    return { title, order, text: this.parts.join(''), blocks: this.blocks.map((block) => ({ ...block })) };
  }
}

function placeSpans(spans: readonly EmphasisSpan[], offset: number, length: number): EmphasisSpan[] {
  const placed: EmphasisSpan[] = [];
  for (const span of spans) {
    const start = Math.max(0, span.start);
    const end = Math.min(length, span.end);
    if (end > start) placed.push({ kind: span.kind, start: start + offset, end: end + offset });
  }
  return placed;
}

/** Replaces runs of blank lines by one newline, moving span offsets with the text. */
function collapseBlankLines(text: string, spans: readonly EmphasisSpan[], shift: number): { text: string; spans: EmphasisSpan[] } {
  // Map old offsets (in the untrimmed input) to new ones through the removed ranges; `before`
  // is what earlier cuts removed, so each offset needs only the last cut before it.
  const cuts: { at: number; removed: number; before: number }[] = [];
  let removedSoFar = 0;
  const out = text.replace(RE_BLANK_LINES, (match, at: number) => {
    cuts.push({ at: at + shift, removed: match.length - 1, before: removedSoFar });
    removedSoFar += match.length - 1;
    return '\n';
  });
  const map = (offset: number): number => {
    // Binary search: a block may hold many cuts and many spans.
    let low = 0;
    let high = cuts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cuts[mid] as (typeof cuts)[number]).at < offset) low = mid + 1;
      else high = mid;
    }
    const cut = cuts[low - 1];
    if (!cut) return offset - shift;
    return offset - shift - cut.before - Math.max(0, Math.min(cut.removed, offset - cut.at - 1));
  };
  return { text: out, spans: spans.map((span) => ({ kind: span.kind, start: map(span.start), end: map(span.end) })) };
}

/**
 * Collects inline text with whitespace collapsed as HTML does, plus emphasis ranges.
 * The text is kept as pieces joined once in take(): a paragraph may arrive as 100,000 spans
 * or runs, and looking at the end of one growing string on every piece would be quadratic.
 */
export class InlineText {
  /** Never holds an empty piece, so the last piece ends with the text's last character. */
  private readonly pieces: string[] = [];
  private length = 0;
  private pendingSpace = false;
  private readonly spans: EmphasisSpan[] = [];
  private readonly open: { kind: EmphasisKind; start: number }[] = [];

  get isEmpty(): boolean {
    return this.length === 0;
  }

  /** Adds text; whitespace runs become one space (`preserve` keeps them, as in <pre>). */
  append(raw: string, preserve = false): void {
    if (raw.length === 0) return;
    if (preserve) {
      this.flushSpace();
      this.push(raw);
      return;
    }
    const collapsed = raw.replace(/[ \t\n\r\f]+/g, ' ');
    if (collapsed === ' ') {
      if (this.length > 0) this.pendingSpace = true;
      return;
    }
    const startsWithSpace = collapsed.startsWith(' ');
    const endsWithSpace = collapsed.endsWith(' ');
    if (startsWithSpace && this.length > 0) this.pendingSpace = true;
    this.flushSpace();
    this.push(collapsed.trim());
    this.pendingSpace = endsWithSpace;
  }

  /** A hard line break (<br>); spaces around it are dropped. */
  lineBreak(): void {
    if (this.length === 0) return;
    this.pendingSpace = false;
    this.dropTrailingSpaces();
    if (this.lastChar() !== '\n') this.push('\n');
  }

  openEmphasis(kind: EmphasisKind): void {
    this.flushSpace();
    this.open.push({ kind, start: this.length });
  }

  closeEmphasis(): void {
    const opened = this.open.pop();
    if (opened && this.length > opened.start) this.spans.push({ kind: opened.kind, start: opened.start, end: this.length });
  }

  /** Returns the collected text and spans and starts again; emphasis still open carries on. */
  take(): { text: string; emphasis: EmphasisSpan[] } {
    const end = this.length;
    const spans = [...this.spans];
    for (const opened of this.open) {
      if (end > opened.start) spans.push({ kind: opened.kind, start: opened.start, end });
      opened.start = 0;
    }
    const result = { text: this.pieces.join(''), emphasis: spans.sort((a, b) => a.start - b.start) };
    this.pieces.length = 0;
    this.length = 0;
    this.pendingSpace = false;
    this.spans.length = 0;
    return result;
  }

  private push(piece: string): void {
    if (piece.length === 0) return;
    this.pieces.push(piece);
    this.length += piece.length;
  }

  private lastChar(): string {
    const last = this.pieces[this.pieces.length - 1];
    return last === undefined ? '' : last.charAt(last.length - 1);
  }

  /** Removes spaces at the end, across pieces; each space is removed at most once, so this stays linear. */
  private dropTrailingSpaces(): void {
    for (let last = this.pieces.pop(); last !== undefined; last = this.pieces.pop()) {
      let end = last.length;
      while (end > 0 && last.charCodeAt(end - 1) === 0x20) end--;
      this.length -= last.length - end;
      if (end > 0) {
        this.pieces.push(last.slice(0, end));
        return;
      }
    }
  }

  private flushSpace(): void {
    if (this.pendingSpace && this.length > 0 && this.lastChar() !== '\n') this.push(' ');
    this.pendingSpace = false;
  }
}
