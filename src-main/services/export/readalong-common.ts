// What both read-along books share: the options, the chapters' audio, the clips each sentence
// gets, SMIL time values, and the plan of entries the writer zips.
import type { ImportedDocument } from '../../../src-shared/document/model';
import type { ChapterMark, ExportMetadata, SentenceCue } from '../../../src-shared/export/types';
import { APP_SAMPLE_RATE } from '../../../src-shared/speech/types';

/** One exported chapter's encoded audio, already written by the audio writer. */
export interface ChapterAudioFile {
  /** The chapter's index in the document, as in ChapterMark. */
  chapter: number;
  path: string;
  mediaType: 'audio/mpeg' | 'audio/mp4';
  /** Its length: the overlay's clips cover [0, samples). */
  samples: number;
}

export interface ReadAlongEpubOptions {
  outPath: string;
  document: ImportedDocument;
  metadata: ExportMetadata;
  /** The exported chapters, in order, with their samples in the whole export. */
  chapters: readonly ChapterMark[];
  /** Every sentence heard, with its samples in the whole export. */
  cues: readonly SentenceCue[];
  chapterAudio: readonly ChapterAudioFile[];
  /** The source book when the input was an EPUB: the read-along book is made from it. */
  sourceEpubPath?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** One file of the book to write: text is compressed, `store` keeps bytes as they are. */
export interface BookEntry {
  name: string;
  data: string | Uint8Array;
  store?: boolean;
}

/** The book's files, and the chapters' audio, streamed from disk into `name`. */
export interface BookPlan {
  entries: BookEntry[];
  audio: { name: string; file: ChapterAudioFile }[];
}

/** The class readers put on the sentence being read; the book's style sheet highlights it. */
export const ACTIVE_CLASS = '-epub-media-overlay-active';

export const AUDIO_EXTENSIONS: Record<ChapterAudioFile['mediaType'], string> = { 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a' };

export interface Clip {
  sentence: number;
  begin: number;
  end: number;
}

/**
 * Each sentence's clip of its chapter's audio, in samples from the file's start. The clips
 * tile the whole file: the first starts at 0 (the silence before it), and each runs to the
 * next one's start, so the pause after a sentence stays with it and playback never skips
 * a sample. Times are clamped into the file and kept in order.
 */
export function chapterClips(cues: readonly SentenceCue[], mark: ChapterMark, samples: number): Clip[] {
  const ordered = [...cues].sort((a, b) => a.startSample - b.startSample);
  const clamp = (value: number): number => Math.min(samples, Math.max(0, value));
  const starts = ordered.map((cue, index) => (index === 0 ? 0 : clamp(cue.startSample - mark.startSample)));
  for (let index = 1; index < starts.length; index++) starts[index] = Math.max(starts[index]!, starts[index - 1]!);
  return ordered.map((cue, index) => ({ sentence: cue.sentence, begin: starts[index]!, end: starts[index + 1] ?? samples }));
}

/** A SMIL timecount in seconds; six decimals keep every sample distinct (one is 41.7 µs). */
export function seconds(samples: number): string {
  return `${(samples / APP_SAMPLE_RATE).toFixed(6)}s`;
}

/** A SMIL full clock value, `H:MM:SS.ffffff`, for media:duration. */
export function clockValue(samples: number): string {
  // Whole microseconds first: rounding a fraction of seconds alone could print "60.000000".
  const micros = Math.round((samples * 1_000_000) / APP_SAMPLE_RATE);
  const hours = Math.floor(micros / 3_600_000_000);
  const minutes = Math.floor(micros / 60_000_000) % 60;
  const rest = micros % 60_000_000;
  const secondsPart = `${String(Math.floor(rest / 1_000_000)).padStart(2, '0')}.${String(rest % 1_000_000).padStart(6, '0')}`;
  return `${hours}:${String(minutes).padStart(2, '0')}:${secondsPart}`;
}
