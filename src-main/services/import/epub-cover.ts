/** An EPUB's cover image, for the tags of an exported audiobook. */
import { readFile } from 'node:fs/promises';
import type { CoverImage } from '../../../src-shared/export/types';
import { readPackage } from './epub-importer';
import { DEFAULT_LIMITS } from './limits';
import { asArray, attr, path } from './xml';
import type { XmlObject } from './xml';
import { GuardedZip, zipLimitsFor } from './zip-guard';

/** Players show covers small; a bigger image is most likely not a cover, and is not carried into every file. */
const MAX_COVER_BYTES = 8 * 1024 * 1024;

/**
 * The cover image an EPUB declares (EPUB 3 `cover-image`, or EPUB 2's `<meta name="cover">`),
 * when it is a JPEG or PNG of sane size. A book without one, or one that cannot be read, has none:
 * the export goes on without a cover.
 */
export async function readEpubCover(filePath: string): Promise<CoverImage | undefined> {
  try {
    const zip = await GuardedZip.open(await readFile(filePath), zipLimitsFor(DEFAULT_LIMITS, 'EPUB'));
    const { pkg, manifest } = await readPackage(zip);
    const declared = asArray(path(pkg, 'metadata', 'meta')) as XmlObject[];
    const epub2Meta = declared.find((meta) => attr(meta, 'name') === 'cover');
    const epub2Id = epub2Meta ? attr(epub2Meta, 'content') : undefined;
    const item = [...manifest.values()].find((entry) => entry.properties.includes('cover-image')) ?? (epub2Id ? manifest.get(epub2Id) : undefined);
    if (!item || !zip.has(item.path)) return undefined;
    const data = await zip.bytes(item.path);
    const mediaType = sniffImage(data);
    if (!mediaType || data.length > MAX_COVER_BYTES) return undefined;
    return { mediaType, data };
  } catch {
    return undefined;
  }
}

/** By the bytes, not the declared type: the tag writers must be told the truth. */
function sniffImage(data: Uint8Array): CoverImage['mediaType'] | undefined {
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'image/png';
  return undefined;
}
