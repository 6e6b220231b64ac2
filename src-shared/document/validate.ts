import { BLOCK_SEPARATOR } from './model';
import type { ImportedDocument } from './model';

/**
 * Checks the model's invariants and returns what is wrong (empty when all hold):
 * blocks are in order, non-empty, trimmed, separated by exactly BLOCK_SEPARATOR and cover
 * the whole chapter text; emphasis spans lie inside their block; chapter order is 0..n-1.
 */
export function documentProblems(document: ImportedDocument): string[] {
  const problems: string[] = [];
  document.chapters.forEach((chapter, index) => {
    const where = `chapter ${index} (${chapter.title})`;
    if (chapter.order !== index) problems.push(`${where}: order ${chapter.order}`);
    let previousEnd = 0;
    chapter.blocks.forEach((block, blockIndex) => {
      const at = `${where} block ${blockIndex}`;
      if (blockIndex > 0) {
        if (chapter.text.slice(previousEnd, block.start) !== BLOCK_SEPARATOR) problems.push(`${at}: not separated by a blank line`);
      } else if (block.start !== 0) {
        problems.push(`${at}: starts at ${block.start}`);
      }
      if (block.end <= block.start) problems.push(`${at}: empty`);
      const text = chapter.text.slice(block.start, block.end);
      if (text !== text.trim()) problems.push(`${at}: not trimmed`);
      for (const span of block.emphasis ?? []) {
        if (span.start < block.start || span.end > block.end || span.end <= span.start) problems.push(`${at}: emphasis ${span.start}-${span.end} outside the block`);
      }
      previousEnd = block.end;
    });
    const last = chapter.blocks.at(-1);
    if ((last?.end ?? 0) !== chapter.text.length) problems.push(`${where}: text does not end with the last block`);
  });
  return problems;
}
