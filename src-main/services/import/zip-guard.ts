// Zip archives (EPUB, DOCX) are checked before anything is inflated: the entry count and the
// declared sizes come from the central directory, read by hand so a bomb with a million
// entries costs nothing. While inflating, bytes are counted again, because declared sizes
// can lie: an entry that grows past its declared size, or past the budget, is refused.
import JSZip from 'jszip';
import { AppError } from '../../../src-shared/errors/catalogue';
import type { ImportLimits } from './limits';

/** The limits one kind of archive is read under: what its parser can live with. */
export interface ZipLimits {
  kind: 'EPUB' | 'DOCX';
  maxZipEntries: number;
  maxUnpackedBytes: number;
  maxEntryBytes: number;
  maxReadBytes: number;
}

export function zipLimitsFor(limits: ImportLimits, kind: ZipLimits['kind']): ZipLimits {
  const epub = kind === 'EPUB';
  return {
    kind,
    maxZipEntries: limits.maxZipEntries,
    maxUnpackedBytes: limits.maxUnpackedBytes,
    maxEntryBytes: epub ? limits.maxEpubEntryBytes : limits.maxDocxEntryBytes,
    maxReadBytes: epub ? limits.maxEpubReadBytes : limits.maxDocxReadBytes,
  };
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;

export interface ZipDirectory {
  entryCount: number;
  declaredBytes: number;
  encrypted: boolean;
}

/** Reads the central directory and refuses archives over the limits. Throws AppError. */
export function scanZipDirectory(bytes: Uint8Array, limits: ZipLimits): ZipDirectory {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  if (eocd < 0) throw AppError.of('CORRUPT_DOCUMENT', '(The zip archive is truncated: its directory is missing.)');
  let entryCount = view.getUint16(eocd + 10, true);
  let directorySize = view.getUint32(eocd + 12, true);
  let directoryOffset = view.getUint32(eocd + 16, true);
  // Like JSZip, the zip64 record counts only when a field of the normal record is saturated;
  // otherwise JSZip ignores it, so trusting it here would scan a directory JSZip does not load.
  const saturated =
    view.getUint16(eocd + 4, true) === 0xffff ||
    view.getUint16(eocd + 6, true) === 0xffff ||
    view.getUint16(eocd + 8, true) === 0xffff ||
    entryCount === 0xffff ||
    directorySize === 0xffffffff ||
    directoryOffset === 0xffffffff;
  const locator = eocd - 20;
  if (saturated && locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64 = Number(view.getBigUint64(locator + 8, true));
    if (zip64 + 56 > view.byteLength || view.getUint32(zip64, true) !== ZIP64_EOCD_SIGNATURE) {
      throw AppError.of('CORRUPT_DOCUMENT', '(The zip64 directory is damaged.)');
    }
    entryCount = Number(view.getBigUint64(zip64 + 32, true));
    directorySize = Number(view.getBigUint64(zip64 + 40, true));
    directoryOffset = Number(view.getBigUint64(zip64 + 48, true));
  }
  if (entryCount > limits.maxZipEntries) {
    throw AppError.of('ZIP_BOMB', `(It has ${entryCount} entries; the limit is ${limits.maxZipEntries}.)`);
  }
  if (directoryOffset + directorySize > view.byteLength) {
    throw AppError.of('CORRUPT_DOCUMENT', '(The zip archive is truncated.)');
  }
  let declaredBytes = 0;
  let encrypted = false;
  let at = directoryOffset;
  const end = directoryOffset + directorySize;
  let seen = 0;
  while (at + 46 <= end) {
    if (view.getUint32(at, true) !== CENTRAL_SIGNATURE) throw AppError.of('CORRUPT_DOCUMENT', '(The zip directory is damaged.)');
    if (++seen > limits.maxZipEntries) throw AppError.of('ZIP_BOMB', `(It has more than ${limits.maxZipEntries} entries.)`);
    const flags = view.getUint16(at + 8, true);
    if (flags & 1) encrypted = true;
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (size === 0xffffffff) size = zip64UncompressedSize(view, at + 46 + nameLength, extraLength) ?? size;
    declaredBytes += size;
    if (declaredBytes > limits.maxUnpackedBytes) throw declaredTooMuch(limits);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { entryCount: seen, declaredBytes, encrypted };
}

function declaredTooMuch(limits: ZipLimits): AppError {
  return AppError.of('ZIP_BOMB', `(Its entries declare more than ${formatBytes(limits.maxUnpackedBytes)} when unpacked; that is the limit.)`);
}

function findEndOfCentralDirectory(view: DataView): number {
  // The record is 22 bytes plus a comment of up to 65535 bytes, at the very end.
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) return at;
  }
  return -1;
}

