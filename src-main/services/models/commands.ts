/**
 * `kokoro-reader models list|download|import|verify` as plain functions: each prints through
 * `write(line)` and resolves to the exit code (0 done, 1 failed), so the CLI wires each in one line.
 */
import { AppError, describeError, toErrorData } from '../../../src-shared/errors/catalogue';
import { defaultModelDir } from '../paths';
import { formatBytes, formatImportReport, formatModelList, formatProgressLine, formatVerifyReport } from './format';
import { ModelManager } from './model-manager';
import type { ModelManagerOptions, ModelProgress } from './model-manager';

export interface ModelsCommandOptions extends Omit<ModelManagerOptions, 'dir'> {
  /** Default: `<user data>/models`. */
  modelDir?: string;
  write: (line: string) => void;
  /** Where errors go (the CLI's stderr); `write` when absent. */
  writeError?: (line: string) => void;
  signal?: AbortSignal;
  /** Print JSON instead of text (list and verify). */
  json?: boolean;
}

function manager(opts: ModelsCommandOptions): ModelManager {
  const { modelDir, write: _write, writeError: _writeError, signal: _signal, json: _json, ...rest } = opts;
  return new ModelManager({ ...rest, dir: modelDir ?? defaultModelDir() });
}

function fail(opts: ModelsCommandOptions, thrown: unknown): number {
  (opts.writeError ?? opts.write)(`Error: ${describeError(toErrorData(thrown), 'cli')}`);
  return 1;
}

export async function modelsList(opts: ModelsCommandOptions): Promise<number> {
  try {
    const models = manager(opts);
    const status = await models.list();
    if (opts.json) opts.write(JSON.stringify({ dir: models.dir, files: status }, null, 2));
    else for (const line of formatModelList(status, models.dir)) opts.write(line);
    return 0;
  } catch (thrown) {
    return fail(opts, thrown);
  }
}

/**
 * Prints a line when a file starts, every 10% of it (or 25 MB when its size is unknown) and
 * when it is done; a line per network chunk would flood a terminal or a log.
 */
function progressPrinter(write: (line: string) => void): (p: ModelProgress) => void {
  let lastFile = -1;
  let lastStep = -1;
  return (p) => {
    if (p.phase === 'checking' || (p.phase === 'verifying' && p.fileIndex === lastFile)) return;
    if (p.phase === 'skipped') {
      write(`[${p.fileIndex + 1}/${p.fileCount}] ${p.file}  already installed`);
      return;
    }
    if (p.phase === 'done') {
      write(`[${p.fileIndex + 1}/${p.fileCount}] ${p.file}  done, ${formatBytes(p.fileBytes)} verified`);
      return;
    }
    const step = p.fileTotal !== null && p.fileTotal > 0 ? Math.floor((p.fileBytes / p.fileTotal) * 10) : Math.floor(p.fileBytes / 25e6);
    if (p.fileIndex !== lastFile || step !== lastStep) {
      lastFile = p.fileIndex;
      lastStep = step;
      write(formatProgressLine(p));
    }
  };
}

export async function modelsDownload(opts: ModelsCommandOptions): Promise<number> {
  try {
    const models = manager(opts);
    opts.write(`Downloading the Kokoro model into ${models.dir}`);
    const summary = await models.download({ signal: opts.signal, onProgress: progressPrinter(opts.write) });
    opts.write(
      summary.downloaded.length === 0
        ? 'All model files were already installed.'
        : `Downloaded ${summary.downloaded.length} file(s), ${formatBytes(summary.bytesTransferred)}; all ${models.manifest.files.length} files are installed and verified.`,
    );
    return 0;
  } catch (thrown) {
    return fail(opts, thrown);
  }
}

export async function modelsImport(dir: string, opts: ModelsCommandOptions): Promise<number> {
  try {
    const models = manager(opts);
    opts.write(`Importing model files from ${dir} into ${models.dir}`);
    const report = await models.import(dir, { signal: opts.signal });
    // A file list of "not in that folder" would hide the point: nothing there was a model file.
    if (report.files.every((file) => file.source === null)) throw AppError.of('NO_MODEL_FILES_FOUND', `(${dir})`);
    for (const line of formatImportReport(report)) opts.write(line);
    return report.ok ? 0 : 1;
  } catch (thrown) {
    return fail(opts, thrown);
  }
}

export async function modelsVerify(opts: ModelsCommandOptions): Promise<number> {
  try {
    const models = manager(opts);
    const report = await models.verify({ signal: opts.signal });
    if (opts.json) opts.write(JSON.stringify({ dir: models.dir, ...report }, null, 2));
    else for (const line of [`Model folder: ${models.dir}`, ...formatVerifyReport(report)]) opts.write(line);
    return report.ok ? 0 : 1;
  } catch (thrown) {
    return fail(opts, thrown);
  }
}
