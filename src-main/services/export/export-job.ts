/**
 * One export: the chosen chapters of a document, spoken by the engine in the background (reading
 * comes first), written as they arrive, with chapter marks and subtitles timed by the engine's own
 * spans. Everything is written beside the target under a temporary name and renamed at the end,
 * so a cancel or a failure leaves no partial file. A second run of a stopped export takes what it
 * can from the audio cache and synthesises only what is missing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { ImportedDocument } from '../../../src-shared/document/model';
import { chapterFirstSentences, documentSentenceTable } from '../../../src-shared/document/sentence-table';
import type { SentenceTable } from '../../../src-shared/document/sentence-table';
import { AppError } from '../../../src-shared/errors/catalogue';
import { FORMAT_EXTENSIONS } from '../../../src-shared/export/formats';
import type { ChapterMark, ExportFormat, ExportMetadata, ExportOptions, SentenceCue, WordCue } from '../../../src-shared/export/types';

export type { ExportOptions };
import { batchSegments } from '../../../src-shared/speech/plan';
import type { AudioChunk, SpeechSegment } from '../../../src-shared/speech/types';
import { APP_SAMPLE_RATE } from '../../../src-shared/speech/types';
import type { EngineSupervisor } from '../engine/engine-supervisor';
import { VoiceDirectory, planWindow, prepareSpeech } from '../speech-request';
import { createAudioSink } from './audio-sink';
import type { AudioSink } from './audio-sink';
import { writeReadAlongEpub } from './readalong-epub';
import { writeSubtitleFiles } from './subtitle-files';

export interface ExportSource {
  document: ImportedDocument;
  metadata: ExportMetadata;
  /** The EPUB the document came from, for a read-along EPUB of the book itself. */
  sourceEpubPath?: string | undefined;
}

export interface ExportProgress {
  chaptersDone: number;
  chaptersTotal: number;
  /** The chapter being spoken (0-based index in the document) and its title. */
  chapter: number;
  chapterTitle: string;
  /** 0 to 1, by the characters of text spoken. */
  fraction: number;
  /** From the rate measured so far; absent until there is a rate to go by. */
  secondsLeft?: number | undefined;
  audioSeconds: number;
  chunksSynthesized: number;
  chunksFromCache: number;
}

export interface ExportResult {
  files: string[];
  audioSeconds: number;
  chapters: ChapterMark[];
  chunksSynthesized: number;
  chunksFromCache: number;
}

/** Silence after each chapter but the last, so one does not run into the next. */
const CHAPTER_GAP_SAMPLES = Math.round(APP_SAMPLE_RATE * 0.75);
/** Characters per synthesis request: a cancel or a reading window gets in between. */
const BATCH_CHARS = 2000;

/** A chapter of the export: its index, title, and the segments to speak. */
interface PlannedChapter {
  chapter: number;
  title: string;
  segments: SpeechSegment[];
  characters: number;
}

/** Checks what does not depend on the engine: chapters, the target's name, options that do not fit. */
export function planExport(document: ImportedDocument, options: ExportOptions): { table: SentenceTable; chapters: PlannedChapter[] } {
  checkOptionsFit(options);
  const table = documentSentenceTable(document);
  const firsts = chapterFirstSentences(table);
  const wanted = options.chapters ?? document.chapters.map((_, i) => i);
  const chapters: PlannedChapter[] = [];
  for (const chapter of wanted) {
    if (!Number.isInteger(chapter) || chapter < 0 || chapter >= document.chapters.length) {
      throw AppError.of('EXPORT_CHAPTER_NOT_FOUND', `(chapter ${chapter + 1}; the document has ${document.chapters.length})`);
    }
    const title = document.chapters[chapter]?.title || `Chapter ${chapter + 1}`;
    const from = firsts[chapter] ?? table.sentences.length;
    const until = firsts[chapter + 1] ?? table.sentences.length;
    const planned = until > from ? planWindow(table, from, until - from) : { segments: [] };
    // planWindow moves past a window with nothing to speak: segments past the chapter are not its own.
    const segments = planned.segments.filter((s) => s.sentence < until);
    if (segments.length === 0) {
      // Asked for by number: say so. Taken by default: a chapter of only images is left out.
      if (options.chapters) throw AppError.of('EXPORT_CHAPTER_EMPTY', `(chapter ${chapter + 1}, "${title}")`);
      continue;
    }
    chapters.push({ chapter, title, segments, characters: segments.reduce((sum, s) => sum + s.text.length, 0) });
  }
  if (chapters.length === 0) throw AppError.of('NOTHING_SPEAKABLE', '(no chapter of the document has text to read)');
  return { table, chapters };
}

