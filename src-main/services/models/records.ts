/**
 * Remembers which files were verified, so `list()` can say "verified" without re-hashing
 * 370 MB each time. A record only counts while the file's size and mtime are unchanged.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const RECORDS_FILE = '.verified.json';

export interface VerificationRecord {
  /** The source the file was verified against (a new manifest revision invalidates it). */
  url: string;
  size: number;
  mtimeMs: number;
  sha256: string;
  verifiedAt: string;
}

export type VerificationRecords = Record<string, VerificationRecord>;

function isRecord(value: unknown): value is VerificationRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<VerificationRecord>;
  return typeof v.url === 'string' && typeof v.size === 'number' && typeof v.mtimeMs === 'number' && typeof v.sha256 === 'string';
}

/** Reads the records; a missing or damaged file just means nothing is known to be verified. */
export async function readRecords(dir: string): Promise<VerificationRecords> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, RECORDS_FILE), 'utf8'));
  } catch {
    return {};
  }
  const files = (json as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null) return {};
  const out: VerificationRecords = {};
  for (const [name, value] of Object.entries(files)) if (isRecord(value)) out[name] = value;
  return out;
}

/** Writes the records atomically (temp file, then rename), so a crash never leaves half a file. */
export async function writeRecords(dir: string, records: VerificationRecords): Promise<void> {
  const path = join(dir, RECORDS_FILE);
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify({ version: 1, files: records }, null, 2)}\n`);
    await rename(temp, path);
  } catch (thrown) {
    await rm(temp, { force: true });
    throw thrown;
  }
}
