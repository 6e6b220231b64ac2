/**
 * A text to read as main holds it: a document's chapters joined into one text (or a pasted
 * text), split into sentences once. Every process then refers to sentences by their index in
 * this table, and to text by offsets into the joined text.
 */
import { segmentParagraphs, segmentSentences } from '../text/segment';
import type { TextRange } from '../text/segment';
import { documentReadingText } from './reading';
import type { ImportedDocument } from './model';

/** One sentence: [start, end) in the joined text, the chapter it is in, and its block in that chapter. */
export interface SentenceRow {
  start: number;
  end: number;
  chapter: number;
  block: number;
}

export interface SentenceTable {
  text: string;
  sentences: SentenceRow[];
  /** Where each chapter starts in `text` (one entry, 0, for a pasted text). */
  chapterStarts: number[];
  /** Ranges of `text` that are shown but not read (code blocks, footnotes). */
  skip: TextRange[];
  /** The blocks of a pasted text: its paragraphs (a document has its own blocks per chapter). */
  paragraphs?: TextRange[];
}

/** A document as one table: its chapters' blocks give each sentence its block. */
export function documentSentenceTable(document: ImportedDocument): SentenceTable {
  const { text, skip, chapterStarts } = documentReadingText(document);
  const sentences: SentenceRow[] = [];
  let chapter = 0;
  let block = 0;
  for (const sentence of segmentSentences(text)) {
    // Sentences never cross the blank line between chapters or blocks: one forward sweep places them.
    while (chapter + 1 < chapterStarts.length && sentence.start >= (chapterStarts[chapter + 1] ?? Infinity)) {
      chapter++;
      block = 0;
    }
    const local = sentence.start - (chapterStarts[chapter] ?? 0);
    const blocks = document.chapters[chapter]?.blocks ?? [];
    while (block + 1 < blocks.length && local >= (blocks[block]?.end ?? 0)) block++;
    sentences.push({ start: sentence.start, end: sentence.end, chapter, block });
  }
  return { text, sentences, chapterStarts, skip };
}

/** A pasted text as one table: one chapter, whose blocks are its paragraphs. */
export function pastedSentenceTable(text: string): SentenceTable {
  const found = segmentParagraphs(text);
  // Split once: the sentences take the paragraphs just found.
  const sentences = segmentSentences(text, { paragraphs: found }).map((s) => ({ start: s.start, end: s.end, chapter: 0, block: s.paragraph }));
  return { text, sentences, chapterStarts: [0], skip: [], paragraphs: found.map((p) => ({ start: p.start, end: p.end })) };
}

/** The index of the first sentence of each chapter (a chapter without sentences gets the next one's). */
export function chapterFirstSentences(table: Pick<SentenceTable, 'sentences' | 'chapterStarts'>): number[] {
  const first: number[] = [];
  let row = 0;
  for (let chapter = 0; chapter < table.chapterStarts.length; chapter++) {
    while (row < table.sentences.length && (table.sentences[row]?.chapter ?? Infinity) < chapter) row++;
    first.push(row);
  }
  return first;
}
