// Format detection: the content decides (magic bytes, and for zips the entries inside); the
// extension only chooses between text formats, and explains a mismatch in the error.
import { AppError } from '../../../src-shared/errors/catalogue';
import type { DocumentFormat } from '../../../src-shared/document/model';
import { looksBinary } from './text-decode';

const TEXT_EXTENSIONS: Record<string, DocumentFormat> = {
  txt: 'text', text: 'text', md: 'markdown', markdown: 'markdown', mdown: 'markdown', mkd: 'markdown',
  html: 'html', htm: 'html', xhtml: 'html', xht: 'html',
};
const CONTAINER_EXTENSIONS: Record<string, DocumentFormat> = { epub: 'epub', pdf: 'pdf', docx: 'docx' };
/** The extensions a file dialog offers (without the dot). */
export const OPENABLE_EXTENSIONS = [...Object.keys(TEXT_EXTENSIONS), ...Object.keys(CONTAINER_EXTENSIONS)];

const MAGIC: { bytes: number[]; name: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], name: 'a GIF image' },
  { bytes: [0x52, 0x49, 0x46, 0x46], name: 'a RIFF file (audio, video or image)' },
  { bytes: [0x49, 0x44, 0x33], name: 'an MP3 file' },
  { bytes: [0x1f, 0x8b], name: 'a gzip archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21], name: 'a RAR archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], name: 'a 7-Zip archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], name: 'a program' },
  { bytes: [0x4d, 0x5a], name: 'a Windows program' },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], name: 'an RTF document' },
];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function extensionOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return magic.every((byte, i) => bytes[at + i] === byte);
}

export function detectFormat(bytes: Uint8Array, fileName: string): DocumentFormat {
  const extension = extensionOf(fileName);
  const named = extension ? `named .${extension}` : 'without an extension';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return zipFormat(bytes, extension);
  // The PDF header may follow some junk; readers accept it within the first kilobyte
  // (only trusted for .pdf files, so a text file quoting "%PDF-" stays text).
  const pdfAt = new TextDecoder('latin1').decode(bytes.subarray(0, 1024)).indexOf('%PDF-');
  if (pdfAt === 0 || (pdfAt > 0 && extension === 'pdf')) return 'pdf';
  if (startsWith(bytes, OLE2)) {
    // Word encrypts a password-protected .docx into an OLE2 container.
    if (extension === 'docx') throw AppError.of('ENCRYPTED_DOCUMENT');
    throw AppError.of('UNSUPPORTED_FORMAT', `(The file is an old Microsoft Office document (${named}); save it as DOCX or PDF.)`);
  }
  const magic = MAGIC.find((entry) => startsWith(bytes, entry.bytes));
  if (magic) throw AppError.of('UNSUPPORTED_FORMAT', `(The file is ${magic.name}, ${named}.)`);
  const container = CONTAINER_EXTENSIONS[extension];
  if (container) throw AppError.of('CORRUPT_DOCUMENT', `(The file is ${named} but is not a valid ${extension.toUpperCase()}.)`);
  if (looksBinary(bytes)) throw AppError.of('UNSUPPORTED_FORMAT', `(The file is ${named} and is not text.)`);
  const byExtension = TEXT_EXTENSIONS[extension];
  if (byExtension) return byExtension;
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || (head.startsWith('<?xml') && head.includes('<html'))) return 'html';
  return 'text';
}

/** EPUB and DOCX are zips; the entries say which. Truncated zips fail here as corrupt. */
function zipFormat(bytes: Uint8Array, extension: string): DocumentFormat {
  // The EPUB spec puts an uncompressed "mimetype" entry first: its bytes are at offset 30.
  const first = new TextDecoder('latin1').decode(bytes.subarray(30, 30 + 8 + 20 + 20));
  if (first.startsWith('mimetypeapplication/epub+zip')) return 'epub';
  const names = centralDirectoryNames(bytes);
  if (names.has('META-INF/container.xml') || names.has('mimetype')) return 'epub';
  if (names.has('word/document.xml')) return 'docx';
  if (names.size === 0 && extension in CONTAINER_EXTENSIONS && extension !== 'pdf') return extension === 'epub' ? 'epub' : 'docx';
  throw AppError.of('UNSUPPORTED_FORMAT', `(The file is a zip archive but not an EPUB or DOCX document.)`);
}

/** Entry names from the central directory without inflating anything (empty if unreadable). */
function centralDirectoryNames(bytes: Uint8Array): Set<string> {
  const names = new Set<string>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return names;
  let at = view.getUint32(eocd + 16, true);
  const count = Math.min(view.getUint16(eocd + 10, true), 20_000);
  const decoder = new TextDecoder('utf-8');
  for (let i = 0; i < count && at + 46 <= bytes.length; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) break;
    const nameLength = view.getUint16(at + 28, true);
    names.add(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return names;
}
