/**
 * How far a reader is through a book, and how long the rest takes to hear: from the sentence
 * and character counts the library keeps per chapter, and a measured speech rate.
 */

/** A book's length as the library keeps it: per chapter, its sentences and the characters read aloud. */
export interface ReadingLength {
  chapterSentences: readonly number[];
  chapterChars: readonly number[];
}

/** A saved place: the chapter, and the sentence within it. */
export interface ProgressPosition {
  chapterIndex: number;
  sentenceIndex: number;
}

export interface ReadingProgress {
  /** Sentences before the saved one, over all sentences: 0..1. */
  fraction: number;
  sentencesRead: number;
  sentenceCount: number;
  /** Characters still to be read aloud, from the saved sentence on. */
  charsLeft: number;
}

/**
 * Characters read aloud per second at speed 1, by engine: the synthesised audio's length (pauses
 * between sentences included) over the characters of the sentences read.
 * - eSpeak NG: measured, scripts/bench/passage.txt (10,564 characters read) spoken with
 *   `kokoro-reader speak --in scripts/bench/passage.txt --voice espeak:gmw/en-US --out x.wav`:
 *   586 s, 18.0 characters a second (espeak:gmw/en: 577 s, 18.3).
 * - Kokoro: not measured yet (no model where this was written); about 160 words a minute,
 *   the pace of its American voices, is 14.6 characters a second. Measure and replace.
 * A voice's own pace differs a little; the view says "about". These are only the starting point:
 * once audio has been heard, src-renderer/lib/reading-time.ts measures the voice's own rate.
 */
export const SPEECH_RATES: Readonly<Record<string, number>> = {
  kokoro: 14.6,
  espeak: 18.1,
};
const FALLBACK_RATE = 15;

/** Characters per second at speed 1 for a voice id like "kokoro:af_heart" or "espeak:gmw/en". */
export function speechRate(voiceId: string): number {
  const engine = voiceId.split(':')[0] ?? '';
  return SPEECH_RATES[engine] ?? FALLBACK_RATE;
}

/**
 * Where a saved position is in a book. Undefined when the book's counts are not known (opened
 * by an older version); no position means the start. A position past the end (the file changed)
 * counts as the end.
 */
export function readingProgress(length: ReadingLength, position: ProgressPosition | undefined): ReadingProgress | undefined {
  const { chapterSentences, chapterChars } = length;
  if (chapterSentences.length === 0 || chapterSentences.length !== chapterChars.length) return undefined;
  const sentenceCount = sum(chapterSentences);
  const totalChars = sum(chapterChars);
  if (sentenceCount === 0) return { fraction: 1, sentencesRead: 0, sentenceCount: 0, charsLeft: 0 };
  const chapter = position ? Math.max(0, position.chapterIndex) : 0;
  if (chapter >= chapterSentences.length) return { fraction: 1, sentencesRead: sentenceCount, sentenceCount, charsLeft: 0 };
  const inChapter = chapterSentences[chapter] ?? 0;
  const sentence = Math.min(Math.max(0, position?.sentenceIndex ?? 0), inChapter);
  const sentencesRead = sum(chapterSentences.slice(0, chapter)) + sentence;
  // The current chapter's characters are shared out by sentence: positions count sentences, not characters read.
  const charsBefore = sum(chapterChars.slice(0, chapter)) + (inChapter === 0 ? 0 : ((chapterChars[chapter] ?? 0) * sentence) / inChapter);
  return { fraction: sentencesRead / sentenceCount, sentencesRead, sentenceCount, charsLeft: Math.max(0, Math.round(totalChars - charsBefore)) };
}

/** How long `chars` characters take to hear at `charsPerSecond` (the rate at the chosen speed). */
export function timeLeftMs(chars: number, charsPerSecond: number): number {
  if (!(charsPerSecond > 0) || !(chars > 0)) return 0;
  return Math.round((chars / charsPerSecond) * 1000);
}

/** "3 h 05 min", "12 min", "under a minute": rounded up to the minute, the way a reader plans. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return 'none';
  const minutes = Math.ceil(ms / 60_000);
  if (minutes <= 1 && ms < 60_000) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
