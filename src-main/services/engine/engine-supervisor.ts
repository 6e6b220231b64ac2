import { AppError, errorData } from '../../../src-shared/errors/catalogue';
import type { ErrorCode } from '../../../src-shared/errors/catalogue';
import type { EngineStatus } from '../../../src-shared/ipc/contract';
import type { EngineConfig, KokoroHostOptions } from '../../../src-shared/ipc/engine-config';
import type { EngineMethod, EngineMethods, EngineToParent, UnavailableEngine } from '../../../src-shared/ipc/engine-protocol';
import type { AudioChunk } from '../../../src-shared/speech/types';
import type { ClientAudioEnd, EngineTransport, ProcessGone, TransportFactory } from './transport';

export interface SupervisorOptions {
  /** What the engine loads, sent as the first message to every process started (default: eSpeak NG only, no cache). */
  config?: EngineConfig;
  /** How long the engine may take to say it is ready. */
  startTimeoutMs?: number;
  /** Delays before successive restarts after crashes; the last one repeats. */
  backoffMs?: readonly number[];
  /** After this many failed starts in a row the supervisor stops trying until asked again. */
  maxConsecutiveFailures?: number;
  /** A run at least this long counts as healthy and resets the backoff. */
  healthyRunMs?: number;
  /** While requests are pending, an engine quiet for this long is pinged. */
  heartbeatMs?: number;
  /**
   * A ready engine that leaves a ping unanswered for this long, saying nothing else meanwhile (no
   * answer, chunk or ping reply), while requests are pending, is taken for hung (e.g. SIGSTOP): it
   * is killed, its requests fail with ENGINE_NOT_RESPONDING and it restarts, as after a crash. It
   * must exceed the longest synchronous step of the engine, during which it cannot answer pings
   * (see the constructor).
   */
  hangTimeoutMs?: number;
  /** A monotonic clock in ms (default: performance.now); tests move it to stand for a suspended process. */
  now?: () => number;
  onStatus?: (status: EngineStatus) => void;
}

/**
 * Watchdog ticks this many intervals apart mean this process itself was not running (system
 * sleep, main's event loop blocked), not that the engine is silent.
 */
const SUSPENDED_TICKS = 4;

export interface RequestHandle<T> {
  readonly id: number;
  readonly result: Promise<T>;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: AppError) => void;
  onChunk: ((chunk: AudioChunk) => void) | undefined;
}

/**
 * Keeps one engine process alive: starts it, waits for its ready signal, routes requests and
 * their streamed chunks, cancels, and restarts it with backoff when it dies. Requests made
 * while it is (re)starting wait for it; requests in flight when it dies fail with ENGINE_CRASHED,
 * and when it falls silent (hung, stopped) it is killed and they fail with ENGINE_NOT_RESPONDING.
 */
export class EngineSupervisor {
  private transport: EngineTransport | undefined;
  private readyPromise: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failures = 0;
  private readyAt = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** Counts the processes started, so a late report about an older one changes nothing. */
  private generation = 0;
  private lastStatus: EngineStatus | undefined;
  private engineNames: string[] = [];
  private unavailableEngines: UnavailableEngine[] = [];
  /** Windows that take audio: each gets a channel to every engine process that starts. */
  private readonly audioClients = new Map<string, (end: ClientAudioEnd) => void>();
  /** A window's channel to the running engine; a `stream` request for it waits for this. */
  private readonly audioChannels = new Map<string, Promise<void>>();
  /** The process that said it is ready, until it ends. */
  private readyTransport: EngineTransport | undefined;
  private offerVersion = 0;
  /** Pings a quiet engine while requests are pending, and ends it when it stays silent. */
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private readonly options: Required<Omit<SupervisorOptions, 'onStatus'>> & Pick<SupervisorOptions, 'onStatus'>;

