import { isAbsolute } from 'node:path';
import { AppError } from '../../src-shared/errors/catalogue';
import type { ModelDoctorReport, ModelsOverview } from '../../src-shared/ipc/contract';
import type { ImportReport, ModelProgress } from '../../src-shared/models/types';
import { formatDoctorReport, inspectModelDir, modelPresence } from '../engine/kokoro/inspect';
import type { ClientContext, Handlers } from './handlers';
import { ModelManager } from './models/model-manager';
import type { ModelManagerOptions } from './models/model-manager';

/** Progress reaches the window at most this often (a download reports every network chunk). */
const PROGRESS_INTERVAL_MS = 200;

export interface ModelServiceOptions extends Omit<ModelManagerOptions, 'dir'> {
  /** The model folder, shared with the CLI. */
  dir: string;
  /** Files were installed: the engine should load the model now (no restart of the app). */
  onInstalled: () => Promise<void>;
  log?: (line: string) => void;
  /**
   * The shell's folder dialog on a client's window: the folder chosen, or undefined when
   * cancelled. None (browser mode): the page sends the folder's path, typed by the person
   * running the server on their own machine.
   */
  chooseFolder?: (client: ClientContext) => Promise<string | undefined>;
}

/**
 * The Kokoro model for the window: what is installed, download with progress, cancel, verify,
 * import from a folder (the app's folder dialog; a typed path in browser mode only), and the
 * doctor's findings in plain words. One operation at a time.
 */
export class ModelService {
  private running: { client: ClientContext; controller: AbortController; settled: Promise<unknown> } | undefined;

  constructor(private readonly options: ModelServiceOptions) {}

  readonly handlers: Pick<Handlers, 'models:list' | 'models:download' | 'models:cancel' | 'models:import' | 'models:verify' | 'models:doctor'> = {
    'models:list': () => this.overview(),
    'models:download': (_params, client) => this.exclusive(client, (manager, signal, onProgress) => manager.download({ signal, onProgress }), true),
    'models:cancel': async (params, client) => ({ cancelled: await this.stop(client, params?.discard ?? false) }),
    'models:import': (params, client) => this.importFolder(params?.folder, client),
    'models:verify': (_params, client) => this.exclusive(client, (manager, signal, onProgress) => manager.verify({ signal, onProgress }), false),
    'models:doctor': () => this.doctor(),
  };

  async overview(): Promise<ModelsOverview> {
    const manager = this.manager();
    return { dir: manager.dir, kokoro: modelPresence(manager.dir).state, files: await manager.list() };
  }

  async doctor(): Promise<ModelDoctorReport> {
    const report = await inspectModelDir(this.options.dir);
    return { dir: report.dir, ok: report.ok, lines: formatDoctorReport(report), problems: report.problems };
  }

  /** Cancels the client's running operation; its partial files stay for the next attempt. */
  cancel(client: ClientContext): boolean {
    if (this.running?.client.id !== client.id) return false;
    this.running.controller.abort();
    return true;
  }

  /**
   * Stops the client's running operation and waits for it to end; `discard` then also removes
   * the unfinished downloads (a cancel, where a pause keeps them to resume), unless another
   * operation is running.
   */
  async stop(client: ClientContext, discard: boolean): Promise<boolean> {
    const running = this.running;
    const stopped = this.cancel(client);
    if (stopped) await running?.settled;
    if (discard && !this.running) await this.manager().discardPartials();
    return stopped;
  }

  /** Installs the model files found in a folder: the one chosen in the app's dialog, or (browser mode) the one typed. Null when the dialog was cancelled. */
  private async importFolder(typed: string | undefined, client: ClientContext): Promise<ImportReport | null> {
    const { chooseFolder } = this.options;
    // In the app a page never names a path: only the folder the user chose in the dialog is read.
    if (chooseFolder && typed !== undefined) throw AppError.of('FOLDER_PATH_REFUSED');
    if (!chooseFolder && (typed === undefined || !isAbsolute(typed))) throw AppError.of('FOLDER_PATH_NEEDED', typed === undefined ? '' : `(“${typed}” is not a full path)`);
    const folder = chooseFolder ? await chooseFolder(client) : typed;
    if (folder === undefined) return null;
    return this.exclusive(client, (manager, signal, onProgress) => manager.import(folder, { signal, onProgress }), true);
  }

  /** A client went away: what it started stops. */
  disconnect(client: ClientContext): void {
    this.cancel(client);
  }

  private async exclusive<T>(client: ClientContext, work: (manager: ModelManager, signal: AbortSignal, onProgress: (progress: ModelProgress) => void) => Promise<T>, installs: boolean): Promise<T> {
    if (this.running) throw AppError.of('DOWNLOAD_IN_PROGRESS');
    const controller = new AbortController();
    let settle = (): void => undefined;
    this.running = { client, controller, settled: new Promise<void>((resolve) => (settle = resolve)) };
    let lastSent = 0;
    let lastPhase = '';
    const onProgress = (progress: ModelProgress): void => {
      const now = Date.now();
      const step = `${progress.fileIndex}:${progress.phase}`;
      if (step === lastPhase && now - lastSent < PROGRESS_INTERVAL_MS) return;
      lastPhase = step;
      lastSent = now;
      client.emit('models:progress', progress);
    };
    try {
      const result = await work(this.manager(), controller.signal, onProgress);
      // A complete model now: the engine picks it up, and the Kokoro voices appear.
      // The files are installed even if the engine cannot take them now (it picks them up at its next start).
      if (installs && modelPresence(this.options.dir).state === 'installed') await this.options.onInstalled().catch((thrown: unknown) => this.options.log?.(`model installed; the engine did not reload: ${String(thrown)}`));
      return result;
    } finally {
      this.running = undefined;
      settle();
    }
  }

  private manager(): ModelManager {
    const { onInstalled: _onInstalled, log: _log, ...options } = this.options;
    return new ModelManager(options);
  }
}
