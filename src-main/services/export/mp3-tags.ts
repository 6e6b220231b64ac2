import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import NodeID3 from 'node-id3';
import type { ChapterMark, ExportMetadata } from '../../../src-shared/export/types';

/** APIC picture type 3: the front cover. */
const FRONT_COVER = 3;

/**
 * The ID3v2 tag of a single-file MP3 audiobook: title, author, cover, and one CHAP frame per
 * chapter under an ordered CTOC (the ID3 chapter addendum, which ffprobe and podcast and
 * audiobook players read). Times are in whole milliseconds.
 */
export function chapterTag(metadata: ExportMetadata, chapters: readonly ChapterMark[], sampleRate: number): Buffer {
  const ms = (sample: number) => Math.round((sample * 1000) / sampleRate);
  const ids = chapters.map((_, index) => `ch${index + 1}`);
  const tags: NodeID3.Tags = {
    title: metadata.title,
    album: metadata.title,
    ...(metadata.author ? { artist: metadata.author } : {}),
    ...(metadata.cover ? { image: coverFrame(metadata) } : {}),
    tableOfContents: [{ elementID: 'toc', isOrdered: true, elements: ids }],
    chapter: chapters.map((mark, index) => ({
      elementID: ids[index]!,
      startTimeMs: ms(mark.startSample),
      endTimeMs: ms(mark.endSample),
      tags: { title: mark.title },
    })),
  };
  return NodeID3.create(tags);
}

function coverFrame(metadata: ExportMetadata): NonNullable<NodeID3.Tags['image']> {
  const cover = metadata.cover!;
  return { mime: cover.mediaType, type: { id: FRONT_COVER }, description: 'Cover', imageBuffer: Buffer.from(cover.data) };
}

/** Writes `tag` followed by the MP3 stream of `bodyPath` into `path`, copying the body as a stream. */
export async function writeTaggedMp3(path: string, tag: Buffer, bodyPath: string): Promise<void> {
  const out = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.write(tag, (error) => (error ? reject(error) : resolve()));
  });
  await pipeline(createReadStream(bodyPath), out);
}
