import { fork } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
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

let engine: EngineSupervisor | undefined;
afterEach(() => {
  engine?.dispose();
  engine = undefined;
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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
    while (run.chunks.length < 2) await new Promise((r) => setTimeout(r, 5));
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
    // 5 s: long enough that a loaded test machine does not starve a running engine that long.
    engine = startTestEngine({ heartbeatMs: 100, hangTimeoutMs: 5000, startTimeoutMs: 45_000 });
    await engine.ready();
    const stoppedPid = engine.pid ?? 0;
    const run = synthesizeAll(engine, longText(300));
    await expect.poll(() => run.chunks.length, { timeout: 20_000 }).toBeGreaterThan(1);
    process.kill(stoppedPid, 'SIGSTOP');
    try {
      const error = await errorOf(run.done);
      expect(error.code).toBe('ENGINE_NOT_RESPONDING');
      // Killed with SIGKILL, which a stopped process cannot hold off: its pid is gone.
      await expect.poll(() => isAlive(stoppedPid), { timeout: 10_000 }).toBe(false);
      const next = synthesizeAll(engine, 'Back again.');
      await next.done;
      expect(next.chunks).toHaveLength(1);
      expect(engine.pid).not.toBe(stoppedPid);
    } finally {
      if (isAlive(stoppedPid)) process.kill(stoppedPid, 'SIGKILL');
    }
  }, 90_000);

  it('cancel: no chunk arrives after it returns, and the engine takes the next request at once', async () => {
    engine = startTestEngine();
    const run = synthesizeAll(engine, longText(300));
    while (run.chunks.length < 3) await new Promise((r) => setTimeout(r, 5));
    expect(engine.cancel(run.id)).toBe(true);
    const countAtCancel = run.chunks.length;
    expect((await errorOf(run.done)).code).toBe('CANCELLED');
    const started = Date.now();
    const next = synthesizeAll(engine, 'Next request.');
    await next.done;
    const waited = Date.now() - started;
    // Give any stray chunk of the cancelled request time to show up.
    await new Promise((r) => setTimeout(r, 300));
    expect(run.chunks.length).toBe(countAtCancel);
    expect(next.chunks).toHaveLength(1);
    // The engine stopped the long request: it did not synthesize the remaining ~290 sentences first.
    expect(waited).toBeLessThan(5000);
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
  pings = 0;
  killed = false;
  send(message: ParentToEngine): void {
    if (!('method' in message) || message.method !== 'ping') return;
    this.pings++;
    if (this.answerPings) for (const listener of this.messageListeners) listener({ id: message.id, result: { pid: this.pid, engines: ['espeak'] } });
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
    for (const listener of this.messageListeners) listener({ event: 'ready', data: { pid: this.pid, engines: ['espeak'] } });
  }
  exit(code: number): void {
    for (const listener of this.exitListeners) listener(code, null);
  }
  gone(gone: ProcessGone): void {
    for (const listener of this.goneListeners) listener(gone);
  }
}

describe('engine supervisor: why the engine process ended', () => {
  /** A supervisor whose first process is ready. */
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

  it('keeps a busy engine that answers pings, however long its request runs, and ends it once it falls silent', async () => {
    const { supervisor, processes } = await supervised({ heartbeatMs: 20, hangTimeoutMs: 200 });
    const busy = processes[0];
    if (!busy) throw new Error('no process');
    let settled = false;
    const pending = supervisor.request('synthesize', { engine: 'espeak', voice: 'gmw/en-US', speed: 1, segments: [] }).result;
    pending.then(() => (settled = true), () => (settled = true));
    busy.answerPings = true;
    // 30 pings at most one per 20 ms of silence: well past the 200 ms limit, and still alive.
    await expect.poll(() => busy.pings, { timeout: 10_000 }).toBeGreaterThanOrEqual(30);
    expect(settled).toBe(false);
    expect(busy.killed).toBe(false);
    expect(processes).toHaveLength(1);
    // Silent from now on: ended and failed with the catalogue code.
    busy.answerPings = false;
    const error = await errorOf(pending);
    expect(error.code).toBe('ENGINE_NOT_RESPONDING');
    expect(busy.killed).toBe(true);
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
