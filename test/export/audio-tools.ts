/**
 * What the export tests need around the sink: generated chapters of audio, a generated cover,
 * and Debian's ffmpeg/ffprobe to decode and inspect what was written.
 */
import { execFileSync } from 'node:child_process';
import { deflateSync, crc32 } from 'node:zlib';
import type { ChapterMark, CoverImage } from '../../src-shared/export/types';
import type { AudioSink } from '../../src-main/services/export/audio-sink';

export const RATE = 24_000;

/** Fails (never skips) when ffmpeg is missing: every format is checked by decoding it. */
export function requireFfmpeg(): void {
  for (const tool of ['ffmpeg', 'ffprobe']) {
    try {
      execFileSync(tool, ['-version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is not installed: install ffmpeg (Debian: apt-get install ffmpeg; CI installs it) to run the export tests`);
    }
  }
}

export interface Probe {
  format: { duration: string; tags?: Record<string, string> };
  streams: { codec_name: string; codec_type: string; sample_rate?: string; duration?: string; disposition?: { attached_pic: number }; tags?: Record<string, string> }[];
  chapters: { start: number; end: number; start_time: string; end_time: string; tags?: { title?: string } }[];
}

export function probe(path: string): Probe {
  const json = execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-show_chapters', '-of', 'json', path], { encoding: 'utf8' });
  return JSON.parse(json) as Probe;
}

/** Tags with lower-case keys: MP4 and ID3 come back lower-case, Vorbis comments upper-case. */
export function tagsOf(tags: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
}

/** The audio as ffmpeg decodes it: mono 16-bit at 24 kHz. */
export function decode(path: string): Int16Array {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a', '-f', 's16le', '-ac', '1', '-ar', String(RATE), '-'], { maxBuffer: 1 << 28 });
  return new Int16Array(raw.buffer, raw.byteOffset, raw.length / 2);
}

/** Where the sound starts: the first sample louder than half of full scale. */
export function onset(samples: Int16Array): number {
  return samples.findIndex((value) => Math.abs(value) > 16_000);
}

export const TITLES = ['Chapter One', 'Kapitel zwei – Über Äpfel', '第三章 «Fin»'];
/** Lengths that are no multiple of any codec's frame (576, 960, 1024, 1152, 4096). */
export const LENGTHS = [RATE + 1234, RATE + 4321, RATE + 777];
/** The first chapter is silent until here, then a tone. */
const SILENCE = 2400;

/** Chapter `index` of the generated book: a tone of its own, the first one after a silence. */
export function chapterAudio(index: number): Float32Array {
  const samples = new Float32Array(LENGTHS[index]!);
  const frequency = 220 * (index + 2);
  for (let i = index === 0 ? SILENCE : 0; i < samples.length; i++) samples[i] = 0.8 * Math.sin((2 * Math.PI * frequency * i) / RATE);
  return samples;
}

/** Feeds the generated chapters to a sink in pieces, as synthesis does, and finishes it. */
export async function writeBook(sink: AudioSink): Promise<{ paths: string[]; marks: ChapterMark[] }> {
  const marks: ChapterMark[] = [];
  let start = 0;
  for (let index = 0; index < TITLES.length; index++) {
    await sink.startChapter(index, TITLES[index]!);
    const audio = chapterAudio(index);
    for (let from = 0; from < audio.length; from += 5000) await sink.append(audio.subarray(from, from + 5000));
    marks.push({ chapter: index, title: TITLES[index]!, startSample: start, endSample: start + audio.length });
    start += audio.length;
  }
  return { paths: await sink.finish(marks), marks };
}

/** Where the sound starts in what was given, found as in the decoded audio. */
export const FIRST_ONSET = onset(Int16Array.from(chapterAudio(0), (value) => Math.round(value * 32767)));

export const TOTAL_SAMPLES = LENGTHS.reduce((sum, length) => sum + length, 0);

/** A 2×2 PNG, built here so no image file is committed. */
export function pngCover(): CoverImage {
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  const data = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { mediaType: 'image/png', data: new Uint8Array(data) };
}
