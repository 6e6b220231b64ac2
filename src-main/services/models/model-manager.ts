/**
 * The model folder: which of the manifest's files are there, and getting the missing ones by
 * download or from a folder the user already has. A file only ever appears under its final name
 * after it was verified (written as `.partial` or `.import`, then renamed), so the engine never
 * loads half a model.
 */
import type { Stats } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DownloadSummary, ImportReport, ImportResult, ModelFileState, ModelFileStatus, ModelPhase, ModelProgress, VerifyReport, VerifyResult } from '../../../src-shared/models/types';
import { AppError } from '../../../src-shared/errors/catalogue';
import { checkContent, fileSizeOrNull, fsError, hashFile } from './file-checks';
import type { FileDigest } from './file-checks';
import { withFolderLock } from './lock';
import { bundledManifest } from './manifest';
import type { ModelFileEntry, ModelManifest } from './manifest';
import { readRecords, writeRecords } from './records';
import type { VerificationRecord, VerificationRecords } from './records';
import { discardPartial, partialPaths, transferToPartial } from './transfer';

export interface ModelManagerOptions {
  /** The model folder (the app passes `<user data>/models`, the CLI its `--model-dir`). */
  dir: string;
  manifest?: ModelManifest;
  fetch?: typeof globalThis.fetch;
  /** Free bytes on the folder's disk, or null when unknown (tests replace it). */
  freeSpace?: (dir: string) => Promise<number | null>;
  /** Attempts per file, counting the first (default 3). */
  attempts?: number;
  /** Wait before the first retry, doubled after each (default 1 s). */
  retryDelayMs?: number;
  /** A connection that sends nothing for this long counts as failed (default 60 s). */
  idleTimeoutMs?: number;
}


export type { DownloadSummary, ImportReport, ImportResult, ModelFileState, ModelFileStatus, ModelPhase, ModelProgress, VerifyReport, VerifyResult };

export interface ModelOperationOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ModelProgress) => void;
}

