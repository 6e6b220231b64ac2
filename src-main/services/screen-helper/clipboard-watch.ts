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

  constructor(
    private readonly read: () => TextRead,
    private readonly onNewText: (text: string) => void,
    private readonly timers: WatchTimers = NODE_TIMERS,
    private readonly intervalMs = WATCH_INTERVAL_MS,
  ) {}

  get watching(): boolean {
    return this.handle !== undefined;
  }

  start(): void {
    if (this.handle !== undefined) return;
    this.last = this.currentText();
    this.handle = this.timers.setInterval(() => this.poll(), this.intervalMs);
  }

  stop(): void {
    if (this.handle === undefined) return;
    this.timers.clearInterval(this.handle);
    this.handle = undefined;
    // Nothing copied is kept once the watch is off.
    this.last = undefined;
  }

  private poll(): void {
    const text = this.currentText();
    if (text === undefined || text === this.last) return;
    this.last = text;
    this.onNewText(text);
  }

  private currentText(): string | undefined {
    const read = this.read();
    return read.kind === 'text' ? read.text : undefined;
  }
}
