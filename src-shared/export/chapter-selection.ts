/** Which chapters to export, as people write them ("1,3-5", 1-based) and as the job takes them (0-based). */
import { AppError } from '../errors/catalogue';

/**
 * Parses a chapter list such as "1,3-5" (1-based, as `kokoro-reader import` numbers them) into
 * sorted 0-based indices without repeats. A number past the last chapter is an error that says
 * how many there are.
 */
export function parseChapterList(list: string, chapterCount: number): number[] {
  const chosen = new Set<number>();
  for (const part of list.split(',').map((p) => p.trim())) {
    const range = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!range) throw AppError.of('EXPORT_CHAPTER_NOT_FOUND', `("${part}" is not a chapter number or range like 3-5)`);
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (first < 1 || last < first) throw AppError.of('EXPORT_CHAPTER_NOT_FOUND', `("${part}": chapters count from 1, and a range goes upwards)`);
    if (last > chapterCount) throw AppError.of('EXPORT_CHAPTER_NOT_FOUND', `(chapter ${last}; the document has ${chapterCount})`);
    for (let n = first; n <= last; n++) chosen.add(n - 1);
  }
  return [...chosen].sort((a, b) => a - b);
}
