// The QuickTime chapter track of an M4B: a text track, disabled so that no player shows it as
// subtitles, with one sample per chapter holding its title, and a `tref/chap` in the audio
// track that points at it. Apple's players read chapters only this way. The layout of the text
// sample description and the `encd` atom (the titles are UTF-8) follow what ffmpeg's MP4 muxer
// writes, which Apple's players and ffmpeg's own demuxer both read.

import { box, fullBox, truncateUtf8, u16, u32, u64 } from './mp4-boxes';

export interface TrackChapter {
  startSeconds: number;
  title: string;
}

/** A QuickTime title is a 16-bit length and its bytes; the player shows far less. */
const MAX_TITLE_BYTES = 1024;
/** `encd` with 0x100: the sample's text is UTF-8. */
const UTF8_ENCODING_ATOM = Buffer.from([0, 0, 0, 12, 0x65, 0x6e, 0x63, 0x64, 0, 0, 1, 0]);
/** The identity matrix of tkhd and of the text media header, in 16.16 and 2.30 fixed point. */
const IDENTITY_MATRIX = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];
/** 'und' as an ISO-639-2/T packed language code. */
const UNDETERMINED_LANGUAGE = 0x55c4;

/**
 * The moov (a complete box, its last top-level one at `moovStart`) with a chapter track added
 * and the audio track pointing at it, and the mdat of the titles that must follow it.
 */
export function withChapterTrack(moov: Buffer, chapters: readonly TrackChapter[], moovStart: number): { moov: Buffer; mdat: Buffer } {
  if (chapters.length === 0) return { moov, mdat: Buffer.alloc(0) };
  const children = childBoxes(moov, 8);
  const mvhd = children.find((child) => child.type === 'mvhd');
  const audioIndex = children.findIndex((child) => child.type === 'trak');
  if (!mvhd || audioIndex < 0) throw new Error('the MP4 has no movie header or no track');
  const { timescale, duration, nextTrackIdAt } = movieHeader(mvhd.bytes);
  const trackId = mvhd.bytes.readUInt32BE(nextTrackIdAt);
  const totalSeconds = duration / timescale;
  // The audio's own clock (its sample rate): a chapter starts on the very sample it does in chpl.
  const textTimescale = mediaTimescale(children[audioIndex]!.bytes);

  const samples = chapters.map((chapter) => {
    const title = truncateUtf8(chapter.title, MAX_TITLE_BYTES);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(title.length);
    return Buffer.concat([length, title, UTF8_ENCODING_ATOM]);
  });
  const starts = chapters.map((chapter) => Math.round(Math.min(chapter.startSeconds, totalSeconds) * textTimescale));
  const end = Math.round(totalSeconds * textTimescale);
  const durations = starts.map((start, index) => Math.max(0, (starts[index + 1] ?? end) - start));
  // The first chapter starts the track: a gap before it would be a chapter with no title.
  durations[0]! += starts[0]!;

  const mvhdBytes = Buffer.from(mvhd.bytes);
  mvhdBytes.writeUInt32BE(trackId + 1, nextTrackIdAt);
  const audio = withTrackReference(children[audioIndex]!.bytes, trackId);
  const build = (firstOffset: number): Buffer => {
    const trak = textTrak(trackId, duration, textTimescale, durations, samples, firstOffset);
    const parts = children.map((child, index) => (index === audioIndex ? audio : child.type === 'mvhd' ? mvhdBytes : child.bytes));
    parts.splice(audioIndex + 1, 0, trak);
    return box('moov', Buffer.concat(parts));
  };
  // The offsets are 64-bit whatever their value, so the moov's size does not depend on them.
  const size = build(0).length;
  const updated = build(moovStart + size + 8);
  return { moov: updated, mdat: box('mdat', Buffer.concat(samples)) };
}

interface ChildBox {
  type: string;
  bytes: Buffer;
}

function childBoxes(parent: Buffer, from: number): ChildBox[] {
  const out: ChildBox[] = [];
  let offset = from;
  while (offset + 8 <= parent.length) {
    const size = parent.readUInt32BE(offset);
    if (size < 8 || offset + size > parent.length) throw new Error('a box inside the moov has a size that does not fit (64-bit sizes are not expected here)');
    out.push({ type: parent.toString('latin1', offset + 4, offset + 8), bytes: parent.subarray(offset, offset + size) });
    offset += size;
  }
  return out;
}

