import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors/catalogue';
import type { ExportMetadata } from '../../src-shared/export/types';
import { createAudioSink } from '../../src-main/services/export/audio-sink';
import type { AudioFormat } from '../../src-main/services/export/audio-sink';
import { FIRST_ONSET, LENGTHS, RATE, TITLES, TOTAL_SAMPLES, chapterAudio, decode, onset, pngCover, probe, requireFfmpeg, tagsOf, writeBook } from './audio-tools';

const METADATA: ExportMetadata = { title: 'Der Bücherwurm', author: 'Ann Örtlund', cover: pngCover() };

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'kokoro-export-'));
}

async function exportBook(format: AudioFormat, extra: { mp3Layout?: 'single' | 'per-chapter' } = {}) {
  const dir = folder();
  const outPath = join(dir, `book.${format}`);
  const sink = await createAudioSink({ format, outPath, metadata: METADATA, chapterCount: TITLES.length, sampleRate: RATE, ...extra });
  const { paths, marks } = await writeBook(sink);
  return { dir, outPath, paths, marks };
}

/** Exports the book as one file and checks that it alone is in the folder, under the name asked for. */
async function exportOneFile(format: AudioFormat) {
  const { dir, outPath, paths } = await exportBook(format);
  expect(paths).toEqual([outPath]);
  expect(readdirSync(dir)).toEqual([`book.${format}`]);
  return { outPath, info: probe(outPath) };
}

