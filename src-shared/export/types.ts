/**
 * What an export is made of, shared by the export job (main), its writers, the CLI and the
 * window. All times are in samples at APP_SAMPLE_RATE from the start of the whole export,
 * taken from the engine's own spans (Kokoro's token durations, eSpeak NG's word events).
 */

export const EXPORT_FORMATS = ['m4b', 'mp3', 'opus', 'flac', 'wav', 'epub'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const SUBTITLE_FORMATS = ['srt', 'vtt'] as const;
export type SubtitleFormat = (typeof SUBTITLE_FORMATS)[number];

/** MP3 only: one file per chapter (ID3 track numbers) or one file with ID3 chapter frames. */
export type Mp3Layout = 'single' | 'per-chapter';

/** Cover art as the document carries it. */
export interface CoverImage {
  mediaType: 'image/jpeg' | 'image/png';
  data: Uint8Array;
}

/** The book's descriptive data, for tags and the read-along EPUB. */
export interface ExportMetadata {
  title: string;
  author?: string | undefined;
  /** BCP 47, when the document declares it. */
  language?: string | undefined;
  cover?: CoverImage | undefined;
}

/** One exported chapter's place in the audio: [startSample, endSample). */
export interface ChapterMark {
  /** The chapter's index in the document (0-based), not its place among the exported ones. */
  chapter: number;
  title: string;
  startSample: number;
  endSample: number;
}

/** One sentence as heard: its text and where it is in the audio. */
export interface SentenceCue {
  /** The sentence's index in the document's sentence table. */
  sentence: number;
  chapter: number;
  /** [start, end) in the chapter's own text (the document model's offsets). */
  start: number;
  end: number;
  text: string;
  startSample: number;
  endSample: number;
}

/** One word as heard. */
export interface WordCue {
  sentence: number;
  text: string;
  startSample: number;
  endSample: number;
}

/** What to export and where: the same for the CLI, the app's queue and a resumed job. */
export interface ExportOptions {
  format: ExportFormat;
  /** The file to write (per-chapter MP3: the name the chapter files are numbered after). */
  outPath: string;
  /** 0-based chapter indices; all chapters with something to read when absent. */
  chapters?: number[] | undefined;
  subtitles?: SubtitleFormat | undefined;
  /** A JSON sidecar of word timings (and inline word times in a WebVTT). */
  wordTimings?: boolean | undefined;
  mp3Layout?: Mp3Layout | undefined;
  voice?: string | undefined;
  speed?: number | undefined;
}
