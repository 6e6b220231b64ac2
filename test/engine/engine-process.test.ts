import { fork } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineSupervisor } from '../../src-main/services/engine/engine-supervisor';
import { EngineSupervisor as Supervisor } from '../../src-main/services/engine/engine-supervisor';
import type { EngineTransport, ProcessGone } from '../../src-main/services/engine/transport';
import type { SupervisorOptions } from '../../src-main/services/engine/engine-supervisor';
import { AppError } from '../../src-shared/errors/catalogue';
import type { EngineStatus } from '../../src-shared/ipc/contract';
import type { LexiconEntry } from '../../src-shared/lexicon/types';
import type { EngineToParent, ParentToEngine } from '../../src-shared/ipc/engine-protocol';
import { planSegments } from '../../src-shared/speech/plan';
import { longText, rms, startTestEngine, synthesizeAll } from '../helpers/engine';
import { processAlive } from '../helpers/processes';

let engine: EngineSupervisor | undefined;
afterEach(() => {
  engine?.dispose();
  engine = undefined;
});

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof AppError) return thrown;
    throw thrown;
  }
  throw new Error('expected the promise to reject');
}

describe('engine process (eSpeak NG in a child process)', () => {
  it('streams one chunk per sentence, at 24 kHz, with sentence and word spans inside the chunk', async () => {
    engine = startTestEngine();
    const text = 'Hello there. This is the second sentence.';
    const run = synthesizeAll(engine, text);
    const summary = (await run.done) as { chunks: number; samples: number };
    expect(summary.chunks).toBe(2);
    expect(run.chunks.map((c) => c.sequence)).toEqual([0, 1]);
    for (const chunk of run.chunks) {
      expect(chunk.sampleRate).toBe(24000);
      expect(chunk.samples).toBeInstanceOf(Float32Array);
      expect(rms(chunk.samples)).toBeGreaterThan(0.01);
      const [sentence] = chunk.sentences;
      expect(sentence).toMatchObject({ startSample: 0, endSample: chunk.samples.length });
      for (const word of chunk.words) {
        expect(word.startSample).toBeGreaterThanOrEqual(0);
        expect(word.endSample).toBeLessThanOrEqual(chunk.samples.length);
        expect(word.start).toBeGreaterThanOrEqual(sentence?.start ?? -1);
        expect(word.end).toBeLessThanOrEqual(sentence?.end ?? -1);
      }
    }
    const words = run.chunks.flatMap((c) => c.words).map((w) => text.slice(w.start, w.end));
    expect(words).toEqual(['Hello', 'there', 'This', 'is', 'the', 'second', 'sentence']);
    expect(summary.samples / 24000).toBeGreaterThan(1);
  });

  it('maps word offsets to UTF-16 positions past non-ASCII text and emoji', async () => {
    engine = startTestEngine();
    const text = 'Café 😀 naïve señor test.';
    const run = synthesizeAll(engine, text);
    await run.done;
    const words = run.chunks.flatMap((c) => c.words).map((w) => text.slice(w.start, w.end));
    expect(words).toEqual(['Café', 'naïve', 'señor', 'test']);
  });

  it('fails the pending request with ENGINE_CRASHED when the engine dies, and serves the next after a restart', async () => {
    const statuses: EngineStatus['state'][] = [];
    engine = startTestEngine({ onStatus: (s) => statuses.push(s.state) });
    await engine.ready();
    const firstPid = engine.pid;
    const run = synthesizeAll(engine, longText(200));
    await expect.poll(() => run.chunks.length).toBeGreaterThanOrEqual(2);
    process.kill(firstPid ?? 0, 'SIGKILL');
    const error = await errorOf(run.done);
    expect(error.code).toBe('ENGINE_CRASHED');
    const next = synthesizeAll(engine, 'Back again.');
    await next.done;
    expect(next.chunks).toHaveLength(1);
    expect(engine.pid).not.toBe(firstPid);
    expect(statuses).toContain('restarting');
    expect(statuses.at(-1)).toBe('ready');
  });

  it('fails the pending request with ENGINE_NOT_RESPONDING when the engine is stopped (SIGSTOP), kills it and serves the next', async () => {
    // A short silence limit for the test; the default is a minute (see SupervisorOptions.hangTimeoutMs).
    // 5 s: long enough that a loaded test machine does not starve a running engine that long. Ticks
    // 250 ms apart: a loaded machine's stalls stay under the 1 s gap that counts as a suspension.
    engine = startTestEngine({ heartbeatMs: 500, hangTimeoutMs: 5000, startTimeoutMs: 45_000 });
    await engine.ready();
    const stoppedPid = engine.pid ?? 0;
    const run = synthesizeAll(engine, longText(300));
    await expect.poll(() => run.chunks.length, { timeout: 20_000 }).toBeGreaterThan(1);
    process.kill(stoppedPid, 'SIGSTOP');
    try {
      const error = await errorOf(run.done);
      expect(error.code).toBe('ENGINE_NOT_RESPONDING');
      // Killed with SIGKILL, which a stopped process cannot hold off: its pid is gone.
      await expect.poll(() => processAlive(stoppedPid), { timeout: 10_000 }).toBe(false);
      const next = synthesizeAll(engine, 'Back again.');
      await next.done;
      expect(next.chunks).toHaveLength(1);
      expect(engine.pid).not.toBe(stoppedPid);
    } finally {
      if (processAlive(stoppedPid)) process.kill(stoppedPid, 'SIGKILL');
    }
  }, 90_000);

  it('cancel: the engine stops the request, no chunk arrives after cancel returns, and the engine takes the next request', async () => {
    // What the engine sent, also what the supervisor drops once the request is cancelled.
    const sent: EngineToParent[] = [];
    engine = startTestEngine({}, (message) => sent.push(message));
    const sentences = 300;
    const run = synthesizeAll(engine, longText(sentences));
    await expect.poll(() => run.chunks.length).toBeGreaterThanOrEqual(3);
    expect(engine.cancel(run.id)).toBe(true);
    const countAtCancel = run.chunks.length;
    expect((await errorOf(run.done)).code).toBe('CANCELLED');
    // The engine's own last word on the request: nothing of it can follow (the channel keeps order).
    const answer = (): EngineToParent | undefined => sent.find((message) => !('event' in message) && message.id === run.id);
    await expect.poll(answer).toBeDefined();
    expect(answer()).toMatchObject({ error: { code: 'CANCELLED' } });
    // It stopped: it did not synthesize the remaining sentences first.
    const chunksMade = sent.filter((message) => 'event' in message && message.event === 'chunk' && message.id === run.id).length;
    expect(chunksMade).toBeLessThan(sentences);
    expect(run.chunks.length).toBe(countAtCancel);
    const next = synthesizeAll(engine, 'Next request.');
    await next.done;
    expect(next.chunks).toHaveLength(1);
  });

  it('keeps each request to its own voice and speed when requests overlap', async () => {
    engine = startTestEngine();
    const text = 'One sentence here. And another one there. A third to keep it busy.';
    const total = async (speed: number): Promise<number> => {
      let samples = 0;
      await engine?.request('synthesize', { engine: 'espeak', voice: 'gmw/en-US', speed, segments: planSegments(text) }, (c) => (samples += c.samples.length)).result;
      return samples;
    };
    const [slowAlone, fastAlone] = [await total(1), await total(2)];
    const [slow, fast] = await Promise.all([total(1), total(2)]);
    // eSpeak's lengths vary by a few samples from run to run; mixed-up speeds would differ by a third or more.
    expect(Math.abs(slow - slowAlone) / slowAlone).toBeLessThan(0.02);
    expect(Math.abs(fast - fastAlone) / fastAlone).toBeLessThan(0.02);
    expect(fast).toBeLessThan(slow * 0.75);
  });

  it("speaks the user's replacement entries, with word spans on the original text", async () => {
    engine = startTestEngine();
    const entry: LexiconEntry = { id: 1, lang: 'all', match: 'word', pattern: 'SQL', kind: 'replacement', value: 'sequel', caseSensitive: false, note: null, version: 1, createdAt: 0, updatedAt: 0 };
    await engine.request('lexicon', { entries: [entry] }).result;
    const text = 'Now I like SQL a lot.';
    const replaced = synthesizeAll(engine, text);
    await replaced.done;
    expect(replaced.chunks.flatMap((c) => c.words).map((w) => text.slice(w.start, w.end))).toEqual(['Now', 'I', 'like', 'SQL', 'a', 'lot']);
    const said = synthesizeAll(engine, 'Now I like sequel a lot.');
    await said.done;
    const samples = (run: { chunks: { samples: Float32Array }[] }): number => run.chunks.reduce((sum, c) => sum + c.samples.length, 0);
    // eSpeak's lengths vary by a few samples from run to run; saying "S Q L" takes about 5% longer.
    expect(Math.abs(samples(replaced) - samples(said))).toBeLessThan(samples(said) * 0.005);
  });

  it('rejects an unknown voice with the catalogue code', async () => {
    engine = startTestEngine();
    const error = await errorOf(synthesizeAll(engine, 'Hello.', 'xx/not-a-voice').done);
    expect(error.code).toBe('UNKNOWN_VOICE');
  });

  it('lists eSpeak voices including American and British English', async () => {
    engine = startTestEngine();
    const voices = await engine.request('voices', null).result;
    const ids = voices.map((v) => v.id);
    expect(ids).toContain('espeak:gmw/en-US');
    expect(ids).toContain('espeak:gmw/en');
    expect(voices.every((v) => v.engine === 'espeak')).toBe(true);
  });

  it('times out an engine that never becomes ready, then tries again on the next request', async () => {
    let spawned = 0;
    const silent = (): EngineTransport => {
      spawned++;
      const child = fork('-e', ['setInterval(() => {}, 1000)'], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      return {
        pid: child.pid,
        send: () => undefined,
        onMessage: () => undefined,
        onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
        kill: () => child.kill('SIGKILL'),
        stop: () => child.kill('SIGKILL'),
      };
    };
    const supervisor = new Supervisor(silent, { startTimeoutMs: 300, backoffMs: [60_000], maxConsecutiveFailures: 1 });
    try {
      const error = await errorOf(supervisor.request('ping', null).result);
      expect(error.code).toBe('ENGINE_START_TIMEOUT');
      const again = await errorOf(supervisor.request('ping', null).result);
      expect(again.code).toBe('ENGINE_START_TIMEOUT');
      expect(spawned).toBe(2);
    } finally {
      supervisor.dispose();
    }
  });
});

/** A transport whose process the test ends, reporting why before or after the exit, as Electron may. */
class ScriptedProcess implements EngineTransport {
  readonly pid = 4242;
  private readonly messageListeners: ((message: EngineToParent) => void)[] = [];
  private readonly exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  private readonly goneListeners: ((gone: ProcessGone) => void)[] = [];
  /** Answers the supervisor's pings, as an engine busy between steps does. */
  answerPings = false;
  /** How long a ping waits for its answer: the engine's current synchronous step. */
  pingAnswerDelayMs = 0;
  pings = 0;
  /** Requests other than pings, for the test to answer. */
  readonly requests: { id: number; method: string }[] = [];
  killed = false;
  send(message: ParentToEngine): void {
    if (!('method' in message)) return;
    if (message.method !== 'ping') {
      this.requests.push({ id: message.id, method: message.method });
      return;
    }
    this.pings++;
    if (!this.answerPings) return;
    const answer = (): void => this.emit({ id: message.id, result: { pid: this.pid, engines: ['espeak'] } });
    if (this.pingAnswerDelayMs > 0) setTimeout(answer, this.pingAnswerDelayMs);
    else answer();
  }
  emit(message: EngineToParent): void {
    for (const listener of this.messageListeners) listener(message);
  }
  onMessage(listener: (message: EngineToParent) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListeners.push(listener);
  }
  onGone(listener: (gone: ProcessGone) => void): void {
    this.goneListeners.push(listener);
  }
  kill(): void {
    this.killed = true;
  }
  stop(): void {}
  becomeReady(): void {
    this.emit({ event: 'ready', data: { pid: this.pid, engines: ['espeak'] } });
  }
  exit(code: number): void {
    for (const listener of this.exitListeners) listener(code, null);
  }
  gone(gone: ProcessGone): void {
    for (const listener of this.goneListeners) listener(gone);
  }
}

/** A supervisor of scripted processes whose first process is ready. */
async function supervised(options: SupervisorOptions = {}): Promise<{ supervisor: EngineSupervisor; processes: ScriptedProcess[]; statuses: EngineStatus[] }> {
  const processes: ScriptedProcess[] = [];
  const statuses: EngineStatus[] = [];
  const supervisor = new Supervisor(
    () => {
      const started = new ScriptedProcess();
      processes.push(started);
      return started;
    },
    { backoffMs: [60_000], onStatus: (status) => statuses.push(status), ...options },
  );
  engine = supervisor;
  const ready = supervisor.ready();
  processes[0]?.becomeReady();
  await ready;
  return { supervisor, processes, statuses };
}

describe('engine supervisor: why the engine process ended', () => {

  it('names the reason in the failed requests and the status when it comes before the exit', async () => {
    const { supervisor, processes, statuses } = await supervised();
    const pending = supervisor.request('ping', null).result;
    processes[0]?.gone({ reason: 'oom', exitCode: 9 });
    processes[0]?.exit(9);
    const error = await errorOf(pending);
    expect(error.code).toBe('ENGINE_CRASHED');
    expect(error.message).toContain('(oom, exit code 9)');
    expect(statuses.at(-1)).toEqual({ state: 'restarting', detail: 'oom, exit code 9; restarting in 60000 ms' });
  });

  it('adds the reason to the status when it comes after the exit, and not once another process runs', async () => {
    const { supervisor, processes, statuses } = await supervised();
    processes[0]?.exit(11);
    expect(statuses.at(-1)).toEqual({ state: 'restarting', detail: 'restarting in 60000 ms' });
    processes[0]?.gone({ reason: 'crashed', exitCode: 11 });
    expect(statuses.at(-1)).toEqual({ state: 'restarting', detail: 'crashed, exit code 11; restarting in 60000 ms' });

    const again = supervisor.ready();
    processes[1]?.becomeReady();
    await again;
    const count = statuses.length;
    processes[0]?.gone({ reason: 'crashed', exitCode: 11 });
    expect(statuses).toHaveLength(count);
    expect(statuses.at(-1)).toEqual({ state: 'ready' });
  });
});

describe('engine supervisor: the hung-engine watchdog', () => {
  // The supervisor's timers and its monotonic clock run on fake time; `slept` adds time during
  // which this process did not run at all (system sleep, a blocked event loop): no timer fired.
  let slept = 0;
  const clock = (): number => performance.now() + slept;
  const HEARTBEAT = { heartbeatMs: 1000, hangTimeoutMs: 10_000 };
  const TICK = HEARTBEAT.heartbeatMs / 2;
  beforeEach(() => {
    slept = 0;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A supervisor with a ready scripted engine and one request it never finishes. */
  async function busyEngine(options: SupervisorOptions = {}): Promise<{ supervisor: EngineSupervisor; process: ScriptedProcess; pending: Promise<unknown>; processes: ScriptedProcess[] }> {
    const { supervisor, processes } = await supervised({ ...HEARTBEAT, ...options });
    const pending = supervisor.request('synthesize', { engine: 'espeak', voice: 'gmw/en-US', speed: 1, segments: [] }).result;
    // Whatever the outcome, it is asserted where it matters; an early rejection is not unhandled.
    pending.catch(() => undefined);
    const process = processes[0];
    if (!process) throw new Error('no process');
    return { supervisor, process, pending, processes };
  }

  /** Lets `ms` pass without this process running: every clock moves on, no timer fires. */
  function suspend(ms: number): void {
    slept += ms;
    vi.setSystemTime(Date.now() + ms);
  }

  it('keeps a busy engine that answers pings, however long its request runs, and ends it once it falls silent', async () => {
    const { process, pending } = await busyEngine({ now: clock });
    process.answerPings = true;
    vi.advanceTimersByTime(10 * 60_000);
    // A ping for every heartbeat of silence, all answered: alive ten minutes on, far past the limit.
    expect(process.pings).toBeGreaterThanOrEqual(500);
    expect(process.killed).toBe(false);
    process.answerPings = false;
    vi.advanceTimersByTime(HEARTBEAT.heartbeatMs + HEARTBEAT.hangTimeoutMs);
    expect(process.killed).toBe(true);
    expect((await errorOf(pending)).code).toBe('ENGINE_NOT_RESPONDING');
  });

  it('keeps an engine that answers each ping late, but within the limit', async () => {
    const { process } = await busyEngine({ now: clock });
    process.answerPings = true;
    // A long synchronous step: each answer comes 9.5 s after its ping, and nothing else is heard.
    process.pingAnswerDelayMs = 9_500;
    vi.advanceTimersByTime(5 * 60_000);
    expect(process.pings).toBeGreaterThanOrEqual(20);
    expect(process.killed).toBe(false);
  });

  it('gives an unanswered ping the whole limit, then kills the engine and serves the next request with a new one', async () => {
    const { supervisor, process, pending, processes } = await busyEngine({ now: clock });
    vi.advanceTimersByTime(HEARTBEAT.heartbeatMs);
    expect(process.pings).toBe(1);
    vi.advanceTimersByTime(HEARTBEAT.hangTimeoutMs - TICK);
    expect(process.killed).toBe(false);
    vi.advanceTimersByTime(TICK);
    expect(process.killed).toBe(true);
    const error = await errorOf(pending);
    expect(error.code).toBe('ENGINE_NOT_RESPONDING');
    expect(error.message).toContain('(a ping went unanswered for 10000 ms)');

    const next = supervisor.request('voices', null).result;
    const restarted = processes[1];
    if (!restarted) throw new Error('no new process for the next request');
    restarted.becomeReady();
    await expect.poll(() => restarted.requests.length).toBe(1);
    restarted.emit({ id: restarted.requests[0]?.id ?? 0, result: [] });
    expect(await next).toEqual([]);
  });

  it('does not kill a silent engine when this process was suspended (sleep, a blocked event loop): it pings again and waits', async () => {
    const { process, pending } = await busyEngine({ now: clock });
    vi.advanceTimersByTime(HEARTBEAT.heartbeatMs);
    expect(process.pings).toBe(1);
    // An hour asleep with the ping unanswered: the engine, asleep too, had no chance to answer.
    suspend(60 * 60_000);
    // Awake, it answers the fresh ping it is given, and goes on.
    process.answerPings = true;
    vi.advanceTimersByTime(TICK);
    expect(process.killed).toBe(false);
    expect(process.pings).toBe(2);
    vi.advanceTimersByTime(HEARTBEAT.hangTimeoutMs * 3);
    expect(process.killed).toBe(false);
    // Silent for good after waking: still caught.
    process.answerPings = false;
    vi.advanceTimersByTime(HEARTBEAT.heartbeatMs + HEARTBEAT.hangTimeoutMs);
    expect((await errorOf(pending)).code).toBe('ENGINE_NOT_RESPONDING');
  });

  it('still ends a silent engine when this process keeps stalling: only the time away is forgiven, not the ticks', async () => {
    const { process, pending } = await busyEngine({ now: clock });
    let ticks = 0;
    // Every tick comes 3 s late (a main process under constant load); the engine never answers.
    while (!process.killed && ticks < 1000) {
      suspend(6 * TICK);
      vi.advanceTimersByTime(TICK);
      ticks++;
    }
    expect(process.killed).toBe(true);
    expect((await errorOf(pending)).code).toBe('ENGINE_NOT_RESPONDING');
    // About one tick of each stall counts: the limit is reached in limit / tick ticks, give or take.
    expect(ticks).toBeLessThanOrEqual(HEARTBEAT.hangTimeoutMs / TICK + 4);
  });

  it('does not kill the engine when the wall clock jumps (NTP, the user): the watchdog runs on the monotonic clock', async () => {
    // The default clock (performance.now, faked here), not the test's.
    const { process } = await busyEngine();
    process.answerPings = true;
    vi.advanceTimersByTime(HEARTBEAT.heartbeatMs * 3);
    vi.setSystemTime(Date.now() + 24 * 60 * 60_000);
    vi.advanceTimersByTime(HEARTBEAT.heartbeatMs * 3);
    vi.setSystemTime(Date.now() - 48 * 60 * 60_000);
    vi.advanceTimersByTime(HEARTBEAT.hangTimeoutMs * 3);
    expect(process.killed).toBe(false);
    // After the clock went back, an engine that falls silent is still ended in time (on the wall
    // clock its silence would seem to start in the future, and never last long enough).
    process.answerPings = false;
    vi.advanceTimersByTime(HEARTBEAT.heartbeatMs + HEARTBEAT.hangTimeoutMs + HEARTBEAT.heartbeatMs);
    expect(process.killed).toBe(true);
  });
});
