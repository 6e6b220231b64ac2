import { describeError } from '../../src-shared/errors/catalogue';
import type { ErrorData } from '../../src-shared/errors/catalogue';
import type { ModelDoctorReport, ModelsOverview, ReaderApi } from '../../src-shared/ipc/contract';
import type { KokoroPrecision } from '../../src-shared/ipc/engine-config';
import type { ImportReport, ModelProgress } from '../../src-shared/models/types';
import type { StatusStore } from './status.svelte';

/** What the install is doing now; 'idle' includes a paused download (see `paused`). */
export type ModelActivity = 'idle' | 'downloading' | 'pausing' | 'cancelling' | 'importing' | 'verifying';

/** Speed is measured over this much recent time: steady enough to read, quick to follow a change. */
const SPEED_WINDOW_MS = 5000;

export interface ModelsDeps {
  api: ReaderApi | undefined;
  status: StatusStore;
  /** The model was installed and the engine has loaded it: the voices are listed again. */
  onInstalled: () => Promise<void>;
  /** The clock for speed and time left (specs pass their own). */
  now?: () => number;
}

/** Sizes as people read them on a download: "12.3 MB", whole above 100; kB below 1 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} kB`;
  const mb = bytes / 1e6;
  return `${mb >= 100 ? Math.round(mb) : mb.toFixed(1)} MB`;
}

/** "2 min 5 s", "40 s", "1 h 3 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * Installing the Kokoro model from the window: what is installed, the offer of a download with
 * its size, the download's progress (bytes, speed, time left), pause (the partial files stay),
 * resume (the download continues where it stopped), cancel (they go), import from a folder,
 * verify, and the doctor's findings.
 */
export class ModelsStore {
  overview = $state.raw<ModelsOverview | undefined>(undefined);
  activity = $state<ModelActivity>('idle');
  progress = $state.raw<ModelProgress | undefined>(undefined);
  /** Bytes per second over the last few seconds, or undefined before it can be told. */
  bytesPerSecond = $state<number | undefined>(undefined);
  doctor = $state.raw<ModelDoctorReport | undefined>(undefined);
  lastImport = $state.raw<ImportReport | undefined>(undefined);
  /** The last operation's failure, shown beside the install's controls. */
  error = $state.raw<ErrorData | undefined>(undefined);
  /** A short line saying how the last operation ended (for the install's own status region). */
  outcome = $state('');
  /** How Kokoro runs: 'exact' (fp32) or 'fast' (int8 vocoder weights); kept by main. */
  precision = $state<KokoroPrecision>('exact');

  /** The model folder can be managed from here (false without a model folder, or without the app). */
  readonly available: boolean = $derived(this.overview !== undefined);
  readonly installed: boolean = $derived(this.overview?.kokoro === 'installed');
  /** The size of the whole download, from the manifest (exact sizes where known, else approximate). */
  readonly downloadSize: number = $derived((this.overview?.files ?? []).reduce((sum, file) => sum + (file.expectedSize ?? file.approxSize ?? 0), 0));
  /** A download was stopped part way: resuming continues it. */
  readonly paused: boolean = $derived(this.activity === 'idle' && !this.installed && (this.overview?.files ?? []).some((file) => (file.partialSize ?? 0) > 0));
  /** Seconds until the download ends at the measured speed, or undefined before it can be told. */
  readonly secondsLeft: number | undefined = $derived.by(() => {
    const progress = this.progress;
    const speed = this.bytesPerSecond;
    if (!progress || speed === undefined || speed <= 0) return undefined;
    return Math.max(0, progress.overallTotal - progress.overallBytes) / speed;
  });

  private samples: { at: number; bytes: number }[] = [];
  private readonly now: () => number;

  constructor(private readonly deps: ModelsDeps) {
    this.now = deps.now ?? (() => performance.now());
    deps.api?.on('models:progress', (progress) => this.track(progress));
  }

  /** Reads what is installed; the models channels may be absent (no model folder), then nothing is offered. */
  async load(): Promise<void> {
    const [result, settings] = await Promise.all([this.deps.api?.invoke('models:list', null), this.deps.api?.invoke('models:settings', null)]);
    if (result?.ok) this.overview = result.value;
    if (settings?.ok) this.precision = settings.value.precision;
  }

  /** Shows the choice at once and has main keep it and tell the engine; a refusal (a value main does not take) puts the previous one back, and says why. */
  async setPrecision(precision: KokoroPrecision): Promise<void> {
    const before = this.precision;
    this.precision = precision;
    const result = await this.deps.api?.invoke('models:configure', { precision });
    if (!result) return;
    if (result.ok) this.precision = result.value.precision;
    else {
      this.precision = before;
      this.deps.status.fail(result.error);
    }
  }