const LINK_FALLBACK_CODES = new Set(['EXDEV', 'EPERM', 'EACCES', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS', 'EINVAL']);

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (thrown) {
    if ((thrown as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw thrown;
  }
}

async function defaultFreeSpace(dir: string): Promise<number | null> {
  try {
    const info = await statfs(dir);
    return info.bavail * info.bsize;
  } catch {
    return null;
  }
}

function abortedError(thrown: unknown, signal: AbortSignal | undefined, name: string): unknown {
  return signal?.aborted ? AppError.of('DOWNLOAD_CANCELLED', '', { file: name }) : thrown;
}

function mb(bytes: number): string {
  return `${Math.ceil(bytes / 1e6)} MB`;
}

/** Tracks bytes per file for the overall line of progress events. */
class ProgressTracker {
  private readonly done: number[];
  private readonly totals: number[];
  private readonly exact: boolean[];

  constructor(
    private readonly files: readonly ModelFileEntry[],
    private readonly onProgress: ((progress: ModelProgress) => void) | undefined,
  ) {
    this.done = files.map(() => 0);
    this.totals = files.map((f) => f.size ?? f.approxSize ?? 0);
    this.exact = files.map((f) => f.size !== null);
  }

  setTotal(index: number, total: number, exact: boolean): void {
    this.totals[index] = total;
    this.exact[index] = exact;
  }

  total(index: number): number {
    return this.totals[index] ?? 0;
  }

  emit(index: number, phase: ModelPhase, fileBytes: number, fileTotal: number | null): void {
    this.done[index] = fileBytes;
    if (!this.onProgress) return;
    this.onProgress({
      file: this.files[index]?.name ?? '',
      fileIndex: index,
      fileCount: this.files.length,
      phase,
      fileBytes,
      fileTotal,
      overallBytes: this.done.reduce((a, b) => a + b, 0),
      overallTotal: this.totals.reduce((a, b) => a + b, 0),
      overallTotalExact: this.exact.every(Boolean),
    });
  }
}

export class ModelManager {
  readonly dir: string;
  readonly manifest: ModelManifest;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly freeSpace: (dir: string) => Promise<number | null>;
  private readonly attempts: number;
  private readonly retryDelayMs: number;
  private readonly idleTimeoutMs: number;

  constructor(options: ModelManagerOptions) {
    this.dir = resolve(options.dir);
    this.manifest = options.manifest ?? bundledManifest();
    // Looked up at call time by default, so a test that replaces globalThis.fetch is honoured.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.freeSpace = options.freeSpace ?? defaultFreeSpace;
    this.attempts = options.attempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /** Where a manifest file lives in the model folder. */
  pathOf(name: string): string {
    return join(this.dir, name);
  }

  /** The manifest entry of a file; throws for a name the manifest does not have. */
  entryOf(name: string): ModelFileEntry {
    const entry = this.manifest.files.find((f) => f.name === name);
    if (!entry) throw AppError.of('INVALID_REQUEST', `(no model file named "${name}")`);
    return entry;
  }

  /** A record counts only while the file is unchanged and matches the current manifest. */
  private recordHolds(entry: ModelFileEntry, info: Stats, record: VerificationRecord | undefined): boolean {
    if (!record || record.size !== info.size || record.mtimeMs !== info.mtimeMs) return false;
    if (entry.size !== null && info.size !== entry.size) return false;
    // Without a checksum, a file fetched from another revision cannot be told apart: require the same source.
    return entry.sha256 !== null ? record.sha256 === entry.sha256 : record.url === entry.url;
  }

  private async remember(records: VerificationRecords, entry: ModelFileEntry, path: string, digest: FileDigest): Promise<void> {
    const info = await stat(path);
    records[entry.name] = { url: entry.url, size: info.size, mtimeMs: info.mtimeMs, sha256: digest.sha256, verifiedAt: new Date().toISOString() };
    try {
      await writeRecords(this.dir, records);
    } catch (thrown) {
      throw fsError(thrown, this.dir);
    }
  }

  private async ensureDir(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (thrown) {
      throw fsError(thrown, this.dir);
    }
  }

  /** The state of every manifest file, without reading their contents. */
  async list(): Promise<ModelFileStatus[]> {
    const records = await readRecords(this.dir);
    const out: ModelFileStatus[] = [];
    for (const entry of this.manifest.files) {
      const path = this.pathOf(entry.name);
      const info = await statOrNull(path);
      const partialSize = await fileSizeOrNull(partialPaths(path).partial);
      const record = records[entry.name];
      let state: ModelFileState;
      let problem: string | null = null;
      if (!info || !info.isFile()) state = partialSize !== null ? 'partial' : 'missing';
      else if (entry.size !== null && info.size !== entry.size) {
        state = 'invalid';
        problem = `its size is ${info.size} bytes, expected ${entry.size}`;
      } else state = this.recordHolds(entry, info, record) ? 'verified' : 'present';
      const present = state === 'present' || state === 'verified' || state === 'invalid';
      out.push({
        name: entry.name,
        role: entry.role,
        path,
        state,
        present,
        verified: state === 'verified',
        size: present && info ? info.size : null,
        expectedSize: entry.size,
        approxSize: entry.approxSize,
        partialSize,
        checksumKnown: entry.sha256 !== null,
        sha256: state === 'verified' && record ? record.sha256 : null,
        problem,
      });
    }
    return out;
  }

  /**
   * Paths of every model file by name, for the engine. Throws MODEL_MISSING naming what is
   * not installed; does not re-hash (see verify()).
   */
  async resolveFiles(): Promise<Record<string, string>> {
    const status = await this.list();
    const missing = status.filter((s) => !s.present || s.state === 'invalid').map((s) => s.name);
    if (missing.length > 0) throw AppError.of('MODEL_MISSING', `(missing in ${this.dir}: ${missing.join(', ')})`, { dir: this.dir, missing });
    return Object.fromEntries(status.map((s) => [s.name, s.path]));
  }

  /** Downloads every file that is not installed and verified; resumes unfinished downloads. */
  async download(options: ModelOperationOptions = {}): Promise<DownloadSummary> {
    const { signal } = options;
    await this.ensureDir();
    return withFolderLock(this.dir, async () => {
      const files = this.manifest.files;
      const records = await readRecords(this.dir);
      const progress = new ProgressTracker(files, options.onProgress);
      const summary: DownloadSummary = { dir: this.dir, downloaded: [], skipped: [], bytesTransferred: 0 };
      const todo: number[] = [];

      for (const [index, entry] of files.entries()) {
        const path = this.pathOf(entry.name);
        const info = await statOrNull(path);
        if (info?.isFile()) {
          progress.setTotal(index, info.size, true);
          const record = records[entry.name];
          let good = this.recordHolds(entry, info, record);
          const otherSource = record !== undefined && entry.sha256 === null && record.url !== entry.url;
          if (!good && !otherSource) {
            // Installed by hand, or changed since: accept it if it checks out.
            progress.emit(index, 'verifying', 0, info.size);
            const digest = await hashFile(path, (done) => progress.emit(index, 'verifying', done, info.size), signal).catch((thrown: unknown) => {
              throw abortedError(thrown, signal, entry.name);
            });
            good = (await checkContent(entry, path, digest)) === null;
            if (good) await this.remember(records, entry, path, digest);
          }
          if (good) {
            summary.skipped.push(entry.name);
            progress.emit(index, 'skipped', info.size, info.size);
            continue;
          }
        }
        todo.push(index);
        progress.emit(index, 'checking', 0, entry.size);
      }

      await this.checkFreeSpace(todo.map((i) => files[i]).filter((e): e is ModelFileEntry => e !== undefined), progress, todo);

      for (const index of todo) {
        const entry = files[index];
        if (!entry) continue;
        const path = this.pathOf(entry.name);
        let startedAt: number | null = null;
        const digest = await transferToPartial(entry, path, {
          fetch: this.fetchImpl,
          signal,
          idleTimeoutMs: this.idleTimeoutMs,
          attempts: this.attempts,
          retryDelayMs: this.retryDelayMs,
          onBytes: (done, total) => {
            startedAt ??= done;
            if (total !== null) progress.setTotal(index, total, true);
            progress.emit(index, 'downloading', done, total);
          },
        });
        summary.bytesTransferred += digest.size - (startedAt ?? 0);
        progress.emit(index, 'verifying', digest.size, digest.size);
        await this.install(entry, partialPaths(path).partial, digest, records, 'download');
        await rm(partialPaths(path).meta, { force: true });
        summary.downloaded.push(entry.name);
        progress.emit(index, 'done', digest.size, digest.size);
      }
      return summary;
    });
  }

  /** Fails early, before any byte is fetched, when the disk clearly cannot hold the files. */
  private async checkFreeSpace(entries: ModelFileEntry[], progress: ProgressTracker, indexes: number[]): Promise<void> {
    let needed = 0;
    for (const [i, entry] of entries.entries()) {
      const have = (await fileSizeOrNull(partialPaths(this.pathOf(entry.name)).partial)) ?? 0;
      needed += Math.max(0, progress.total(indexes[i] ?? -1) - have);
    }
    if (needed === 0) return;
    const free = await this.freeSpace(this.dir);
    if (free === null) return;
    // Some slack for the verification records and estimated sizes.
    const wanted = needed + Math.max(1e6, needed * 0.02);
    if (free < wanted) throw AppError.of('DISK_FULL', `(about ${mb(wanted)} needed in ${this.dir}, ${mb(free)} free)`, { dir: this.dir, needed: wanted, free });
  }

  /** Verifies a temp file and renames it into place; removes it and throws when it is wrong. */
  private async install(entry: ModelFileEntry, temp: string, digest: FileDigest, records: VerificationRecords, from: 'download' | 'import', source?: string): Promise<void> {
    const path = this.pathOf(entry.name);
    const problem = await checkContent(entry, temp, digest);
    if (problem !== null) {
      if (from === 'download') await discardPartial(partialPaths(path));
      else await rm(temp, { force: true });
      const origin = from === 'download' ? `downloaded from ${entry.url}` : `from ${source ?? '?'}`;
      throw AppError.of('CHECKSUM_MISMATCH', `(${entry.name} ${origin}: ${problem})`, { file: entry.name, problem });
    }
    try {
      await rename(temp, path);
    } catch (thrown) {
      throw fsError(thrown, path);
    }
    await this.remember(records, entry, path, digest);
  }

  /** Removes every unfinished download, so that the next download starts from nothing; returns how many there were. */
  async discardPartials(): Promise<number> {
    await this.ensureDir();
    return withFolderLock(this.dir, async () => {
      let discarded = 0;
      for (const entry of this.manifest.files) {
        const paths = partialPaths(this.pathOf(entry.name));
        if ((await fileSizeOrNull(paths.partial)) !== null) discarded++;
        await discardPartial(paths);
      }
      return discarded;
    });
  }

  /**
   * Installs the manifest's files found in `sourceDir` (by their name, or by their path in the
   * source repository). Hard-links when the folder is on the same file system, else copies;
   * every file is verified before it gets its final name. A wrong file is rejected, the rest go on.
   */
  async import(sourceDir: string, options: ModelOperationOptions = {}): Promise<ImportReport> {
    const { signal } = options;
    const source = resolve(sourceDir);
    const sourceInfo = await statOrNull(source);
    if (!sourceInfo?.isDirectory()) throw AppError.of('FILE_NOT_FOUND', `(${source} is not a folder)`, { path: source });
    await this.ensureDir();
    return withFolderLock(this.dir, async () => {
      const files = this.manifest.files;
      const records = await readRecords(this.dir);
      const progress = new ProgressTracker(files, options.onProgress);
      const results: ImportResult[] = [];

      for (const [index, entry] of files.entries()) {
        if (signal?.aborted) throw AppError.of('DOWNLOAD_CANCELLED', '', { file: entry.name });
        const path = this.pathOf(entry.name);
        const candidates = [join(source, entry.name)];
        if (entry.path !== null) candidates.push(join(source, ...entry.path.split('/')));
        let from: string | null = null;
        let fromInfo: Stats | null = null;
        for (const candidate of candidates) {
          const info = await statOrNull(candidate);
          if (info?.isFile()) {
            from = candidate;
            fromInfo = info;
            break;
          }
        }
        const installed = await statOrNull(path);
        if (from === null || fromInfo === null) {
          const ok = installed?.isFile() === true && this.recordHolds(entry, installed, records[entry.name]);
          results.push({ name: entry.name, outcome: ok ? 'unchanged' : 'missing', source: null, error: null });
          if (installed) progress.setTotal(index, installed.size, true);
          progress.emit(index, ok ? 'skipped' : 'done', installed?.size ?? 0, installed?.size ?? null);
          continue;
        }
        progress.setTotal(index, fromInfo.size, true);
        const onBytes = (done: number): void => progress.emit(index, 'verifying', done, fromInfo.size);

        if (installed && installed.dev === fromInfo.dev && installed.ino === fromInfo.ino) {
          // Importing the model folder itself (or a link to it): just verify.
          const digest = await hashFile(path, onBytes, signal).catch((thrown: unknown) => {
            throw abortedError(thrown, signal, entry.name);
          });
          const problem = await checkContent(entry, path, digest);
          if (problem === null) await this.remember(records, entry, path, digest);
          results.push({
            name: entry.name,
            outcome: problem === null ? 'unchanged' : 'rejected',
            source: from,
            error: problem === null ? null : AppError.of('CHECKSUM_MISMATCH', `(${entry.name}: ${problem})`, { file: entry.name, problem }).toData(),
          });
          progress.emit(index, 'done', fromInfo.size, fromInfo.size);
          continue;
        }

        const temp = `${path}.import`;
        progress.emit(index, 'copying', 0, fromInfo.size);
        let how: 'linked' | 'copied';
        try {
          await rm(temp, { force: true });
          try {
            await link(from, temp);
            how = 'linked';
          } catch (thrown) {
            if (!LINK_FALLBACK_CODES.has((thrown as NodeJS.ErrnoException).code ?? '')) throw thrown;
            await copyFile(from, temp);
            how = 'copied';
          }
        } catch (thrown) {
          await rm(temp, { force: true });
          throw fsError(thrown, temp);
        }
        let digest: FileDigest;
        try {
          digest = await hashFile(temp, onBytes, signal);
        } catch (thrown) {
          await rm(temp, { force: true });
          throw abortedError(thrown, signal, entry.name);
        }
        try {
          await this.install(entry, temp, digest, records, 'import', from);
        } catch (thrown) {
          if (!(thrown instanceof AppError) || thrown.code !== 'CHECKSUM_MISMATCH') throw thrown;
          results.push({ name: entry.name, outcome: 'rejected', source: from, error: thrown.toData() });
          progress.emit(index, 'done', fromInfo.size, fromInfo.size);
          continue;
        }
        // A download of this file that was left unfinished is now obsolete.
        await discardPartial(partialPaths(path));
        results.push({ name: entry.name, outcome: how, source: from, error: null });
        progress.emit(index, 'done', fromInfo.size, fromInfo.size);
      }
      const ok = results.every((r) => r.outcome !== 'rejected');
      const complete = results.every((r) => r.outcome === 'linked' || r.outcome === 'copied' || r.outcome === 'unchanged');
      return { ok, complete, files: results };
    });
  }

  /** Re-hashes every installed file and checks it against the manifest; refreshes the records. */
  async verify(options: ModelOperationOptions = {}): Promise<VerifyReport> {
    const { signal } = options;
    const files = this.manifest.files;
    const run = async (): Promise<VerifyReport> => {
      const records = await readRecords(this.dir);
      const progress = new ProgressTracker(files, options.onProgress);
      const results: VerifyResult[] = [];
      let recordsChanged = false;
      for (const [index, entry] of files.entries()) {
        const path = this.pathOf(entry.name);
        const info = await statOrNull(path);
        const base = { name: entry.name, checksumKnown: entry.sha256 !== null };
        if (!info?.isFile()) {
          results.push({ ...base, state: 'missing', size: null, sha256: null, problem: null });
          progress.emit(index, 'done', 0, null);
          continue;
        }
        progress.setTotal(index, info.size, true);
        const digest = await hashFile(path, (done) => progress.emit(index, 'verifying', done, info.size), signal).catch((thrown: unknown) => {
          throw abortedError(thrown, signal, entry.name);
        });
        const problem = await checkContent(entry, path, digest);
        if (problem === null) {
          await this.remember(records, entry, path, digest);
        } else if (records[entry.name]) {
          delete records[entry.name];
          recordsChanged = true;
        }
        results.push({ ...base, state: problem === null ? 'ok' : 'invalid', size: digest.size, sha256: digest.sha256, problem });
        progress.emit(index, 'done', digest.size, digest.size);
      }
      if (recordsChanged) await writeRecords(this.dir, records).catch((thrown: unknown) => {
        throw fsError(thrown, this.dir);
      });
      return { ok: results.every((r) => r.state === 'ok'), files: results };
    };
    // Nothing to write into a folder that does not exist: report everything missing.
    if (!(await statOrNull(this.dir))?.isDirectory()) return run();
    return withFolderLock(this.dir, run);
  }
}
