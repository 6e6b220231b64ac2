import { AppError } from '../errors/catalogue';
import { MAX_TEXT_LENGTH } from '../speech/limits';
import type { TextRange } from '../text/segment';
import { BLOCK_SEPARATOR } from './model';
import type { Chapter, ImportedDocument } from './model';

/** Ranges of a chapter's text that are shown but not read (code, footnotes). */
export function skippedRanges(chapter: Chapter): TextRange[] {
  return chapter.blocks.filter((b) => b.skipFromReading).map((b) => ({ start: b.start, end: b.end }));
}

export interface ReadingText {
  text: string;
  /** Ranges of `text` not to read. */
  skip: TextRange[];
  /** Where each chapter starts in `text`. */
  chapterStarts: number[];
}

/** The whole document as one text to read (chapters in order, blank lines between), for export and the CLI. */
export function documentReadingText(document: ImportedDocument): ReadingText {
  let text = '';
  const skip: TextRange[] = [];
  const chapterStarts: number[] = [];
  for (const chapter of document.chapters) {
    if (text.length > 0) text += BLOCK_SEPARATOR;
    const base = text.length;
    chapterStarts.push(base);
    text += chapter.text;
    for (const range of skippedRanges(chapter)) skip.push({ start: base + range.start, end: base + range.end });
  }
  return { text, skip, chapterStarts };
}

/** Refuses a document whose reading text (as documentReadingText joins it) is longer than the reader takes. */
export function checkDocumentLength(document: ImportedDocument): void {
  let length = 0;
  for (const chapter of document.chapters) length += chapter.text.length;
  length += Math.max(0, document.chapters.length - 1) * BLOCK_SEPARATOR.length;
  if (length > MAX_TEXT_LENGTH) {
    throw AppError.of('DOCUMENT_TOO_LONG', `(It has ${length.toLocaleString('en')} characters; the limit is ${MAX_TEXT_LENGTH.toLocaleString('en')}.)`);
  }
}