  /** Starts (or resumes) the download; resolves when it ended, however it ended. */
  async download(): Promise<void> {
    await this.run('downloading', async (api) => {
      const result = await api.invoke('models:download', null);
      if (result.ok) return `Downloaded ${result.value.downloaded.length} files.`;
      // A pause or a cancel stops the download with DOWNLOAD_CANCELLED: that is what was asked, not a failure.
      if (result.error.code === 'DOWNLOAD_CANCELLED') return '';
      return { error: result.error };
    });
  }

  /** Stops the download, keeping what arrived so that `download()` continues it. */
  async pause(): Promise<void> {
    await this.stop(false);
  }

  /** Stops the download and removes what arrived of it. */
  async cancel(): Promise<void> {
    await this.stop(true);
  }

  /** Imports from a folder: the app's folder dialog, or (browser mode) the full path typed. */
  async importFolder(folder?: string): Promise<void> {
    await this.run('importing', async (api) => {
      const result = await api.invoke('models:import', folder === undefined ? null : { folder });
      if (!result.ok) return { error: result.error };
      if (result.value === null) return '';
      this.lastImport = result.value;
      const installed = result.value.files.filter((file) => file.outcome === 'linked' || file.outcome === 'copied').length;
      const rejected = result.value.files.filter((file) => file.outcome === 'rejected');
      const missing = result.value.files.filter((file) => file.outcome === 'missing').map((file) => file.name);
      const parts = [`Imported ${installed} ${installed === 1 ? 'file' : 'files'}.`];
      for (const file of rejected) parts.push(`${file.name} was refused: ${file.error ? describeError(file.error) : 'it is not the expected file'}.`);
      if (missing.length > 0) parts.push(`Still missing: ${missing.join(', ')}.`);
      return parts.join(' ');
    });
  }

  /** Checks every installed file against the manifest. */
  async verify(): Promise<void> {
    await this.run('verifying', async (api) => {
      const result = await api.invoke('models:verify', null);
      if (!result.ok) return { error: result.error };
      const bad = result.value.files.filter((file) => file.state !== 'ok');
      return result.value.ok ? 'Every model file checked out.' : bad.map((file) => `${file.name}: ${file.problem ?? file.state}`).join('; ');
    });
  }

  /** Runs the doctor: a line per file, and each problem with what to do. */
  async runDoctor(): Promise<void> {
    const result = await this.deps.api?.invoke('models:doctor', null);
    if (!result) return;
    if (result.ok) this.doctor = result.value;
    else this.error = result.error;
  }

  private async stop(discard: boolean): Promise<void> {
    const api = this.deps.api;
    if (!api) return;
    if (this.activity === 'downloading') this.activity = discard ? 'cancelling' : 'pausing';
    const result = await api.invoke('models:cancel', discard ? { discard: true } : null);
    if (!result.ok) this.error = result.error;
    // The files as they are now the partial downloads were kept or removed.
    await this.load();
    if (discard) {
      this.progress = undefined;
      this.outcome = 'Download cancelled.';
    } else this.outcome = 'Download paused.';
  }

  private async run(activity: ModelActivity, work: (api: ReaderApi) => Promise<string | { error: ErrorData }>): Promise<void> {
    const api = this.deps.api;
    if (!api || this.activity !== 'idle') return;
    this.activity = activity;
    this.error = undefined;
    this.outcome = '';
    this.samples = [];
    this.bytesPerSecond = undefined;
    const wasInstalled = this.installed;
    try {
      const outcome = await work(api);
      if (typeof outcome !== 'string') this.error = outcome.error;
      else if (outcome) this.outcome = outcome;
    } finally {
      const stoppedBy = this.activity;
      this.activity = 'idle';
      await this.load();
      if (stoppedBy === 'cancelling') this.progress = undefined;
    }
    // The service has had the engine load the model before it answered: its voices are there now.
    if (!wasInstalled && this.installed) {
      await this.deps.onInstalled();
      this.outcome = 'The natural voices are installed and ready.';
      this.deps.status.say(this.outcome);
    }
  }

  private track(progress: ModelProgress): void {
    this.progress = progress;
    const at = this.now();
    this.samples.push({ at, bytes: progress.overallBytes });
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= SPEED_WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    if (!first || at - first.at < 250) return;
    this.bytesPerSecond = Math.max(0, ((progress.overallBytes - first.bytes) * 1000) / (at - first.at));
  }
}
