// A chapter of the document model as XHTML for the read-along EPUB: its blocks as elements and
// every heard sentence in its own <span id="s{sentence}">, the target of a Media Overlay <par>.
import type { Block, Chapter, EmphasisSpan } from '../../../src-shared/document/model';

/** A sentence's place in its chapter's text: [start, end). */
export interface SentenceRange {
  sentence: number;
  start: number;
  end: number;
}

export function sentenceId(sentence: number): string {
  return `s${sentence}`;
}

/**
 * The chapter's blocks as XHTML body content, and the sentences that got a span. A sentence is
 * placed in the block its start is in (no sentence crosses a block), cut at the block's end;
 * one that overlaps a sentence already placed is left out, so every id is unique.
 */
export function chapterXhtmlBody(chapter: Chapter, sentences: readonly SentenceRange[]): { body: string; placed: Set<number> } {
  const ordered = [...sentences].sort((a, b) => a.start - b.start);
  const placed = new Set<number>();
  const out: string[] = [];
  const lists = new ListNesting(out);
  let next = 0;
  for (const block of chapter.blocks) {
    while (next < ordered.length && ordered[next]!.start < block.start) next++; // between blocks: no text to wrap
    const own: SentenceRange[] = [];
    let reached = block.start;
    for (; next < ordered.length && ordered[next]!.start < block.end; next++) {
      const sentence = ordered[next]!;
      if (sentence.start < reached || placed.has(sentence.sentence)) continue;
      const end = Math.min(sentence.end, block.end);
      if (end <= sentence.start) continue;
      own.push({ sentence: sentence.sentence, start: sentence.start, end });
      placed.add(sentence.sentence);
      reached = end;
    }
    const inner = inlineXhtml(chapter.text, block, own);
    if (block.kind === 'list-item') {
      lists.item(block.level ?? 1, inner);
      continue;
    }
    lists.closeAll();
    out.push(blockElement(block, inner));
  }
  lists.closeAll();
  return { body: out.join('\n'), placed };
}

function blockElement(block: Block, inner: string): string {
  const notRead = block.skipFromReading ? ' class="not-read"' : '';
  switch (block.kind) {
    case 'heading': {
      const level = Math.min(6, Math.max(1, block.level ?? 1));
      return `<h${level}${notRead}>${inner}</h${level}>`;
    }
    case 'code':
      return `<pre${notRead}><code>${inner}</code></pre>`;
    case 'quote':
      return `<blockquote${notRead}><p>${inner}</p></blockquote>`;
    case 'table-cell':
    case 'caption':
      return `<p class="${block.kind}${block.skipFromReading ? ' not-read' : ''}">${inner}</p>`;
    default:
      return `<p${notRead}>${inner}</p>`;
  }
}

/**
 * List items as nested <ul>s: the model keeps only each item's depth, and XHTML wants a nested
 * list inside an item. Invariant: with `depth` lists open, each holds an open <li>.
 */
class ListNesting {
  private depth = 0;
  constructor(private readonly out: string[]) {}

  item(level: number, inner: string): void {
    const target = Math.max(1, level);
    while (this.depth > target) this.close();
    if (this.depth === target) this.out.push('</li>');
    while (this.depth < target) {
      this.out.push('<ul>');
      this.depth++;
      if (this.depth < target) this.out.push('<li>'); // a deeper item with no parent item
    }
    this.out.push(`<li>${inner}`);
  }

  closeAll(): void {
    while (this.depth > 0) this.close();
  }

  private close(): void {
    this.out.push('</li></ul>');
    this.depth--;
  }
}

/**
 * A block's text with sentence spans outermost and emphasis inside them. Emphasis that crosses
 * a sentence's edge, or overlaps other emphasis without nesting, is closed and reopened there:
 * the markup always nests, and the emphasised text stays emphasised.
 */
function inlineXhtml(text: string, block: Block, sentences: readonly SentenceRange[]): string {
  const emphasis = (block.emphasis ?? [])
    .map((span) => ({ ...span, start: Math.max(span.start, block.start), end: Math.min(span.end, block.end) }))
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const cuts = new Set([block.start, block.end]);
  for (const range of [...sentences, ...emphasis]) cuts.add(range.start).add(range.end);
  const points = [...cuts].sort((a, b) => a - b);

  const out: string[] = [];
  const open: EmphasisSpan[] = [];
  let sentence: SentenceRange | undefined;
  const closeEmphasis = (keep: number): void => {
    while (open.length > keep) out.push(`</${tagOf(open.pop()!)}>`);
  };
  const code = block.kind === 'code';
  for (let index = 0; index + 1 < points.length; index++) {
    const from = points[index]!;
    const to = points[index + 1]!;
    const inSentence = sentences.find((range) => range.start <= from && to <= range.end);
    if (inSentence !== sentence) {
      closeEmphasis(0);
      if (sentence) out.push('</span>');
      if (inSentence) out.push(`<span id="${sentenceId(inSentence.sentence)}">`);
      sentence = inSentence;
    }
    const wanted = emphasis.filter((span) => span.start <= from && to <= span.end);
    let keep = 0;
    while (keep < open.length && wanted.includes(open[keep]!)) keep++;
    closeEmphasis(keep);
    for (const span of wanted) {
      if (open.includes(span)) continue;
      open.push(span);
      out.push(`<${tagOf(span)}>`);
    }
    const escaped = escapeXml(text.slice(from, to));
    out.push(code ? escaped : escaped.replace(/\n/g, '<br/>'));
  }
  closeEmphasis(0);
  if (sentence) out.push('</span>');
  return out.join('');
}

function tagOf(span: EmphasisSpan): 'em' | 'strong' {
  return span.kind === 'strong' ? 'strong' : 'em';
}

/**
 * Text for XML content or a quoted attribute: markup characters escaped, and characters XML 1.0
 * cannot hold at all (C0 controls but tab and line breaks, lone surrogates, U+FFFE/U+FFFF)
 * left out, since one of them makes the whole file unreadable.
 */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- the controls are what it removes
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
