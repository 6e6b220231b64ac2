// The document model every importer produces: document -> chapters -> blocks.
// Pure data (structured-clone and JSON safe), so it crosses worker and IPC boundaries as is.
//
// A chapter's `text` is its blocks' texts joined by BLOCK_SEPARATOR ("\n\n"), and every
// offset (block start/end, emphasis spans) is a UTF-16 index into that text. The reader
// segments `text` into sentences; the blank lines guarantee no sentence crosses a block.

export type DocumentFormat = 'text' | 'markdown' | 'html' | 'epub' | 'pdf' | 'docx';

export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'quote' | 'table-cell' | 'caption' | 'code';

export type EmphasisKind = 'emphasis' | 'strong';

/** A run of emphasised text; offsets into the chapter's text, inside its block. */
export interface EmphasisSpan {
  kind: EmphasisKind;
  start: number;
  end: number;
}

export interface Block {
  kind: BlockKind;
  /** Heading level 1-6, or list nesting depth (1 = top level) for list items. */
  level?: number;
  /** [start, end) into the chapter's text. */
  start: number;
  end: number;
  emphasis?: EmphasisSpan[];
  /** Shown but not read aloud: code, footnotes and endnotes. */
  skipFromReading?: boolean;
}

export interface Chapter {
  title: string;
  /** 0-based position in the document. */
  order: number;
  text: string;
  blocks: Block[];
}

export interface ImportedDocument {
  title: string;
  author?: string;
  /** BCP 47 tag as declared by the document (not detected). */
  language?: string;
  format: DocumentFormat;
  /** The character encoding detected or declared, for the text formats (e.g. "windows-1252"). */
  encoding?: string;
  chapters: Chapter[];
  /** Things the importer skipped or guessed that the user may want to know about. */
  warnings?: string[];
}

export const BLOCK_SEPARATOR = '\n\n';
