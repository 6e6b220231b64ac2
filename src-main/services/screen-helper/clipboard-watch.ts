/**
 * Reads what is copied while the watch is on. Electron has no clipboard-change event, so the
 * clipboard is polled, only while the watch is on; the text already there when watching starts
 * is never read (the person asked for what they copy next).
 */
import type { TextRead } from './text-source';

export interface WatchTimers {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const NODE_TIMERS: WatchTimers = {
  setInterval: (run, ms) => {
    const handle = setInterval(run, ms);
    // The watch alone must not keep a process (the CLI's dev-web, a test) alive.
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export const WATCH_INTERVAL_MS = 500;

export class ClipboardWatch {
  private handle: unknown;
  private last: string | undefined;
  /** The next read only notes what is there: it was copied before the watch began. */
  private needsBaseline = false;
  private polling = false;
  /** Bumped on every start and stop, so a read still under way when the watch changed is dropped. */
  private generation = 0;

  constructor(
    private readonly read: () => Promise<TextRead>,
    private readonly onNewText: (text: string) => void,
    private readonly timers: WatchTimers = NODE_TIMERS,
    private readonly intervalMs = WATCH_INTERVAL_MS,
  ) {}

  get watching(): boolean {
    return this.handle !== undefined;
  }

  start(): void {
    if (this.handle !== undefined) return;
    this.generation++;
    this.needsBaseline = true;
    this.handle = this.timers.setInterval(() => void this.poll(), this.intervalMs);
    void this.poll();
  }

  stop(): void {
    if (this.handle === undefined) return;
    this.generation++;
    this.timers.clearInterval(this.handle);
    this.handle = undefined;
    // Nothing copied is kept once the watch is off.
    this.last = undefined;
  }

  private async poll(): Promise<void> {
    // A slow clipboard (5 MB on it) must not pile reads up.
    if (this.polling) return;
    this.polling = true;
    const generation = this.generation;
    try {
      const read = await this.read().catch((): TextRead => ({ kind: 'empty' }));
      if (generation !== this.generation) return;
      const text = read.kind === 'text' ? read.text : undefined;
      if (this.needsBaseline) {
        this.needsBaseline = false;
        this.last = text;
        return;
      }
      if (text === undefined || text === this.last) return;
      this.last = text;
      this.onNewText(text);
    } finally {
      this.polling = false;
    }
  }
}
