/**
 * The app's export queue: exports of library documents run one after another in main, beside
 * reading (the engine gives reading the priority), whether or not a window is open. The queue is
 * kept in the library, so an export a quit or a crash stopped runs again at the next start and
 * takes what it had spoken from the audio cache.
 */
import { basename, extname } from 'node:path';
import { AppError, toErrorData } from '../../../src-shared/errors/catalogue';
import type { ErrorData } from '../../../src-shared/errors/catalogue';
import { FORMAT_EXTENSIONS } from '../../../src-shared/export/formats';
import type { ExportFormat, ExportOptions } from '../../../src-shared/export/types';
import type { ExportJobInfo } from '../../../src-shared/ipc/contract';
import type { EngineSupervisor } from '../engine/engine-supervisor';
import type { FileGrants } from '../file-grants';
import type { ClientContext, Handlers } from '../handlers';
import { readEpubCover } from '../import/epub-cover';
import { importFileInWorker } from '../import/import-in-worker';
import type { ExportJobStore, StoredExportJob } from '../library/export-jobs';
import { runExport } from './export-job';
import type { ImportedDocument } from '../../../src-shared/document/model';
import type { ExportProgress } from './export-job';

export interface ExportServiceOptions {
  engine: EngineSupervisor;
  jobs: ExportJobStore;
  /** The file a library document was opened from (null: opened from bytes, no file). */
  pathOf: (documentId: number) => string | null | undefined;
  /** A document the library keeps whole (a pasted text kept, a file opened from its bytes). */
  storedDocument?: ((documentId: number) => ImportedDocument | undefined) | undefined;
  importWorker: string;
  grants: FileGrants;
  /** The shell's save dialog on the client's window: the path the user named, or undefined. */
  chooseTarget?: ((client: ClientContext, suggestedName: string, format: ExportFormat) => Promise<string | undefined>) | undefined;
  /** The shell's "show in folder". */
  showInFolder?: ((path: string) => void) | undefined;
  /** Tells every window (an export outlives the window that started it). */
  broadcast: (job: ExportJobInfo) => void;
  log: (line: string) => void;
}

export class ExportService {
  private running: { id: number; controller: AbortController } | undefined;
  private readonly progress = new Map<number, ExportJobInfo['progress']>();
  private disposed = false;

  constructor(private readonly options: ExportServiceOptions) {
    // Jobs a quit or a crash interrupted run again, after the engine has started.
    setImmediate(() => this.schedule());
  }

  readonly handlers: Pick<Handlers, 'export:target' | 'export:start' | 'export:cancel' | 'export:list' | 'export:reveal'> = {
    'export:target': async (params, client) => {
      if (!this.options.chooseTarget) throw AppError.of('NO_SAVE_DIALOG');
      const stem = this.sourceName(params.documentId);
      const path = await this.options.chooseTarget(client, `${stem}${FORMAT_EXTENSIONS[params.format][0]}`, params.format);
      return path === undefined ? null : this.options.grants.grant(client, path);
    },
    'export:start': (params, client) => {
      const { documentId, target, ...choices } = params;
      const name = this.sourceName(documentId);
      const options: ExportOptions = { ...choices, outPath: this.options.grants.pathOf(client, target) };
      const job = this.options.jobs.add(documentId, name, options);
      this.publish(job);
      this.schedule();
      return Promise.resolve(this.info(job));
    },
    'export:cancel': (params) => Promise.resolve({ cancelled: this.cancel(params.jobId) }),
    'export:list': () => Promise.resolve(this.options.jobs.list().map((job) => this.info(job))),
    'export:reveal': (params) => {
      const job = this.options.jobs.get(params.jobId);
      const file = job?.files?.[0];
      if (!file) throw AppError.of('EXPORT_NOT_FOUND', `(${params.jobId})`);
      if (!this.options.showInFolder) throw AppError.of('NO_SAVE_DIALOG', '(there is no file manager to show it in)');
      this.options.showInFolder(file);
      return Promise.resolve(null);
    },
  };

  cancel(jobId: number): boolean {
    const job = this.options.jobs.get(jobId);
    if (!job || (job.state !== 'queued' && job.state !== 'running')) return false;
    if (this.running?.id === jobId) {
      // The run ends with CANCELLED, removes what it wrote, and records the state itself.
      this.running.controller.abort();
      return true;
    }
    this.options.jobs.setState(jobId, 'cancelled');
    this.publish(this.options.jobs.get(jobId) ?? job);
    return true;
  }

  /** The app quits: the running export stops and stays queued, to run again at the next start. */
  dispose(): void {
    this.disposed = true;
    this.running?.controller.abort();
  }

