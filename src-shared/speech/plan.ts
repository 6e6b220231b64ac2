import { pastedSentenceTable } from '../document/sentence-table';
import type { SentenceTable } from '../document/sentence-table';
import type { SpeechSegment } from './types';

export { MAX_TEXT_LENGTH } from './limits';

/** The segments of a text from a sentence on (its sentence table made on the spot; tests and tools). */
export function planSegments(text: string, fromSentence = 0): SpeechSegment[] {
  return tableSegments(pastedSentenceTable(text), fromSentence);
}

/** The segments of a sentence table from a sentence on: each sentence once, with its bounds. */
export function tableSegments(table: Pick<SentenceTable, 'text' | 'sentences'>, fromSentence = 0, untilSentence = table.sentences.length): SpeechSegment[] {
  const segments: SpeechSegment[] = [];
  for (let index = Math.max(0, fromSentence); index < Math.min(untilSentence, table.sentences.length); index++) {
    const row = table.sentences[index];
    if (row) segments.push({ sentence: index, start: row.start, end: row.end, text: table.text.slice(row.start, row.end) });
  }
  return segments;
}

/**
 * Groups segments into engine requests of at most `maxChars` characters (a segment longer than
 * that goes alone), so synthesis can run a bounded distance ahead of playback.
 */
export function batchSegments(segments: readonly SpeechSegment[], maxChars: number): SpeechSegment[][] {
  const batches: SpeechSegment[][] = [];
  let current: SpeechSegment[] = [];
  let size = 0;
  for (const segment of segments) {
    const length = segment.end - segment.start;
    if (current.length > 0 && size + length > maxChars) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(segment);
    size += length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
