import { segmentSentences } from '../text/segment';
import type { Sentence } from '../text/segment';
import type { SpeechSegment } from './types';

/** Texts beyond this many UTF-16 units are refused with a clear error rather than risking memory. */
export const MAX_TEXT_LENGTH = 20_000_000;

/**
 * Turns a text into the segments an engine speaks, from a given sentence on. Sentences come
 * from the shared segmenter, which already bounds their length, so the renderer (which
 * segments the same text to display it) and the engine agree on every index.
 */
export function planSegments(text: string, fromSentence = 0, sentences: Sentence[] = segmentSentences(text)): SpeechSegment[] {
  const segments: SpeechSegment[] = [];
  for (const sentence of sentences) {
    if (sentence.index < fromSentence) continue;
    segments.push({ sentence: sentence.index, start: sentence.start, end: sentence.end, text: text.slice(sentence.start, sentence.end) });
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
