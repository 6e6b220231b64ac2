export { BLOCK_SEPARATOR } from './model';
export type { Block, BlockKind, Chapter, DocumentFormat, EmphasisKind, EmphasisSpan, ImportedDocument } from './model';
export { ChapterBuilder, InlineText } from './builder';
export type { BlockInput } from './builder';
export { chapterWordCount, countWords, documentWordCount } from './words';
export { documentProblems } from './validate';
export { documentReadingText, skippedRanges } from './reading';
export type { ReadingText } from './reading';
