import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { AudioSampleSource, MetadataTags, Output, OutputFormat } from 'mediabunny';
import { outputError } from './output-errors';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ChapterMark, ExportMetadata, Mp3Layout } from '../../../src-shared/export/types';
import { partialPath, removeStalePartials } from '../audio/partial-files';
import { loadMediabunny } from './codecs';
import type { Mediabunny } from './codecs';
import { MAX_M4B_CHAPTERS, addM4bChapters } from './m4b-chapters';
import { fileTarget } from './file-target';
import { addGaplessInfo } from './mp3-gapless';
import { chapterTag, writeTaggedMp3 } from './mp3-tags';

export type AudioFormat = 'm4b' | 'mp3' | 'opus' | 'flac' | 'wav';

export interface AudioSinkOptions {
  format: AudioFormat;
  /** The file the user asked for; per-chapter MP3 writes `<stem>-01.mp3`… beside it instead. */
  outPath: string;
  metadata: ExportMetadata;
  /** Known before synthesis: lets M4B refuse more than 255 chapters up front, and numbers MP3 tracks. */
  chapterCount: number;
  /** MP3 only; 'single' when not given. */
  mp3Layout?: Mp3Layout | undefined;
  /** APP_SAMPLE_RATE; the input is mono float32. */
  sampleRate: number;
}

/**
 * Encodes the export's audio as it is synthesised, into temporary files beside the target that
 * are renamed into place by finish(): cancelling (abort) or any failure leaves neither a file at
 * the target nor a temporary one. Calls are sequential: await each before the next.
 */
export interface AudioSink {
  /** Per-chapter MP3 opens the chapter's file here; the other formats only note where chapters start. */
  startChapter(chapter: number, title: string): Promise<void>;
  append(samples: Float32Array): Promise<void>;
  /** Writes the chapter marks, renames the temporary files into place and returns the final paths. */
  finish(chapters: ChapterMark[]): Promise<string[]>;
  /** Removes every temporary file; nothing is left at the target. */
  abort(): Promise<void>;
}

/** The encoders' priming: AAC (as mediabunny's encoder writes it) starts with 1024 samples of its own. */
const AAC_PRIMING_SAMPLES = 1024;
/** Speech, mono: 64 kb/s AAC and MP3 are transparent for a voice at 24 kHz; Opus needs half. */
const BITRATES = { m4b: 64_000, mp3: 64_000, opus: 32_000 } as const;
/** 16-bit mono WAV: the RIFF sizes are 32-bit; a margin covers the header and the INFO tags. */
const MAX_WAV_SAMPLES = Math.floor((0xffff_ffff - 1024 * 1024) / 2);


export async function createAudioSink(options: AudioSinkOptions): Promise<AudioSink> {
  if (options.format === 'm4b' && options.chapterCount > MAX_M4B_CHAPTERS) {
    throw AppError.of('TOO_MANY_CHAPTERS_FOR_M4B', `(${options.chapterCount} chapters chosen)`, { chapters: options.chapterCount });
  }
  const mediabunny = await loadMediabunny();
  const sink = new EncodingSink(mediabunny, options);
  await sink.open();
  return sink;
}

/** One encoded file in the making: its temporary path, where it goes, and its muxer. */
interface EncodedFile {
  tempPath: string;
  finalPath: string;
  output: Output;
  source: AudioSampleSource;
  /** Closes the temporary file's handle (mediabunny does when it finalizes or cancels, not when writing fails). */
  close: () => Promise<void>;
  /** Samples given so far. */
  samples: number;
  finalized: boolean;
}

class EncodingSink implements AudioSink {
  private readonly perChapter: boolean;
  private readonly files: EncodedFile[] = [];
  /** Temporary files besides the muxers' own: the tagged MP3 being assembled. */
  private readonly extraTemps: string[] = [];
  /** Final paths already renamed into place, removed again if a later rename fails. */
  private readonly placed: string[] = [];
  private state: 'writing' | 'finished' | 'aborted' = 'writing';

