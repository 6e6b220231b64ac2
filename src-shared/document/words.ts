import type { Chapter, ImportedDocument } from './model';

// Letters/digits joined by inner apostrophes, hyphens or dots count as one word ("don't",
// "well-known", "3.14"); each CJK ideograph or kana counts as a word, as is usual for reading time.
const RE_WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{M}\p{N}])+(?:['’.\-‐](?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{M}\p{N}])+)*/gu;

export function countWords(text: string): number {
  let count = 0;
  RE_WORD.lastIndex = 0;
  while (RE_WORD.exec(text) !== null) count++;
  return count;
}

/** Words that will be read aloud: blocks marked skipFromReading are not counted. */
export function chapterWordCount(chapter: Chapter): number {
  let count = 0;
  for (const block of chapter.blocks) {
    if (!block.skipFromReading) count += countWords(chapter.text.slice(block.start, block.end));
  }
  return count;
}

export function documentWordCount(document: ImportedDocument): number {
  return document.chapters.reduce((sum, chapter) => sum + chapterWordCount(chapter), 0);
}
