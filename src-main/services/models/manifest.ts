/**
 * The model manifest (`models/manifest.json`): every file the Kokoro engine needs, where it comes
 * from, and what it must look like. Parsed and checked here so a typo in the manifest fails loudly
 * at start-up instead of as a confusing download error.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../../src-shared/errors/catalogue';
// Bundled into the main, CLI and engine builds by esbuild, so no path lookup is needed at run time
// (the CommonJS main bundle has no import.meta.url to find the file with).
import bundledManifestJson from '../../../models/manifest.json' with { type: 'json' };

/** How a file's content is sanity-checked when no checksum is known. */
export type ModelFileFormat = 'tflite' | 'json' | 'float32' | 'binary';

const FORMATS: readonly ModelFileFormat[] = ['tflite', 'json', 'float32', 'binary'];

export interface ModelFileEntry {
  /** File name inside the model folder; a plain name, no folders. */
  name: string;
  /** What the engine uses it for, e.g. "predictor", "lexicon-gold". */
  role: string;
  format: ModelFileFormat;
  /** Source repository, e.g. "huggingface:owner/name" or "github:owner/name" (informational). */
  repo: string | null;
  /** Path of the file inside its source repository; `import` also looks for it there. */
  path: string | null;
  /** Revision the URL is pinned to: a 40-hex commit, or a branch/tag explained in `note`. */
  revision: string;
  url: string;
  /** Exact size in bytes, or null when unknown. */
  size: number | null;
  /** Rough size for progress display only; never used to verify. */
  approxSize: number | null;
  /** Lower-case hex SHA-256, or null when unknown. */
  sha256: string | null;
  license: string | null;
  note: string | null;
}

export interface ModelManifest {
  schemaVersion: 1;
  id: string;
  description: string;
  note: string | null;
  files: ModelFileEntry[];
}

const SHA256 = /^[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{40}$/;
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True when the revision is an immutable commit id rather than a branch or tag. */
export function isPinnedRevision(revision: string): boolean {
  return COMMIT.test(revision);
}

function bad(detail: string): never {
  throw AppError.of('MANIFEST_INVALID', `(${detail})`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(record: Record<string, unknown>, key: string, where: string): string | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') bad(`${where}: "${key}" must be a string or null`);
  return value;
}

function requiredString(record: Record<string, unknown>, key: string, where: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value.trim() === '') bad(`${where}: "${key}" must be a non-empty string`);
  return value;
}

function optionalSize(record: Record<string, unknown>, key: string, where: string): number | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) bad(`${where}: "${key}" must be a positive whole number of bytes or null`);
  return value;
}

function checkUrl(raw: string, where: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    bad(`${where}: "url" is not a URL`);
  }
  // Plain http only for loopback (tests); real sources must be fetched over TLS.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) bad(`${where}: "url" must use https`);
}

function parseEntry(value: unknown, index: number): ModelFileEntry {
  const where = `files[${index}]`;
  if (!isRecord(value)) bad(`${where} must be an object`);
  const name = requiredString(value, 'name', where);
  if (!PLAIN_NAME.test(name) || name.endsWith('.partial') || name.endsWith('.partial.json')) bad(`${where}: "name" must be a plain file name`);
  const at = `${where} (${name})`;
  const formatValue = value.format ?? 'binary';
  if (typeof formatValue !== 'string' || !FORMATS.includes(formatValue as ModelFileFormat)) bad(`${at}: "format" must be one of ${FORMATS.join(', ')}`);
  const url = requiredString(value, 'url', at);
  checkUrl(url, at);
  const revision = requiredString(value, 'revision', at);
  const sha256 = optionalString(value, 'sha256', at);
  if (sha256 !== null && !SHA256.test(sha256)) bad(`${at}: "sha256" must be 64 lower-case hex digits or null`);
  const note = optionalString(value, 'note', at);
  // A branch can move under us: an unpinned source must say why, so it is not forgotten.
  if (!isPinnedRevision(revision) && (note === null || note.trim() === '')) bad(`${at}: revision "${revision}" is not a commit id, so a "note" must say it is to be pinned`);
  if (!url.includes(`/${revision}/`)) bad(`${at}: "url" is not pinned to its revision "${revision}"`);
  return {
    name,
    role: requiredString(value, 'role', at),
    format: formatValue as ModelFileFormat,
    repo: optionalString(value, 'repo', at),
    path: optionalString(value, 'path', at),
    revision,
    url,
    size: optionalSize(value, 'size', at),
    approxSize: optionalSize(value, 'approxSize', at),
    sha256,
    license: optionalString(value, 'license', at),
    note,
  };
}

/** Checks a parsed manifest; throws MANIFEST_INVALID naming the first problem. */
export function parseManifest(value: unknown): ModelManifest {
  if (!isRecord(value)) bad('the manifest must be an object');
  if (value.schemaVersion !== 1) bad(`unsupported schemaVersion ${String(value.schemaVersion)}`);
  if (!Array.isArray(value.files) || value.files.length === 0) bad('"files" must be a non-empty list');
  const files = value.files.map(parseEntry);
  const seen = new Set<string>();
  for (const file of files) {
    // Names are compared case-insensitively: macOS and Windows folders are.
    const key = file.name.toLowerCase();
    if (seen.has(key)) bad(`file name "${file.name}" appears twice`);
    seen.add(key);
  }
  return {
    schemaVersion: 1,
    id: requiredString(value, 'id', 'manifest'),
    description: optionalString(value, 'description', 'manifest') ?? '',
    note: optionalString(value, 'note', 'manifest'),
    files,
  };
}

let bundled: ModelManifest | undefined;

/** The manifest shipped with the app. */
export function bundledManifest(): ModelManifest {
  bundled ??= parseManifest(bundledManifestJson);
  return bundled;
}

/** A manifest from a JSON file (for tests and for trying a new manifest before shipping it). */
export async function readManifestFile(path: string): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (thrown) {
    const code = (thrown as NodeJS.ErrnoException).code;
    throw AppError.of(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `(${path})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    bad(`${path} is not valid JSON`);
  }
  return parseManifest(json);
}