function checkOptionsFit(options: ExportOptions): void {
  const ending = extname(options.outPath).toLowerCase();
  const endings: readonly string[] = FORMAT_EXTENSIONS[options.format];
  if (!endings.includes(ending)) throw AppError.of('EXPORT_TARGET_MISMATCH', `(${options.format} is written as ${endings.join(' or ')}; got "${ending || 'no ending'}")`);
  if (options.mp3Layout === 'per-chapter' && options.format !== 'mp3') {
    throw AppError.of('EXPORT_OPTION_UNFIT', '(one file per chapter is an MP3 choice; choose MP3 or one file)');
  }
  if (options.format === 'epub' && (options.subtitles || options.wordTimings)) {
    throw AppError.of('EXPORT_OPTION_UNFIT', '(a read-along EPUB carries its own sentence timings; leave out subtitles and word timings)');
  }
}

/** Runs an export to its end: the files written, or an error with nothing left behind. */
export async function runExport(
  engine: EngineSupervisor,
  source: ExportSource,
  options: ExportOptions,
  control: { signal?: AbortSignal | undefined; onProgress?: ((progress: ExportProgress) => void) | undefined } = {},
): Promise<ExportResult> {
  const { table, chapters } = planExport(source.document, options);
  // The voice and speed are checked once, as for reading.
  const speech = prepareSpeech(table, { voice: options.voice, speed: options.speed, fromSentence: chapters[0]?.segments[0]?.sentence ?? 0, maxSentences: 1 }, await new VoiceDirectory(engine).installed());
  const timeline = new Timeline(table);
  const progress = new ProgressMeter(chapters, control.onProgress);

  // A read-along EPUB takes one MP3 per chapter, made in a private folder and packed at the end.
  const audioFolder = options.format === 'epub' ? await mkdtemp(join(tmpdir(), 'kokoro-export-')) : undefined;
  const sink = await createAudioSink({
    format: audioFolder ? 'mp3' : (options.format as Exclude<ExportFormat, 'epub'>),
    outPath: audioFolder ? join(audioFolder, 'chapter.mp3') : options.outPath,
    metadata: source.metadata,
    chapterCount: chapters.length,
    mp3Layout: audioFolder ? 'per-chapter' : options.mp3Layout,
    sampleRate: APP_SAMPLE_RATE,
  });
  const written: string[] = [];
  try {
    for (const [index, chapter] of chapters.entries()) {
      progress.startChapter(index);
      await sink.startChapter(chapter.chapter, chapter.title);
      timeline.startChapter(chapter);
      for (const segments of batchSegments(chapter.segments, BATCH_CHARS)) {
        if (control.signal?.aborted) throw AppError.of('CANCELLED');
        await speakBatch(engine, { engine: speech.engine, voice: speech.voice, speed: speech.speed, segments }, sink, control.signal, (chunk) => {
          timeline.add(chunk);
          progress.chunk(chunk, timeline.samples);
        });
      }
      if (index < chapters.length - 1) {
        await sink.append(new Float32Array(CHAPTER_GAP_SAMPLES));
        timeline.silence(CHAPTER_GAP_SAMPLES);
      }
      timeline.endChapter();
    }
    if (control.signal?.aborted) throw AppError.of('CANCELLED');
    const audioFiles = await sink.finish(timeline.chapters);
    if (audioFolder) {
      const chapterAudio = timeline.chapters.map((mark, i) => ({ chapter: mark.chapter, path: audioFiles[i] ?? '', mediaType: 'audio/mpeg' as const, samples: mark.endSample - mark.startSample }));
      written.push(
        await writeReadAlongEpub({
          outPath: options.outPath,
          document: source.document,
          metadata: source.metadata,
          chapters: timeline.chapters,
          cues: timeline.cues,
          chapterAudio,
          sourceEpubPath: source.sourceEpubPath,
          signal: control.signal,
        }),
      );
    } else {
      written.push(...audioFiles);
      written.push(
        ...(await writeSubtitleFiles({
          audioFiles,
          chapters: timeline.chapters,
          cues: timeline.cues,
          words: timeline.words,
          subtitles: options.subtitles,
          wordTimings: options.wordTimings === true,
          perChapter: options.mp3Layout === 'per-chapter',
        })),
      );
    }
    return { files: written, audioSeconds: timeline.samples / APP_SAMPLE_RATE, chapters: timeline.chapters, ...progress.counts() };
  } catch (thrown) {
    await sink.abort();
    await Promise.all(written.map((file) => rm(file, { force: true })));
    throw thrown;
  } finally {
    if (audioFolder) await rm(audioFolder, { recursive: true, force: true });
  }
}

/**
 * One synthesis request in the background: chunks are written in order as they arrive; a failed
 * write stops the engine at once and its error is the one reported.
 */
async function speakBatch(
  engine: EngineSupervisor,
  params: { engine: string; voice: string; speed: number; segments: SpeechSegment[] },
  sink: AudioSink,
  signal: AbortSignal | undefined,
  onChunk: (chunk: AudioChunk) => void,
): Promise<void> {
  let writes = Promise.resolve();
  let writeFailed = false;
  const handle = engine.request('synthesize', { ...params, background: true }, (chunk) => {
    if (writeFailed) return;
    onChunk(chunk);
    writes = writes.then(() => sink.append(chunk.samples));
    writes.catch(() => {
      if (!writeFailed) engine.cancel(handle.id);
      writeFailed = true;
    });
  });
  const abort = (): boolean => engine.cancel(handle.id);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await handle.result.catch(async (thrown: unknown) => {
      await writes;
      throw thrown;
    });
  } finally {
    signal?.removeEventListener('abort', abort);
    await writes;
  }
}