async function caught(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

beforeAll(requireFfmpeg);

describe('M4B', () => {
  it('has one chapter mark per chapter, titled, from 0 and contiguous to the end, with tags, cover and the audio from its first sample', async () => {
    const { outPath, info } = await exportOneFile('m4b');
    expect(info.chapters.map((chapter) => chapter.tags?.title)).toEqual(TITLES);
    expect(Number(info.chapters[0]!.start_time)).toBe(0);
    let expectedStart = 0;
    for (const [index, chapter] of info.chapters.entries()) {
      expect(Number(chapter.start_time)).toBeCloseTo(expectedStart / RATE, 6);
      if (index > 0) expect(chapter.start_time).toBe(info.chapters[index - 1]!.end_time);
      expectedStart += LENGTHS[index]!;
    }
    const duration = Number(info.format.duration);
    // The last chapter ends with the audio track (whole AAC frames); the movie's duration is
    // kept in a coarser clock.
    const audioTrack = info.streams.find((stream) => stream.codec_type === 'audio')!;
    expect(Number(info.chapters.at(-1)!.end_time)).toBeCloseTo(Number(audioTrack.duration), 6);
    expect(Number(info.chapters.at(-1)!.end_time)).toBeCloseTo(duration, 4);
    // AAC ends on a whole frame of 1024 samples: at most 43 ms more than was given.
    expect(Math.abs(duration - TOTAL_SAMPLES / RATE)).toBeLessThan(0.05);

    expect(tagsOf(info.format.tags)).toMatchObject({ title: METADATA.title, album: METADATA.title, artist: METADATA.author });
    expect(info.streams.filter((stream) => stream.disposition?.attached_pic === 1)).toHaveLength(1);

    const audio = decode(outPath);
    expect(Math.abs(audio.length - TOTAL_SAMPLES)).toBeLessThan(0.05 * RATE);
    // The edit list hides the encoder's 1024 samples of priming: the sound starts where it did.
    expect(Math.abs(onset(audio) - FIRST_ONSET)).toBeLessThanOrEqual(4);
  });

  it('carries the chapters twice, as Nero chpl and as a QuickTime chapter track (what Apple players read), each enough alone', async () => {
    const { outPath, info } = await exportOneFile('m4b');
    // The chapter track is a text track that no player plays: ffmpeg sees it as data.
    expect(info.streams.map((stream) => stream.codec_type).sort()).toEqual(['audio', 'data', 'video']);
    const bytes = readFileSync(outPath);
    const chpl = bytes.indexOf('chpl', 0, 'latin1');
    expect(chpl).toBeGreaterThan(0);
    const trackOnly = join(dirname(outPath), 'track-only.m4b');
    // Renamed to 'free' (same size), the Nero chapters are gone: what ffprobe finds is the track's.
    writeFileSync(trackOnly, Buffer.concat([bytes.subarray(0, chpl), Buffer.from('free', 'latin1'), bytes.subarray(chpl + 4)]));
    const fromTrack = probe(trackOnly);
    expect(fromTrack.chapters.map((chapter) => chapter.tags?.title)).toEqual(TITLES);
    expect(fromTrack.chapters.map((chapter) => chapter.start)).toEqual(info.chapters.map((chapter) => chapter.start));
    expect(fromTrack.chapters.map((chapter) => chapter.end)).toEqual(info.chapters.map((chapter) => chapter.end));
    // And the audio track names the chapter track in tref/chap.
    const tref = bytes.indexOf('tref', 0, 'latin1');
    expect(bytes.toString('latin1', tref + 8, tref + 12)).toBe('chap');
    expect(decode(trackOnly).length).toBe(decode(outPath).length);
  });

  it('refuses more than 255 chapters before writing anything, pointing at MP3 per chapter', async () => {
    const dir = folder();
    const error = await caught(() => createAudioSink({ format: 'm4b', outPath: join(dir, 'book.m4b'), metadata: METADATA, chapterCount: 256, sampleRate: RATE }));
    expect(error.code).toBe('TOO_MANY_CHAPTERS_FOR_M4B');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('MP3', () => {
  it('one file: ID3 chapters (CTOC/CHAP) with titles, tags and cover, decoding sample for sample like the WAV', async () => {
    const { outPath, info } = await exportOneFile('mp3');
    expect(info.chapters.map((chapter) => chapter.tags?.title)).toEqual(TITLES);
    expect(info.chapters.map((chapter) => Number(chapter.start_time))).toEqual([0, Math.round((LENGTHS[0]! * 1000) / RATE) / 1000, Math.round(((LENGTHS[0]! + LENGTHS[1]!) * 1000) / RATE) / 1000]);
    expect(tagsOf(info.format.tags)).toMatchObject({ title: METADATA.title, album: METADATA.title, artist: METADATA.author });
    expect(info.streams.filter((stream) => stream.disposition?.attached_pic === 1)).toHaveLength(1);

    // The issue allows 50 ms; the LAME tag (encoder delay and padding) makes it exact, and
    // the sound starts where it did, so the ID3 chapter times are where the chapters are heard.
    const audio = decode(outPath);
    expect(audio.length).toBe(TOTAL_SAMPLES);
    expect(Math.abs(onset(audio) - FIRST_ONSET)).toBeLessThanOrEqual(4);
  });

  it('one file per chapter, numbered beside the target, each with its title, the book, the author, its track number and the cover', async () => {
    const { dir, paths } = await exportBook('mp3', { mp3Layout: 'per-chapter' });
    expect(paths).toEqual(['book-01.mp3', 'book-02.mp3', 'book-03.mp3'].map((name) => join(dir, name)));
    expect(readdirSync(dir).sort()).toEqual(['book-01.mp3', 'book-02.mp3', 'book-03.mp3']);
    for (const [index, path] of paths.entries()) {
      const info = probe(path);
      expect(tagsOf(info.format.tags)).toMatchObject({ title: TITLES[index], album: METADATA.title, artist: METADATA.author, track: `${index + 1}/3` });
      expect(info.streams.filter((stream) => stream.disposition?.attached_pic === 1)).toHaveLength(1);
      expect(decode(path).length).toBe(LENGTHS[index]);
    }
  });
});

describe('Opus, FLAC and WAV', () => {
  it('decode to exactly the samples given, with the book tags', async () => {
    const wav = await exportBook('wav');
    expect(decode(wav.outPath).length).toBe(TOTAL_SAMPLES);

    for (const format of ['opus', 'flac'] as const) {
      const { outPath, info } = await exportOneFile(format);
      const audio = decode(outPath);
      // Opus signals its pre-skip and end trim in the Ogg granule positions; FLAC is lossless.
      expect(audio.length, format).toBe(TOTAL_SAMPLES);
      expect(Math.abs(onset(audio) - FIRST_ONSET), format).toBeLessThanOrEqual(4);
      const stream = info.streams.find((candidate) => candidate.codec_type === 'audio')!;
      expect(stream.codec_name).toBe(format);
      // Ogg keeps the comments with the stream, FLAC with the file.
      expect(tagsOf(format === 'opus' ? stream.tags : info.format.tags)).toMatchObject({ title: METADATA.title, album: METADATA.title, artist: METADATA.author });
    }
  });

  it('WAV takes only the tags in ASCII (RIFF INFO has no UTF-8)', async () => {
    const dir = folder();
    const outPath = join(dir, 'book.wav');
    const sink = await createAudioSink({ format: 'wav', outPath, metadata: { title: 'Plain Title', author: 'Ann Örtlund' }, chapterCount: 3, sampleRate: RATE });
    await writeBook(sink);
    expect(tagsOf(probe(outPath).format.tags)).toEqual({ title: 'Plain Title', album: 'Plain Title' });
  });
});

describe('leaving nothing behind', () => {
  for (const [format, mp3Layout] of [['m4b'], ['mp3', 'single'], ['mp3', 'per-chapter'], ['opus'], ['flac'], ['wav']] as const) {
    it(`abort() mid-way removes every file (${format}${mp3Layout ? `, ${mp3Layout}` : ''})`, async () => {
      const dir = folder();
      const sink = await createAudioSink({ format, outPath: join(dir, `book.${format}`), metadata: METADATA, chapterCount: 3, sampleRate: RATE, mp3Layout });
      for (const index of [0, 1]) {
        await sink.startChapter(index, TITLES[index]!);
        await sink.append(chapterAudio(index));
      }
      expect(readdirSync(dir).length).toBeGreaterThan(0);
      await sink.abort();
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('a target that cannot be written (its folder is a file) gives OUTPUT_UNWRITABLE and leaves nothing', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    for (const format of ['m4b', 'mp3', 'opus', 'flac', 'wav'] as const) {
      const error = await caught(async () => {
        const sink = await createAudioSink({ format, outPath: join(dir, 'not-a-folder', `book.${format}`), metadata: METADATA, chapterCount: 3, sampleRate: RATE });
        await writeBook(sink);
      });
      expect(error.code, format).toBe('OUTPUT_UNWRITABLE');
      expect(readdirSync(dir)).toEqual(['not-a-folder']);
    }
  });
});
