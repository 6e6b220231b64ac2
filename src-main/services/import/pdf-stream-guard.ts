// pdf.js inflates a stream whole, into buffers outside the V8 heap, and has no option to cap
// what it decodes: a 0.5 MB PDF of Flate-compressed zeros cost it 1.6 GB. So before pdf.js
// sees a file, every Flate stream it could decode for text (content, forms, fonts, CMaps;
// images are never decoded for text) is inflated here once, counting and discarding the
// output, and the file is refused when one stream or all of them together pass the limits.
// Streams are found by their keywords (streams never sit inside object streams). Not counted
// (see the README): an encrypted file's streams (ciphertext here), and LZW or RunLength filters.
import { constants, inflateRawSync, inflateSync } from 'node:zlib';
import { AppError } from '../../../src-shared/errors/catalogue';
import { checkAborted, yieldToEventLoop } from './limits';
import type { ImportLimits } from './limits';
import { formatBytes } from './zip-guard';

/** How far back from `stream` its dictionary is looked for. */
const DICTIONARY_WINDOW = 4096;
const RE_IMAGE = /\/Subtype\s*\/Image\b/;
const RE_FLATE = /\/(?:FlateDecode|Fl)\b/;

type PdfStreamLimits = Pick<ImportLimits, 'maxPdfStreamBytes' | 'maxPdfDecodedBytes'>;

/** Throws FILE_TOO_LARGE naming the limit when the PDF's Flate streams inflate past it. */
export async function checkPdfStreams(bytes: Uint8Array, limits: PdfStreamLimits, signal?: AbortSignal): Promise<void> {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let decoded = 0;
  let streams = 0;
  for (let at = file.indexOf('stream', 0, 'latin1'); at >= 0; at = file.indexOf('stream', at + 6, 'latin1')) {
    if (at >= 3 && file.toString('latin1', at - 3, at) === 'end') continue;
    let start = at + 6;
    if (file[start] === 0x0d) start++;
    if (file[start] === 0x0a) start++;
    if (start === at + 6) continue;
    const before = file.toString('latin1', Math.max(0, at - DICTIONARY_WINDOW), at);
    const objAt = before.lastIndexOf('obj');
    const dictionary = objAt < 0 ? before : before.slice(objAt + 3);
    if (RE_IMAGE.test(dictionary) || !RE_FLATE.test(dictionary)) continue;
    const end = file.indexOf('endstream', start, 'latin1');
    const size = inflatedSize(file.subarray(start, end < 0 ? file.length : end), limits.maxPdfStreamBytes);
    if (size > limits.maxPdfStreamBytes) {
      throw AppError.of('FILE_TOO_LARGE', `(A stream of the PDF unpacks to more than ${formatBytes(limits.maxPdfStreamBytes)}, the limit for one stream.)`);
    }
    decoded += size;
    if (decoded > limits.maxPdfDecodedBytes) {
      throw AppError.of('FILE_TOO_LARGE', `(The PDF's streams unpack to more than ${formatBytes(limits.maxPdfDecodedBytes)}, the limit for one PDF.)`);
    }
    if (++streams % 256 === 0) {
      await yieldToEventLoop();
      checkAborted(signal);
    }
  }
}

/** The inflated size of one stream's data, or cap + 1 when it passes the cap; 0 when it is not zlib data. */
function inflatedSize(data: Buffer, cap: number): number {
  const options = { maxOutputLength: cap, finishFlush: constants.Z_SYNC_FLUSH };
  try {
    // A truncated stream counts for what inflates (pdf.js reads that much too).
    return inflateSync(data, options).length;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return cap + 1;
  }
  try {
    // pdf.js does not check the Adler-32 at the end: count such a stream without it.
    return inflateRawSync(data.subarray(2), options).length;
  } catch (error) {
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? cap + 1 : 0;
  }
}