/**
 * Where every sentence and word is in the whole export, from the chunks' own spans: a chunk's
 * spans are relative to it, so each is shifted by the samples written before it.
 */
class Timeline {
  samples = 0;
  readonly chapters: ChapterMark[] = [];
  readonly cues: SentenceCue[] = [];
  readonly words: WordCue[] = [];
  private current: { chapter: number; title: string; startSample: number; textStart: number } | undefined;
  private sentenceCursor = 0;

  constructor(private readonly table: SentenceTable) {}

  startChapter(chapter: PlannedChapter): void {
    this.current = { chapter: chapter.chapter, title: chapter.title, startSample: this.samples, textStart: this.table.chapterStarts[chapter.chapter] ?? 0 };
  }

  add(chunk: AudioChunk): void {
    const current = this.current;
    if (!current) throw AppError.of('INTERNAL', '(audio came before its chapter)');
    const offset = this.samples;
    for (const span of chunk.sentences) {
      const last = this.cues.at(-1);
      // A long sentence spoken in parts is one cue from its first part's start to its last part's end.
      if (last && last.sentence === span.sentence) {
        last.endSample = offset + span.endSample;
        continue;
      }
      const row = this.table.sentences[span.sentence];
      const start = row?.start ?? span.start;
      const end = row?.end ?? span.end;
      this.cues.push({
        sentence: span.sentence,
        chapter: current.chapter,
        start: start - current.textStart,
        end: end - current.textStart,
        text: this.table.text.slice(start, end),
        startSample: offset + span.startSample,
        endSample: offset + span.endSample,
      });
    }
    for (const word of chunk.words) {
      // Words come in text order: the sentence they are in only moves forward.
      const rows = this.table.sentences;
      while (this.sentenceCursor + 1 < rows.length && (rows[this.sentenceCursor]?.end ?? 0) <= word.start) this.sentenceCursor++;
      this.words.push({ sentence: this.sentenceCursor, text: this.table.text.slice(word.start, word.end), startSample: offset + word.startSample, endSample: offset + word.endSample });
    }
    this.samples += chunk.samples.length;
  }

  silence(samples: number): void {
    this.samples += samples;
  }

  endChapter(): void {
    const current = this.current;
    if (!current) return;
    this.chapters.push({ chapter: current.chapter, title: current.title, startSample: current.startSample, endSample: this.samples });
    this.current = undefined;
  }
}

/** Progress by characters spoken, with the time left from the rate so far. */
class ProgressMeter {
  private readonly totalCharacters: number;
  private doneBefore = 0;
  private chapterIndex = 0;
  private doneInChapter = 0;
  private synthesized = 0;
  private fromCache = 0;
  private readonly started = Date.now();
  /** Each segment's end, by sentence, as characters done within its chapter. */
  private reachedBySentence = new Map<number, number>();

  constructor(
    private readonly chapters: PlannedChapter[],
    private readonly report: ((progress: ExportProgress) => void) | undefined,
  ) {
    this.totalCharacters = chapters.reduce((sum, c) => sum + c.characters, 0);
  }

  startChapter(index: number): void {
    const previous = this.chapters[this.chapterIndex];
    if (index > this.chapterIndex && previous) this.doneBefore += previous.characters;
    this.chapterIndex = index;
    this.doneInChapter = 0;
    this.reachedBySentence = new Map();
    let reached = 0;
    for (const segment of this.chapters[index]?.segments ?? []) {
      reached += segment.text.length;
      this.reachedBySentence.set(segment.sentence, reached);
    }
  }

  chunk(chunk: AudioChunk, samplesSoFar: number): void {
    if (chunk.cached) this.fromCache++;
    else this.synthesized++;
    const last = chunk.sentences.at(-1)?.sentence;
    if (last !== undefined) this.doneInChapter = Math.max(this.doneInChapter, this.reachedBySentence.get(last) ?? 0);
    const chapter = this.chapters[this.chapterIndex];
    if (!this.report || !chapter) return;
    const fraction = this.totalCharacters > 0 ? Math.min(1, (this.doneBefore + this.doneInChapter) / this.totalCharacters) : 0;
    const elapsed = (Date.now() - this.started) / 1000;
    this.report({
      chaptersDone: this.chapterIndex,
      chaptersTotal: this.chapters.length,
      chapter: chapter.chapter,
      chapterTitle: chapter.title,
      fraction,
      // Too early a rate says little: wait for 2% of the text.
      secondsLeft: fraction >= 0.02 ? (elapsed * (1 - fraction)) / fraction : undefined,
      audioSeconds: samplesSoFar / APP_SAMPLE_RATE,
      ...this.counts(),
    });
  }

  counts(): { chunksSynthesized: number; chunksFromCache: number } {
    return { chunksSynthesized: this.synthesized, chunksFromCache: this.fromCache };
  }
}