  constructor(
    private readonly mediabunny: Mediabunny,
    private readonly options: AudioSinkOptions,
  ) {
    this.perChapter = options.format === 'mp3' && options.mp3Layout === 'per-chapter';
  }

  async open(): Promise<void> {
    if (this.perChapter) return; // Each chapter's file opens at its startChapter.
    // The single MP3 is written untagged first: its ID3 chapter frames are known only at the end.
    const bodyOf = this.options.format === 'mp3' ? `${this.options.outPath}.body` : this.options.outPath;
    await this.openFile(bodyOf, this.options.outPath, this.fileTags());
  }

  async startChapter(_chapter: number, title: string): Promise<void> {
    this.assertWriting();
    if (!this.perChapter) return;
    await this.guard(async () => {
      const current = this.files.at(-1);
      if (current) await this.finalize(current);
      const track = this.files.length + 1;
      const path = chapterFilePath(this.options.outPath, track, this.options.chapterCount);
      await this.openFile(path, path, this.fileTags({ title, trackNumber: track, tracksTotal: Math.max(this.options.chapterCount, track) }));
    });
  }

  async append(samples: Float32Array): Promise<void> {
    this.assertWriting();
    const file = this.files.at(-1);
    if (!file) throw AppError.of('INTERNAL', '(audio appended before the first chapter of a per-chapter MP3 export)');
    if (this.options.format === 'wav' && file.samples + samples.length > MAX_WAV_SAMPLES) {
      await this.abort();
      throw AppError.of('OUTPUT_TOO_LONG', `(${this.options.outPath})`);
    }
    await this.guard(async () => {
      const { AudioSample } = this.mediabunny;
      const first = this.options.format === 'm4b' ? -AAC_PRIMING_SAMPLES : 0;
      // AAC: timestamps from -1024 samples make mediabunny write an edit list that hides the
      // encoder's priming, so the audio starts at the first sample given.
      const sample = new AudioSample({
        data: samples,
        format: 'f32-planar',
        numberOfChannels: 1,
        sampleRate: this.options.sampleRate,
        timestamp: (first + file.samples) / this.options.sampleRate,
      });
      try {
        await file.source.add(sample);
      } finally {
        sample.close();
      }
      file.samples += samples.length;
    });
  }

  async finish(chapters: ChapterMark[]): Promise<string[]> {
    this.assertWriting();
    return this.guard(async () => {
      for (const file of this.files) await this.finalize(file);
      const main = this.files[0];
      if (!this.perChapter && main) await this.addChapterMarks(main, chapters);
      for (const file of this.files) {
        await rename(file.tempPath, file.finalPath);
        this.placed.push(file.finalPath);
      }
      this.state = 'finished';
      return this.files.map((file) => file.finalPath);
    });
  }

  async abort(): Promise<void> {
    if (this.state !== 'writing') return;
    this.state = 'aborted';
    for (const file of this.files) {
      if (!file.finalized) await file.output.cancel().catch(() => undefined);
      await file.close().catch(() => undefined);
    }
    const temps = [...this.files.map((file) => file.tempPath), ...this.extraTemps, ...this.placed];
    await Promise.all(temps.map((path) => rm(path, { force: true }).catch(() => undefined)));
  }

  private async openFile(tempOf: string, finalPath: string, tags: MetadataTags): Promise<void> {
    const { Output, AudioSampleSource, Quality } = this.mediabunny;
    await this.guard(async () => {
      await removeStalePartials(tempOf);
      const tempPath = partialPath(tempOf, process.pid);
      const bitrate = (BITRATES as Partial<Record<AudioFormat, number>>)[this.options.format];
      const source = new AudioSampleSource({ codec: CODECS[this.options.format], ...(bitrate ? { quality: new Quality({ bitrate }) } : {}) });
      const { target, close } = await fileTarget(this.mediabunny, tempPath);
      const output = new Output({ format: this.outputFormat(), target });
      // Recorded as soon as the file exists: abort() removes it whatever fails next.
      this.files.push({ tempPath, finalPath, output, source, close, samples: 0, finalized: false });
      output.addAudioTrack(source);
      output.setMetadataTags(tags);
      await output.start();
    });
  }

