import { describeError } from '../../src-shared/errors/catalogue';
import type { ErrorData } from '../../src-shared/errors/catalogue';
import type { EngineStatus, ReaderApi } from '../../src-shared/ipc/contract';

/** What the window tells the user: the status line, the engine's state, advice and recovered problems. */
export class StatusStore {
  message = $state('');
  /** Set when `message` is an error (the status line shows it as one). */
  error = $state<ErrorData | undefined>(undefined);
  engine = $state<EngineStatus>({ state: 'starting' });
  /** Advice from the app, e.g. how to install the natural voices. */
  hint = $state('');
  /** Problems the app recovered from, with what to do. */
  notices = $state<string[]>([]);
  /** False when the page cannot reach the app (then `message` says why). */
  readonly connected: boolean;

  constructor(api: ReaderApi | undefined, problem = '') {
    this.connected = api !== undefined;
    if (!api) {
      this.message = problem;
      return;
    }
    api.on('engine:status', (status) => {
      this.engine = status;
    });
  }

  say(message: string): void {
    this.error = undefined;
    this.message = message;
  }

  fail(error: ErrorData): void {
    this.error = error;
    this.message = describeError(error);
  }

  clear(): void {
    this.say('');
  }
}