function zip64UncompressedSize(view: DataView, extraStart: number, extraLength: number): number | undefined {
  let at = extraStart;
  const end = Math.min(view.byteLength, extraStart + extraLength);
  while (at + 4 <= end) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001 && at + 12 <= end) return Number(view.getBigUint64(at + 4, true));
    at += 4 + size;
  }
  return undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024 * 1024)).toFixed(bytes % (1024 * 1024 * 1024) === 0 ? 0 : 1)} GB`;
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

interface StreamHelper {
  on(event: 'data', callback: (chunk: Uint8Array) => void): StreamHelper;
  on(event: 'end', callback: () => void): StreamHelper;
  on(event: 'error', callback: (error: Error) => void): StreamHelper;
  resume(): StreamHelper;
  pause(): StreamHelper;
}

/** A zip opened after scanZipDirectory passed; every read is counted against the limits. */
export class GuardedZip {
  private inflated = 0;
  private readonly byLowerName = new Map<string, string>();

  private constructor(
    private readonly zip: JSZip,
    private readonly limits: ZipLimits,
  ) {
    for (const name of Object.keys(zip.files)) this.byLowerName.set(name.toLowerCase(), name);
  }

  static async open(bytes: Uint8Array, limits: ZipLimits): Promise<GuardedZip> {
    const directory = scanZipDirectory(bytes, limits);
    if (directory.encrypted) throw AppError.of('ENCRYPTED_DOCUMENT', '(The zip archive is encrypted.)');
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes, { createFolders: false });
    } catch (error) {
      throw AppError.of('CORRUPT_DOCUMENT', `(${error instanceof Error ? error.message : String(error)})`);
    }
    // JSZip reads the directory its own way (it follows headers past the declared size, for
    // one): check what it actually loaded against the limits too.
    const files = Object.values(zip.files);
    if (files.length > limits.maxZipEntries) {
      throw AppError.of('ZIP_BOMB', `(It has ${files.length} entries; the limit is ${limits.maxZipEntries}.)`);
    }
    let declaredBytes = 0;
    for (const file of files) declaredBytes += declaredSize(file) ?? 0;
    if (declaredBytes > limits.maxUnpackedBytes) throw declaredTooMuch(limits);
    return new GuardedZip(zip, limits);
  }

  names(): string[] {
    return Object.keys(this.zip.files).filter((name) => !this.zip.files[name]?.dir);
  }

  /** The stored name for a path, matching case-insensitively as a fallback (zips made on Windows). */
  resolve(path: string): string | undefined {
    const exact = this.zip.files[path];
    if (exact && !exact.dir) return path;
    const lower = this.byLowerName.get(path.toLowerCase());
    return lower !== undefined && !this.zip.files[lower]?.dir ? lower : undefined;
  }

  has(path: string): boolean {
    return this.resolve(path) !== undefined;
  }

  async bytes(path: string): Promise<Uint8Array> {
    const name = this.resolve(path);
    const file = name === undefined ? null : this.zip.file(name);
    if (!file) throw AppError.of('CORRUPT_DOCUMENT', `(The archive has no "${path}".)`);
    const declared = declaredSize(file);
    const { kind, maxEntryBytes, maxReadBytes } = this.limits;
    // An honest size over the limit is refused before inflating a byte.
    if (declared !== undefined && declared > maxEntryBytes) throw entryTooLarge(path, `unpacks to ${formatBytes(declared)}`, kind, maxEntryBytes);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const stream = (file as unknown as { internalStream(type: 'uint8array'): StreamHelper }).internalStream('uint8array');
    await new Promise<void>((resolve, reject) => {
      const refuse = (error: AppError): void => {
        stream.pause();
        chunks.length = 0;
        reject(error);
      };
      stream
        .on('data', (chunk) => {
          total += chunk.length;
          if (declared !== undefined && total > declared) return refuse(AppError.of('ZIP_BOMB', `("${path}" expands past the ${formatBytes(declared)} it declares.)`));
          if (total > maxEntryBytes) return refuse(entryTooLarge(path, `unpacks to more than ${formatBytes(maxEntryBytes)}`, kind, maxEntryBytes));
          if (this.inflated + total > maxReadBytes) {
            return refuse(AppError.of('FILE_TOO_LARGE', `(Its parts unpack to more than ${formatBytes(maxReadBytes)}, the limit for ${articled(kind)}.)`));
          }
          chunks.push(chunk);
        })
        .on('error', (error) => reject(AppError.of('CORRUPT_DOCUMENT', `("${path}": ${error.message})`)))
        .on('end', () => resolve())
        .resume();
    });
    this.inflated += total;
    if (chunks.length === 1 && chunks[0]) return chunks[0];
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  /** Mammoth reads a DOCX through this shape (its `file` input), so its reads are counted too. */
  asMammothFile(): { exists(name: string): boolean; read(name: string, encoding?: string): Promise<Uint8Array | string>; write(): void; toArrayBuffer(): Promise<ArrayBuffer> } {
    return {
      exists: (name) => this.has(name),
      read: async (name, encoding) => {
        const bytes = await this.bytes(name);
        if (encoding === 'base64') return Buffer.from(bytes).toString('base64');
        return encoding ? new TextDecoder(encoding).decode(bytes) : bytes;
      },
      write: () => {
        throw new Error('read-only archive');
      },
      toArrayBuffer: () => Promise.reject(new Error('read-only archive')),
    };
  }
}

function entryTooLarge(path: string, what: string, kind: ZipLimits['kind'], limit: number): AppError {
  return AppError.of('FILE_TOO_LARGE', `("${path}" ${what}; the limit for one part of ${articled(kind)} is ${formatBytes(limit)}.)`);
}

function articled(kind: ZipLimits['kind']): string {
  return kind === 'EPUB' ? 'an EPUB' : 'a DOCX';
}

function declaredSize(file: JSZip.JSZipObject): number | undefined {
  // JSZip keeps the central directory's size on the (undocumented) compressed object.
  const data = (file as unknown as { _data?: { uncompressedSize?: unknown } })._data;
  return typeof data?.uncompressedSize === 'number' ? data.uncompressedSize : undefined;
}
