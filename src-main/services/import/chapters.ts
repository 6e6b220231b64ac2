import { ChapterBuilder } from '../../../src-shared/document/builder';
import type { Chapter } from '../../../src-shared/document/model';
import type { FlowBlock } from './html-walker';

export interface DraftChapter {
  title: string;
  blocks: FlowBlock[];
}

const MAX_TITLE = 200;

export function cleanTitle(text: string): string {
  const title = text.replace(/\s+/g, ' ').trim();
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1).trimEnd()}…` : title;
}

function isMainHeading(block: FlowBlock): boolean {
  return block.kind === 'heading' && !block.footnote && block.text.trim().length > 0;
}

export interface HeadingSplit {
  chapters: DraftChapter[];
  /** A lone top heading above all the chapter headings: the document's own title. */
  documentHeading?: string;
}

/**
 * Splits a flow at the top heading level used. When that level occurs once, before every
 * deeper heading, and the next level occurs at least twice, it is taken as the document's
 * title and the next level splits instead (an <h1> book title over <h2> chapters).
 * Text before the first chapter heading becomes its own chapter unless it is only headings,
 * which then open the first chapter.
 */
export function splitByHeadings(blocks: FlowBlock[], fallbackTitle: string): HeadingSplit {
  const headings = blocks.filter(isMainHeading);
  if (headings.length === 0) return { chapters: [{ title: fallbackTitle, blocks }] };
  const levels = headings.map((heading) => heading.level ?? 1);
  let level = levels.reduce((a, b) => Math.min(a, b), Infinity);
  let documentHeading: string | undefined;
  const top = headings.filter((heading) => (heading.level ?? 1) === level);
  const deeper = levels.filter((value) => value > level);
  if (top.length === 1 && deeper.length > 0) {
    const next = deeper.reduce((a, b) => Math.min(a, b), Infinity);
    const firstTop = headings.findIndex((heading) => (heading.level ?? 1) === level);
    const firstDeeper = headings.findIndex((heading) => (heading.level ?? 1) > level);
    if (firstTop < firstDeeper && levels.filter((value) => value === next).length >= 2) {
      documentHeading = cleanTitle(top[0]?.text ?? '');
      level = next;
    }
  }
  const chapters: DraftChapter[] = [];
  let draft: DraftChapter = { title: documentHeading ?? fallbackTitle, blocks: [] };
  for (const block of blocks) {
    if (isMainHeading(block) && block.level === level) {
      const carried = draft.blocks.every((b) => b.kind === 'heading' || b.footnote) ? draft.blocks : undefined;
      if (!carried) chapters.push(draft);
      draft = { title: cleanTitle(block.text), blocks: [...(carried ?? []), block] };
      continue;
    }
    draft.blocks.push(block);
  }
  chapters.push(draft);
  return documentHeading === undefined ? { chapters } : { chapters, documentHeading };
}

/** Builds chapters, moving notes to the end of their chapter and dropping empty chapters. */
export function buildChapters(drafts: readonly DraftChapter[]): Chapter[] {
  const chapters: Chapter[] = [];
  for (const draft of drafts) {
    const builder = new ChapterBuilder();
    const notes: FlowBlock[] = [];
    for (const block of draft.blocks) {
      if (block.footnote) notes.push(block);
      else builder.add(block);
    }
    for (const note of notes) builder.add(note);
    if (builder.blockCount === 0) continue;
    chapters.push(builder.build(draft.title || `Chapter ${chapters.length + 1}`, chapters.length));
  }
  return chapters;
}

/** The first heading's text, for a title when the document declares none. */
export function firstHeading(blocks: readonly FlowBlock[]): string | undefined {
  // A notes-only section still has a title worth showing ("Notes").
  const heading = blocks.find(isMainHeading) ?? blocks.find((block) => block.kind === 'heading' && block.text.trim());
  return heading ? cleanTitle(heading.text) : undefined;
}
