export interface DebouncerOptions {
  /** Quiet time after the last call before fn runs. */
  delayMs?: number;
  /** fn runs at the latest this long after the first unsaved call, so a long listen still saves. */
  maxWaitMs?: number;
  /** Errors from a timer-driven call (flush() throws to its caller instead). Default: console.error. */
  onError?: (thrown: unknown) => void;
}

/**
 * Calls `fn` with the latest arguments once calls pause. Meant for savePosition: schedule on
 * every sentence; flush() on pause, document switch and quit.
 */
export class Debouncer<A extends unknown[]> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pendingArgs: A | undefined;
  private firstPendingAt = 0;
  private readonly delayMs: number;
  private readonly maxWaitMs: number;
  private readonly onError: (thrown: unknown) => void;

  constructor(
    private readonly fn: (...args: A) => void,
    options: DebouncerOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 1000;
    this.maxWaitMs = options.maxWaitMs ?? 10_000;
    this.onError = options.onError ?? ((thrown) => console.error('debounced call failed:', thrown));
  }

  schedule(...args: A): void {
    if (this.pendingArgs === undefined) this.firstPendingAt = Date.now();
    this.pendingArgs = args;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const waited = Date.now() - this.firstPendingAt;
    const wait = Math.max(0, Math.min(this.delayMs, this.maxWaitMs - waited));
    this.timer = setTimeout(() => {
      try {
        this.flush();
      } catch (thrown) {
        this.onError(thrown);
      }
    }, wait);
    // A pending save must not keep a CLI process alive; quit paths call flush().
    this.timer.unref();
  }

  get pending(): boolean {
    return this.pendingArgs !== undefined;
  }

  /** Runs the pending call now, if any; its errors are thrown here. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const args = this.pendingArgs;
    this.pendingArgs = undefined;
    if (args !== undefined) this.fn(...args);
  }

  /** Drops the pending call (e.g. the document was removed). */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pendingArgs = undefined;
  }
}