  constructor(
    private readonly createTransport: TransportFactory,
    options: SupervisorOptions = {},
  ) {
    this.options = {
      config: options.config ?? {},
      startTimeoutMs: options.startTimeoutMs ?? 20_000,
      backoffMs: options.backoffMs ?? [250, 500, 1000, 2000, 5000],
      maxConsecutiveFailures: options.maxConsecutiveFailures ?? 5,
      healthyRunMs: options.healthyRunMs ?? 10_000,
      // Why a heartbeat with a fixed silence limit rather than a deadline per request: the engine
      // answers a ping from its event loop between steps, so a long request (a whole book) or a
      // stream paused by its window (waiting for credit) stays alive for as long as it answers.
      // What delays a ping answer is one synchronous step: a Kokoro chunk's three LiteRT graphs
      // (at most ~12.8 s of audio per chunk) run for seconds on a slow CPU, and an eSpeak NG
      // sentence for less. 60 s is several times that worst step, so a busy engine is not taken
      // for hung, while a stopped one is still caught about a minute after its first unanswered ping.
      heartbeatMs: options.heartbeatMs ?? 5_000,
      hangTimeoutMs: options.hangTimeoutMs ?? 60_000,
      // Monotonic: a wall-clock change (NTP, the user, a time zone) must not make a healthy engine look silent.
      now: options.now ?? (() => performance.now()),
      onStatus: options.onStatus,
    };
  }

  get pid(): number | undefined {
    return this.transport?.pid;
  }

  get engines(): readonly string[] {
    return this.engineNames;
  }

  /** Engines the running process could not offer, each with the reason and fix (known once ready). */
  get unavailable(): readonly UnavailableEngine[] {
    return this.unavailableEngines;
  }

  /**
   * Changes whenever what the engine offers may have changed (a new process, a reload), so a
   * voice list asked for before is stale.
   */
  get offeredVersion(): number {
    return this.offerVersion;
  }

  /**
   * Reads the model folder again, so that a model installed or repaired while the app runs is
   * offered (or a removed one no longer is), without a restart: reading goes on meanwhile.
   */
  async reload(): Promise<void> {
    await this.reloadWith(null);
  }

  /**
   * Changes Kokoro's options (the precision) for the running process, and for every process
   * started after a crash: its next readings use them, reading goes on meanwhile.
   */
  async reconfigureKokoro(kokoro: KokoroHostOptions): Promise<void> {
    this.options.config = { ...this.options.config, kokoro: { ...this.options.config.kokoro, ...kokoro } };
    // A process that cannot take it now (crashed, restarting) is replaced by one started with
    // the new options, so the change holds either way: nothing to report.
    await this.reloadWith({ kokoro }).catch(() => undefined);
  }

  private async reloadWith(params: EngineMethods['reload']['params']): Promise<void> {
    const offered = await this.request('reload', params).result;
    this.engineNames = offered.engines;
    this.unavailableEngines = offered.unavailable;
    this.offerVersion++;
  }

  /**
   * Gives a window audio from the engine over a channel of its own, now and after every restart
   * (`deliver` gets the window's end each time). Returns the function that stops it.
   */
  attachAudio(client: string, deliver: (end: ClientAudioEnd) => void): () => void {
    this.audioClients.set(client, deliver);
    if (this.readyTransport) this.audioChannels.set(client, this.openAudio(this.readyTransport, client, deliver));
    return () => {
      if (this.audioClients.get(client) !== deliver) return;
      this.audioClients.delete(client);
      this.audioChannels.delete(client);
    };
  }

  private openAudio(transport: EngineTransport, client: string, deliver: (end: ClientAudioEnd) => void): Promise<void> {
    if (!transport.openAudioChannel) return Promise.reject(AppError.of('ENGINE_UNAVAILABLE', '(this engine process carries no audio channels)'));
    const opened = transport.openAudioChannel(client).then((end) => {
      // The window went, or the engine changed, while the channel was being made: nobody takes it.
      if (this.audioClients.get(client) !== deliver || this.readyTransport !== transport) return closeAudioEnd(end);
      deliver(end);
    });
    // A failure is answered to the stream requests that wait for the channel.
    opened.catch(() => undefined);
    return opened;
  }

  /** Resolves when an engine process is ready, starting one if none is. */
  ready(): Promise<void> {
    if (this.disposed) return Promise.reject(AppError.of('ENGINE_UNAVAILABLE', '(the app is shutting down)'));
    this.readyPromise ??= this.spawn();
    return this.readyPromise;
  }