function movieHeader(mvhd: Buffer): { timescale: number; duration: number; nextTrackIdAt: number } {
  const version = mvhd.readUInt8(8);
  if (version === 1) return { timescale: mvhd.readUInt32BE(28), duration: Number(mvhd.readBigUInt64BE(32)), nextTrackIdAt: 8 + 108 };
  return { timescale: mvhd.readUInt32BE(20), duration: mvhd.readUInt32BE(24), nextTrackIdAt: 8 + 96 };
}

/** A trak's media timescale (mdia/mdhd). */
function mediaTimescale(trak: Buffer): number {
  const mdia = childBoxes(trak, 8).find((child) => child.type === 'mdia');
  const mdhd = mdia && childBoxes(mdia.bytes, 8).find((child) => child.type === 'mdhd');
  if (!mdhd) throw new Error('the audio track has no media header');
  return mdhd.bytes.readUInt32BE(mdhd.bytes.readUInt8(8) === 1 ? 28 : 20);
}

/** The audio trak with `tref/chap` naming the chapter track, right after its header. */
function withTrackReference(trak: Buffer, chapterTrackId: number): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(chapterTrackId);
  const chap = box('chap', id);
  const children = childBoxes(trak, 8);
  const parts = children.map((child) => (child.type === 'tref' ? box('tref', Buffer.concat([child.bytes.subarray(8), chap])) : child.bytes));
  if (!children.some((child) => child.type === 'tref')) {
    const headerAt = children.findIndex((child) => child.type === 'tkhd');
    parts.splice(headerAt + 1, 0, box('tref', chap));
  }
  return box('trak', Buffer.concat(parts));
}

function textTrak(trackId: number, movieDuration: number, timescale: number, durations: readonly number[], samples: readonly Buffer[], firstOffset: number): Buffer {
  const mediaDuration = durations.reduce((sum, each) => sum + each, 0);
  // Flags 0: neither enabled nor in the movie, as a chapter track should be.
  const tkhd = fullBox('tkhd', 0, 0, u32(0), u32(0), u32(trackId), u32(0), u32(movieDuration), Buffer.alloc(8), u16(0), u16(0), u16(0), u16(0), ...IDENTITY_MATRIX.map(u32), u32(0), u32(0));
  const mdhd = fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(mediaDuration), u16(UNDETERMINED_LANGUAGE), u16(0));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from('text', 'latin1'), Buffer.alloc(12), Buffer.from('Chapters\0', 'latin1'));
  // QuickTime's base media information header, with the text media's matrix.
  const gmin = fullBox('gmin', 0, 0, u16(0x40), u16(0x8000), u16(0x8000), u16(0x8000), u16(0), u16(0));
  const gmhd = box('gmhd', Buffer.concat([gmin, box('text', Buffer.concat(IDENTITY_MATRIX.map(u32)))]));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  // Text sample description: display flags 0, justification 1, then colours, box, font (all zero).
  const textEntry = box('text', Buffer.concat([Buffer.alloc(6), u16(1), u32(0), u32(1), Buffer.alloc(35)]));
  const stsd = fullBox('stsd', 0, 0, u32(1), textEntry);
  const stts = fullBox('stts', 0, 0, u32(durations.length), ...durations.flatMap((each) => [u32(1), u32(each)]));
  const stsc = fullBox('stsc', 0, 0, u32(1), u32(1), u32(1), u32(1));
  const stsz = fullBox('stsz', 0, 0, u32(0), u32(samples.length), ...samples.map((sample) => u32(sample.length)));
  let offset = firstOffset;
  const co64 = fullBox(
    'co64',
    0,
    0,
    u32(samples.length),
    ...samples.map((sample) => {
      const entry = u64(offset);
      offset += sample.length;
      return entry;
    }),
  );
  const stbl = box('stbl', Buffer.concat([stsd, stts, stsc, stsz, co64]));
  const minf = box('minf', Buffer.concat([gmhd, dinf, stbl]));
  const mdia = box('mdia', Buffer.concat([mdhd, hdlr, minf]));
  return box('trak', Buffer.concat([tkhd, mdia]));
}
