/**
 * The subtitle and word-timing files beside an export's audio: `book.srt`/`book.vtt` and
 * `book.words.json`, or one set per file for MP3 per chapter (with times from that file's start).
 * Each is written under a temporary name and renamed, as the audio is.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ChapterMark, SentenceCue, SubtitleFormat, WordCue } from '../../../src-shared/export/types';
import { partialPath } from '../audio/partial-files';
import { outputError } from './output-errors';
import { toSrt, toVtt, wordTimingsJson } from './subtitles';

export interface SubtitleFilesRequest {
  /** The audio files written: one, or one per chapter (in chapter order). */
  audioFiles: readonly string[];
  chapters: readonly ChapterMark[];
  cues: readonly SentenceCue[];
  words: readonly WordCue[];
  subtitles?: SubtitleFormat | undefined;
  wordTimings: boolean;
  perChapter: boolean;
}

/** Writes what was asked for and answers the files written (none when nothing was asked). */
export async function writeSubtitleFiles(request: SubtitleFilesRequest): Promise<string[]> {
  if (!request.subtitles && !request.wordTimings) return [];
  const parts = request.perChapter
    ? request.chapters.map((chapter, i) => ({ audio: request.audioFiles[i] ?? '', ...rebased(request, chapter) }))
    : [{ audio: request.audioFiles[0] ?? '', cues: request.cues, words: request.words }];
  const written: string[] = [];
  try {
    for (const part of parts) {
      const stem = part.audio.slice(0, part.audio.length - extname(part.audio).length);
      if (request.subtitles === 'srt') written.push(await writeAtomically(`${stem}.srt`, toSrt(part.cues)));
      // With word timings, the WebVTT carries each word's time inline.
      if (request.subtitles === 'vtt') written.push(await writeAtomically(`${stem}.vtt`, toVtt(part.cues, request.wordTimings ? part.words : [])));
      if (request.wordTimings) written.push(await writeAtomically(`${stem}.words.json`, wordTimingsJson(part.cues, part.words)));
    }
    return written;
  } catch (thrown) {
    await Promise.all(written.map((file) => rm(file, { force: true })));
    throw thrown;
  }
}

/** One chapter's cues and words, timed from the start of its own file. */
function rebased(request: SubtitleFilesRequest, chapter: ChapterMark): { cues: SentenceCue[]; words: WordCue[] } {
  const inside = (startSample: number): boolean => startSample >= chapter.startSample && startSample < chapter.endSample;
  const shift = <T extends { startSample: number; endSample: number }>(cue: T): T => ({ ...cue, startSample: cue.startSample - chapter.startSample, endSample: cue.endSample - chapter.startSample });
  return { cues: request.cues.filter((c) => inside(c.startSample)).map(shift), words: request.words.filter((w) => inside(w.startSample)).map(shift) };
}

async function writeAtomically(path: string, text: string): Promise<string> {
  const temp = partialPath(path, process.pid);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
    return path;
  } catch (thrown) {
    await rm(temp, { force: true });
    throw outputError(thrown, path);
  }
}
