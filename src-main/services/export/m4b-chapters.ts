import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { writeFully } from './file-target';
import { withChapterTrack } from './mp4-chapter-track';
import { box, truncateUtf8 } from './mp4-boxes';

/** Nero chapters count in one byte. */
export const MAX_M4B_CHAPTERS = 255;
/** A chapter title is one length byte of UTF-8. */
const MAX_TITLE_BYTES = 255;
/** chpl times are in 100 ns units. */
const CHPL_UNITS_PER_SECOND = 10_000_000;

export interface NeroChapter {
  startSeconds: number;
  title: string;
}

interface Box {
  type: string;
  start: number;
  size: number;
  headerSize: number;
}

/**
 * Adds chapter marks to a finished MP4, in both forms players read: Nero chapters
 * (`moov/udta/chpl`: ffmpeg, VLC, most Android audiobook players) and a QuickTime chapter
 * track (a disabled text track of the titles that the audio track names in `tref/chap`: Apple's
 * players, and ffmpeg too). The moov must be the file's last box (mediabunny without fast start
 * writes it after the mdat): it is rewritten in place, and the titles' samples go in a second
 * mdat after it, so no chunk offset into the audio's mdat changes. Any other layout is refused
 * rather than patched.
 */
export async function addM4bChapters(path: string, chapters: readonly NeroChapter[]): Promise<void> {
  if (chapters.length > MAX_M4B_CHAPTERS) throw new Error(`an M4B holds at most ${MAX_M4B_CHAPTERS} chapters, not ${chapters.length}`);
  const handle = await open(path, 'r+');
  try {
    const fileSize = (await handle.stat()).size;
    const moov = await lastTopLevelBox(handle, fileSize);
    if (moov?.type !== 'moov') throw new Error(`the MP4's last box is ${moov ? `'${moov.type}'` : 'missing'}, not 'moov': chapters cannot be added without moving the media data`);
    const moovBytes = Buffer.alloc(moov.size);
    await handle.read(moovBytes, 0, moov.size, moov.start);
    const withNero = withChapters(moovBytes, moov.headerSize, chplBox(chapters));
    const { moov: updated, mdat } = withChapterTrack(withNero, chapters, moov.start);
    await writeFully(handle, Buffer.concat([updated, mdat]), moov.start);
    await handle.truncate(moov.start + updated.length + mdat.length);
  } finally {
    await handle.close();
  }
}

/** Walks the top-level boxes; returns the one that ends the file (null when they do not add up). */
async function lastTopLevelBox(handle: FileHandle, fileSize: number): Promise<Box | null> {
  const header = Buffer.alloc(16);
  let offset = 0;
  let last: Box | null = null;
  while (offset < fileSize) {
    const { bytesRead } = await handle.read(header, 0, 16, offset);
    if (bytesRead < 8) return null;
    let size = header.readUInt32BE(0);
    let headerSize = 8;
    if (size === 1) {
      if (bytesRead < 16) return null;
      size = Number(header.readBigUInt64BE(8));
      headerSize = 16;
    } else if (size === 0) {
      size = fileSize - offset;
    }
    if (size < headerSize || offset + size > fileSize) return null;
    last = { type: header.toString('latin1', 4, 8), start: offset, size, headerSize };
    offset += size;
  }
  return last;
}

/** The moov with `chpl` appended to its udta (a new udta when it has none), sizes updated. */
function withChapters(moov: Buffer, headerSize: number, chpl: Buffer): Buffer {
  if (headerSize !== 8) throw new Error('a moov with a 64-bit size is not expected');
  const udta = childBox(moov, headerSize, 'udta');
  let result: Buffer;
  if (udta) {
    if (udta.headerSize !== 8) throw new Error('a udta with a 64-bit size is not expected');
    const end = udta.start + udta.size;
    result = Buffer.concat([moov.subarray(0, end), chpl, moov.subarray(end)]);
    result.writeUInt32BE(udta.size + chpl.length, udta.start);
  } else {
    result = Buffer.concat([moov, box('udta', chpl)]);
  }
  if (result.length > 0xffff_ffff) throw new Error('the moov box is too large');
  result.writeUInt32BE(result.length, 0);
  return result;
}

function childBox(parent: Buffer, from: number, type: string): Box | null {
  let offset = from;
  while (offset + 8 <= parent.length) {
    const size = parent.readUInt32BE(offset);
    const headerSize = size === 1 ? 16 : 8;
    const actual = size === 1 ? Number(parent.readBigUInt64BE(offset + 8)) : size === 0 ? parent.length - offset : size;
    if (actual < headerSize || offset + actual > parent.length) return null;
    if (parent.toString('latin1', offset + 4, offset + 8) === type) return { type, start: offset, size: actual, headerSize };
    offset += actual;
  }
  return null;
}

/** `chpl` version 1: flags, 4 reserved bytes, a count byte, then start (u64, 100 ns) and title per chapter. */
function chplBox(chapters: readonly NeroChapter[]): Buffer {
  const parts: Buffer[] = [Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, chapters.length])];
  for (const chapter of chapters) {
    const title = truncateUtf8(chapter.title, MAX_TITLE_BYTES);
    const entry = Buffer.alloc(9);
    entry.writeBigUInt64BE(BigInt(Math.round(chapter.startSeconds * CHPL_UNITS_PER_SECOND)), 0);
    entry.writeUInt8(title.length, 8);
    parts.push(entry, title);
  }
  return box('chpl', Buffer.concat(parts));
}