  request<M extends EngineMethod>(
    method: M,
    params: EngineMethods[M]['params'],
    onChunk?: (chunk: AudioChunk) => void,
  ): RequestHandle<EngineMethods[M]['result']> {
    const id = this.nextId++;
    const result = new Promise<EngineMethods[M]['result']>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onChunk });
    });
    this.ready()
      // A window's session goes over its audio channel: the engine must have it first.
      .then(() => (method === 'stream' ? this.audioChannelFor((params as EngineMethods['stream']['params']).client) : undefined))
      .then(
        () => {
          // Cancelled or failed while waiting for the engine: nothing to send.
          if (!this.pending.has(id)) return;
          this.transport?.send({ id, method, params } as Parameters<EngineTransport['send']>[0]);
        },
        (error: unknown) => this.settle(id, error instanceof AppError ? error : AppError.of('ENGINE_UNAVAILABLE', `(${String(error)})`)),
      );
    return { id, result };
  }

  private audioChannelFor(client: string): Promise<void> {
    return this.audioChannels.get(client) ?? Promise.reject(AppError.of('ENGINE_UNAVAILABLE', `(the window ${client} has no audio channel to the engine)`));
  }

  /**
   * Cancels a request: it rejects with CANCELLED at once and none of its chunks is delivered
   * after this returns; the engine is told to stop working on it.
   */
  cancel(id: number): boolean {
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    entry.reject(AppError.of('CANCELLED'));
    this.transport?.send({ cancel: id });
    return true;
  }

  /** Stops the engine for good (app quit, CLI exit). */
  dispose(): void {
    this.disposed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.stopWatchdog();
    this.failAll('ENGINE_UNAVAILABLE', '(the app is shutting down)');
    this.transport?.stop();
    this.transport = undefined;
    this.readyTransport = undefined;
  }

  private spawn(): Promise<void> {
    const generation = ++this.generation;
    this.status({ state: this.failures > 0 ? 'restarting' : 'starting' });
    return new Promise<void>((resolve, reject) => {
      let started = false;
      let ended = false;
      let transport: EngineTransport;
      try {
        transport = this.createTransport();
      } catch (thrown) {
        // Nothing started: the next request may try again (after the usual backoff).
        this.readyPromise = undefined;
        const error = AppError.of('ENGINE_UNAVAILABLE', `(${thrown instanceof Error ? thrown.message : String(thrown)})`);
        reject(error);
        this.failAll('ENGINE_UNAVAILABLE', error.message);
        this.scheduleRestart(false);
        return;
      }
      this.transport = transport;
      const timer = setTimeout(() => {
        if (started) return;
        transport.kill();
        fail('ENGINE_START_TIMEOUT', `(waited ${this.options.startTimeoutMs} ms)`);
      }, this.options.startTimeoutMs);

      // Once per process: a start that timed out is killed, and its exit must not fail newer requests.
      const fail = (code: ErrorCode, detail: string, gone?: ProcessGone): void => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        if (started) this.stopWatchdog();
        if (this.transport === transport) this.transport = undefined;
        if (this.readyTransport === transport) this.readyTransport = undefined;
        this.readyPromise = undefined;
        const error = AppError.of(code, detail);
        if (!started) reject(error);
        this.failAll(code, detail);
        this.scheduleRestart(started, gone);
      };

      // When the engine last said anything (a pong, a chunk or an answer all show it is alive),
      // and when the ping sent since then went out: only an unanswered ping proves silence.
      let lastHeard = this.options.now();
      let pingSentAt: number | undefined;
      transport.onMessage((message) => {
        // A process already given up on (timed out, replaced) has nothing more to say.
        if (ended) return;
        lastHeard = this.options.now();
        pingSentAt = undefined;
        if ('event' in message && message.event === 'ready') {
          started = true;
          clearTimeout(timer);
          this.readyAt = this.options.now();
          this.engineNames = message.data.engines;
          this.unavailableEngines = message.data.unavailable ?? [];
          this.offerVersion++;
          this.readyTransport = transport;
          // Every window gets a channel to the new process (the old ones went with the old one).
          for (const [client, deliver] of this.audioClients) this.audioChannels.set(client, this.openAudio(transport, client, deliver));
          this.status({ state: 'ready' });
          /** Pings, with the time the silence limit counts from (when the unanswered ping went out). */
          const ping = (countFrom: number): void => {
            // Before sending: an answer may come back within send.
            pingSentAt = countFrom;
            // The engine answers `ping` between its steps; the answer (an unknown id) is dropped.
            transport.send({ id: this.nextId++, method: 'ping', params: null });
          };
          let lastTick = this.options.now();
          this.startWatchdog((tickMs) => {
            const now = this.options.now();
            const gap = now - lastTick;
            const suspended = gap > tickMs * SUSPENDED_TICKS;
            lastTick = now;
            if (this.pending.size === 0) {
              // Nothing awaited: silence is normal, and the silence limit counts from the next request.
              lastHeard = now;
              pingSentAt = undefined;
            } else {
              if (suspended) {
                // We were not running (sleep, a blocked event loop), so the engine's silence meanwhile
                // proves nothing and its answer may be waiting unread: the time away does not count
                // (only one tick of it), and a fresh ping asks again. A loop that keeps stalling
                // still reaches the limit, a tick at a time.
                ping(pingSentAt === undefined ? now : pingSentAt + gap - tickMs);
              }
              if (pingSentAt !== undefined) {
                if (now - pingSentAt >= this.options.hangTimeoutMs) {
                  // Stopped or stuck: it will not answer, so end it for sure (SIGKILL) and restart.
                  transport.kill();
                  fail('ENGINE_NOT_RESPONDING', `(a ping went unanswered for ${Math.round(now - pingSentAt)} ms)`);
                }
              } else if (now - lastHeard >= this.options.heartbeatMs) {
                ping(now);
              }
            }
          });
          resolve();
          return;
        }
        this.route(message);
      });
      let gone: ProcessGone | undefined;
      transport.onGone?.((why) => {
        gone = why;
        if (!ended || this.disposed || generation !== this.generation) return;
        // Electron says why only after the exit: add the reason to the status the exit set.
        const last = this.lastStatus;
        if (last && last.state !== 'ready') this.status({ state: last.state, detail: withReason(why, last.detail) });
      });
      transport.onExit((code, signal) => {
        if (this.disposed) return;
        fail('ENGINE_CRASHED', gone ? `(${describeGone(gone)})` : `(exit ${code ?? signal ?? 'unknown'})`, gone);
      });
      // The same config for every process, so a restart after a crash loads the same engines.
      transport.send({ start: this.options.config });
    });
  }

  private startWatchdog(check: (tickMs: number) => void): void {
    this.stopWatchdog();
    // Half the heartbeat, so a quiet engine is pinged within one heartbeat and a hang caught soon after the limit.
    const tickMs = Math.max(10, Math.floor(this.options.heartbeatMs / 2));
    this.watchdog = setInterval(() => check(tickMs), tickMs);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private scheduleRestart(wasReady: boolean, gone?: ProcessGone): void {
    if (this.disposed) return;
    if (wasReady && this.options.now() - this.readyAt >= this.options.healthyRunMs) this.failures = 0;
    this.failures++;
    if (this.failures > this.options.maxConsecutiveFailures) {
      // Give up until someone asks again; ready() will then try afresh.
      this.failures = 0;
      this.status({ state: 'failed', detail: withReason(gone, 'The speech engine failed to start several times.') });
      return;
    }
    const delays = this.options.backoffMs;
    const delay = delays[Math.min(this.failures - 1, delays.length - 1)] ?? 1000;
    this.status({ state: 'restarting', detail: withReason(gone, `restarting in ${delay} ms`) });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.disposed && !this.readyPromise) {
        this.readyPromise = this.spawn();
        // A failed restart is handled (and retried) inside spawn; nobody awaits this one.
        this.readyPromise.catch(() => undefined);
      }
    }, delay);
  }

  private route(message: EngineToParent): void {
    if ('event' in message) {
      if (message.event === 'chunk' && message.id !== undefined) this.pending.get(message.id)?.onChunk?.(message.data);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return; // cancelled: its late answer is dropped
    this.pending.delete(message.id);
    if ('error' in message) entry.reject(new AppError(message.error));
    else entry.resolve(message.result);
  }

  private settle(id: number, error: AppError): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    entry.reject(error);
  }

  private failAll(code: ErrorCode, detail: string): void {
    const error = errorData(code, detail);
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      entry.reject(new AppError(error));
    }
  }

  private status(status: EngineStatus): void {
    this.lastStatus = status;
    this.options.onStatus?.(status);
  }
}

function describeGone(gone: ProcessGone): string {
  return `${gone.reason}, exit code ${gone.exitCode}`;
}

/** A status detail led by why the last process ended, when that is known. */
function withReason(gone: ProcessGone | undefined, detail: string | undefined): string | undefined {
  if (!gone) return detail;
  return detail ? `${describeGone(gone)}; ${detail}` : describeGone(gone);
}

/** Closes a window's end of an audio channel nobody took (the engine's end then closes too). */
function closeAudioEnd(end: ClientAudioEnd): void {
  if (end.kind === 'socket') end.socket.destroy();
  else (end.port as { close?: () => void }).close?.();
}
