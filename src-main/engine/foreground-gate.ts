/**
 * Reading comes before exporting: a window's reading marks the engine busy while it is being
 * synthesised, and background work (an export) waits for it between chunks. A reading that is
 * ahead of its playback waits for credit, and that is when background work runs.
 */
export class ForegroundGate {
  private busy = 0;
  private waiters = new Set<() => void>();

  /** Runs foreground work: background work does not start a chunk until it is done. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
      if (this.busy === 0) this.wakeAll();
    }
  }

  /** Resolves when no foreground work is running (at once if none is), or when `signal` aborts. */
  idle(signal?: AbortSignal): Promise<void> {
    if (this.busy === 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