  private async runNext(): Promise<void> {
    if (this.running || this.disposed) return;
    const job = this.options.jobs.unfinished()[0];
    if (!job) return;
    const controller = new AbortController();
    this.running = { id: job.id, controller };
    this.options.jobs.setState(job.id, 'running');
    this.publish({ ...job, state: 'running' });
    try {
      const files = await this.run(job, controller.signal);
      this.finish(job, 'done', { files });
    } catch (thrown) {
      const error = toErrorData(thrown);
      // A quit leaves the job marked running (the library may be closed by now): the next start
      // runs it again. A cancel asked for by the user ends it.
      if (this.disposed) return;
      if (error.code === 'CANCELLED') this.finish(job, 'cancelled');
      else {
        this.options.log(`export ${job.id} failed: ${error.message}`);
        this.finish(job, 'failed', { error: { code: error.code, message: error.message } });
      }
    } finally {
      this.running = undefined;
      this.progress.delete(job.id);
    }
    this.schedule();
  }

  /** Starts the next job if none runs; the library failing under it is logged, never thrown at nobody. */
  private schedule(): void {
    this.runNext().catch((thrown: unknown) => this.options.log(`export queue: ${toErrorData(thrown).message}`));
  }

  private async run(job: StoredExportJob, signal: AbortSignal): Promise<string[]> {
    const source = this.source(job.documentId);
    const path = 'path' in source ? source.path : undefined;
    const document = path !== undefined ? await importFileInWorker(path, { workerEntry: this.options.importWorker, signal }) : (source as { document: ImportedDocument }).document;
    // The source book and its cover only where there is a file to read them from.
    const epubPath = document.format === 'epub' ? path : undefined;
    const metadata = { title: document.title, author: document.author, language: document.language, cover: epubPath ? await readEpubCover(epubPath) : undefined };
    const result = await runExport(this.options.engine, { document, metadata, sourceEpubPath: epubPath }, job.options, {
      signal,
      onProgress: (progress) => this.onProgress(job, progress),
    });
    return result.files;
  }

  private onProgress(job: StoredExportJob, progress: ExportProgress): void {
    const { chaptersDone, chaptersTotal, chapterTitle, fraction, secondsLeft } = progress;
    const previous = this.progress.get(job.id);
    const next = { chaptersDone, chaptersTotal, chapterTitle, fraction, secondsLeft };
    this.progress.set(job.id, next);
    // A window needs no more than a whole percent or a new chapter to redraw.
    if (previous && Math.floor(previous.fraction * 100) === Math.floor(fraction * 100) && previous.chaptersDone === chaptersDone) return;
    this.publish({ ...job, state: 'running' });
  }

  private finish(job: StoredExportJob, state: 'done' | 'failed' | 'cancelled', outcome: { files?: string[]; error?: { code: string; message: string } } = {}): void {
    this.options.jobs.setState(job.id, state, outcome);
    this.publish(this.options.jobs.get(job.id) ?? { ...job, state, ...outcome });
  }

  private publish(job: StoredExportJob): void {
    this.options.broadcast(this.info(job));
  }

  private info(job: StoredExportJob): ExportJobInfo {
    const progress = this.progress.get(job.id);
    return {
      id: job.id,
      title: job.title,
      format: job.options.format,
      state: job.state,
      fileNames: (job.files ?? [job.options.outPath]).map((file) => basename(file)),
      ...(progress && job.state === 'running' ? { progress } : {}),
      ...(job.error ? { error: job.error as ErrorData } : {}),
    };
  }

  /** What an export reads: the document's file, or the document the library keeps whole. */
  private source(documentId: number): { path: string } | { document: ImportedDocument } {
    const path = this.options.pathOf(documentId);
    if (path === undefined) throw AppError.of('DOCUMENT_NOT_FOUND', `(${documentId})`);
    if (path !== null) return { path };
    const document = this.options.storedDocument?.(documentId);
    if (!document) throw AppError.of('FILE_NOT_CHOSEN', '(the library has no file for it; open the file again)');
    return { document };
  }

  /** The name exports of a document are given: its file's, else its title. */
  private sourceName(documentId: number): string {
    const source = this.source(documentId);
    return 'path' in source ? basename(source.path, extname(source.path)) : safeFileName(source.document.title);
  }
}

/** A title as a file name: no path separators or characters Windows refuses, and not too long. */
function safeFileName(title: string): string {
  const kept = [...title].map((char) => (char < ' ' || '\\/:*?"<>|'.includes(char) ? ' ' : char)).join('');
  const cleaned = kept.replace(/\s+/g, ' ').trim().slice(0, 80).trim();
  return cleaned.replace(/^\.+/, '') || 'Text';
}