  private outputFormat(): OutputFormat {
    const { Mp4OutputFormat, Mp3OutputFormat, OggOutputFormat, FlacOutputFormat, WavOutputFormat } = this.mediabunny;
    switch (this.options.format) {
      // The moov goes after the media data, where the chapter marks can be added in place.
      case 'm4b':
        return new Mp4OutputFormat({ fastStart: false });
      case 'mp3':
        return new Mp3OutputFormat();
      case 'opus':
        return new OggOutputFormat();
      case 'flac':
        return new FlacOutputFormat();
      case 'wav':
        return new WavOutputFormat();
    }
  }

  private fileTags(overrides: MetadataTags = {}): MetadataTags {
    const { metadata, format, mp3Layout } = this.options;
    // The single MP3's tag is written at the end with its chapters (mp3-tags.ts).
    if (format === 'mp3' && mp3Layout !== 'per-chapter') return {};
    const cover = metadata.cover;
    // RIFF INFO holds ISO 8859-1 that readers take for UTF-8: a WAV gets only the tags in ASCII.
    const text = (value: string | undefined) => (value && (format !== 'wav' || /^[\x20-\x7e]*$/.test(value)) ? value : undefined);
    const title = text(metadata.title);
    const author = text(metadata.author);
    return {
      ...(title ? { title, album: title } : {}),
      ...(author ? { artist: author } : {}),
      // RIFF INFO has no pictures.
      ...(cover && format !== 'wav' ? { images: [{ data: cover.data, mimeType: cover.mediaType, kind: 'coverFront' as const }] } : {}),
      ...overrides,
    };
  }

  private async finalize(file: EncodedFile): Promise<void> {
    if (file.finalized) return;
    await file.source.close();
    await file.output.finalize();
    file.finalized = true;
    if (this.options.format === 'mp3') await addGaplessInfo(file.tempPath, file.samples);
  }

  private async addChapterMarks(file: EncodedFile, chapters: readonly ChapterMark[]): Promise<void> {
    const { format, sampleRate, metadata } = this.options;
    if (format === 'm4b') {
      await addM4bChapters(
        file.tempPath,
        chapters.map((mark) => ({ startSeconds: mark.startSample / sampleRate, title: mark.title })),
      );
    } else if (format === 'mp3') {
      const tagged = partialPath(this.options.outPath, process.pid);
      await removeStalePartials(this.options.outPath);
      this.extraTemps.push(tagged);
      await writeTaggedMp3(tagged, chapterTag(metadata, chapters, sampleRate), file.tempPath);
      await rm(file.tempPath, { force: true });
      file.tempPath = tagged;
    }
  }

  private assertWriting(): void {
    if (this.state !== 'writing') throw AppError.of('INTERNAL', `(the audio sink is already ${this.state})`);
  }

  /** Runs a step of writing; on failure removes everything written and throws a catalogue error. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (thrown) {
      await this.abort();
      throw outputError(thrown, this.options.outPath);
    }
  }
}

const CODECS = { m4b: 'aac', mp3: 'mp3', opus: 'opus', flac: 'flac', wav: 'pcm-s16' } as const;

/** `book.mp3` → `book-01.mp3`, `book-02.mp3`…, with as many digits as the last track needs (at least 2). */
export function chapterFilePath(outPath: string, track: number, total: number): string {
  const extension = extname(outPath) || '.mp3';
  const stem = basename(outPath, extname(outPath));
  const digits = Math.max(2, String(Math.max(total, track)).length);
  return join(dirname(outPath), `${stem}-${String(track).padStart(digits, '0')}${extension}`);
}

