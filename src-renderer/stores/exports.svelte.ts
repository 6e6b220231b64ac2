import { SvelteSet } from 'svelte/reactivity';
import type { ErrorData } from '../../src-shared/errors/catalogue';
import type { ExportFormat, Mp3Layout, SubtitleFormat } from '../../src-shared/export/types';
import type { ExportJobInfo, ParamsOf, ReaderApi } from '../../src-shared/ipc/contract';

/** What the Export dialog asks for, before the rules of the format are applied. */
export interface ExportChoices {
  documentId: number;
  format: ExportFormat;
  /** 0-based chapter indices, in any order. */
  chapters: number[];
  mp3Layout: Mp3Layout;
  subtitles: SubtitleFormat | 'none';
  wordTimings: boolean;
  voice: string;
  speed: number;
}

/** How a start ended: queued, the save dialog cancelled (nothing to say), or refused with the reason. */
export type StartOutcome = { outcome: 'started'; job: ExportJobInfo } | { outcome: 'cancelled' } | { outcome: 'failed'; error: ErrorData };

/** Subtitles and word timings fit every format but the read-along EPUB, which carries its own timings. */
export function offersSubtitles(format: ExportFormat): boolean {
  return format !== 'epub';
}

/**
 * The `export:start` params for the dialog's choices, as the export service accepts them: options
 * that do not fit the format are left out (the service refuses them with EXPORT_OPTION_UNFIT).
 */
export function startParams(choices: ExportChoices, target: string): ParamsOf<'export:start'> {
  const { documentId, format, voice, speed } = choices;
  const subtitles = offersSubtitles(format) && choices.subtitles !== 'none' ? { subtitles: choices.subtitles } : {};
  const wordTimings = offersSubtitles(format) && choices.wordTimings ? { wordTimings: true } : {};
  const layout = format === 'mp3' ? { mp3Layout: choices.mp3Layout } : {};
  const chapters = [...choices.chapters].sort((a, b) => a - b).filter((chapter, i, sorted) => chapter !== sorted[i - 1]);
  return { documentId, target, format, chapters, ...layout, ...subtitles, ...wordTimings, ...(voice ? { voice } : {}), speed };
}

/** "About 3 min left", from the rate the export measured; '' before it has one. */
export function timeLeftText(secondsLeft: number | undefined): string {
  if (secondsLeft === undefined || !Number.isFinite(secondsLeft) || secondsLeft < 0) return '';
  if (secondsLeft < 60) return 'less than a minute left';
  const minutes = Math.round(secondsLeft / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

const isFinished = (job: ExportJobInfo): boolean => job.state === 'done' || job.state === 'failed' || job.state === 'cancelled';

/**
 * The exports main runs, as this window sees them: every export (each window hears of all of
 * them), the ones to show (queued and running, and those that ended while the window watched),
 * and starting, cancelling and showing one.
 */
export class ExportsStore {
  /** Every export main knows, oldest first (raw: replaced on each change, never mutated). */
  jobs = $state.raw<ExportJobInfo[]>([]);
  /** Ended exports whose notice the user closed. */
  private readonly dismissed = new SvelteSet<number>();
  /** Exports seen unfinished here: their end gets a notice; older ones stay history. */
  private readonly watched = new SvelteSet<number>();

  /** What the window shows: exports under way, and notices of those that ended meanwhile (not cancelled ones). */
  readonly shown: ExportJobInfo[] = $derived(
    this.jobs.filter((job) => !isFinished(job) || (job.state !== 'cancelled' && this.watched.has(job.id) && !this.dismissed.has(job.id))),
  );
  /** The export being written now, else the next one waiting. */
  readonly active: ExportJobInfo | undefined = $derived(this.jobs.find((job) => job.state === 'running') ?? this.jobs.find((job) => job.state === 'queued'));
  readonly activeTimeLeft: string = $derived(timeLeftText(this.active?.progress?.secondsLeft));

  constructor(private readonly api: ReaderApi | undefined) {
    api?.on('export:progress', (job) => this.update(job));
  }

  /** Loads the exports main has (those a quit interrupted run again, and show). */
  async load(): Promise<void> {
    const listed = await this.api?.invoke('export:list', null);
    if (!listed?.ok) return;
    // An event that arrived while the list was on its way is newer than the list's entry.
    const before = this.jobs;
    this.jobs = listed.value.map((job) => before.find((known) => known.id === job.id) ?? job);
    for (const job of listed.value) if (!isFinished(job)) this.watched.add(job.id);
  }

  /** Asks main for the target (its save dialog), then queues the export there. */
  async start(choices: ExportChoices): Promise<StartOutcome> {
    if (!this.api) return { outcome: 'cancelled' };
    const target = await this.api.invoke('export:target', { documentId: choices.documentId, format: choices.format });
    if (!target.ok) return { outcome: 'failed', error: target.error };
    if (target.value === null) return { outcome: 'cancelled' };
    const started = await this.api.invoke('export:start', startParams(choices, target.value.handle));
    if (!started.ok) return { outcome: 'failed', error: started.error };
    this.update(started.value);
    return { outcome: 'started', job: started.value };
  }

  /** Stops an export; its state comes back as an `export:progress` event. An error comes back to show. */
  async cancel(jobId: number): Promise<ErrorData | undefined> {
    const result = await this.api?.invoke('export:cancel', { jobId });
    return result?.ok === false ? result.error : undefined;
  }

  /** Shows an export's file in the system's file manager. An error comes back to show. */
  async reveal(jobId: number): Promise<ErrorData | undefined> {
    const result = await this.api?.invoke('export:reveal', { jobId });
    return result?.ok === false ? result.error : undefined;
  }

  /** Closes an ended export's notice. */
  dismiss(jobId: number): void {
    this.dismissed.add(jobId);
  }

  private update(job: ExportJobInfo): void {
    if (!isFinished(job)) this.watched.add(job.id);
    const at = this.jobs.findIndex((known) => known.id === job.id);
    this.jobs = at < 0 ? [...this.jobs, job] : this.jobs.map((known, i) => (i === at ? job : known));
  }
}
