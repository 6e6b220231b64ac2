import { AppError } from '../../src-shared/errors/catalogue';
import type { ModelDoctorReport, ModelsOverview } from '../../src-shared/ipc/contract';
import type { ModelProgress } from '../../src-shared/models/types';
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
}

/**
 * The Kokoro model for the window: what is installed, download with progress, cancel, verify,
 * and the doctor's findings in plain words. One operation at a time. (Import from a folder is
 * the CLI's: the window names no paths.)
 */
export class ModelService {
  private running: { client: ClientContext; controller: AbortController } | undefined;

  constructor(private readonly options: ModelServiceOptions) {}

  readonly handlers: Pick<Handlers, 'models:list' | 'models:download' | 'models:cancel' | 'models:verify' | 'models:doctor'> = {
    'models:list': () => this.overview(),
    'models:download': (_params, client) => this.exclusive(client, (manager, signal, onProgress) => manager.download({ signal, onProgress }), true),
    'models:cancel': (_params, client) => Promise.resolve({ cancelled: this.cancel(client) }),
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

  /** A client went away: what it started stops. */
  disconnect(client: ClientContext): void {
    this.cancel(client);
  }

  private async exclusive<T>(client: ClientContext, work: (manager: ModelManager, signal: AbortSignal, onProgress: (progress: ModelProgress) => void) => Promise<T>, installs: boolean): Promise<T> {
    if (this.running) throw AppError.of('DOWNLOAD_IN_PROGRESS');
    const controller = new AbortController();
    this.running = { client, controller };
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
    }
  }

  private manager(): ModelManager {
    const { onInstalled: _onInstalled, log: _log, ...options } = this.options;
    return new ModelManager(options);
  }
}
