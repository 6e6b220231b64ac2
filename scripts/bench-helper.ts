/**
 * Speed to first sound of the screen helper (#14): `npm run bench:helper -- [--runs N] [--model-dir DIR]`
 * (it builds first; the engine runs from dist/ in its own process, as in the app).
 *
 * Times "read this text" to the first audio chunk on the client's audio port, through the app's
 * own services (createAppServices: `text:set`, then `speech:speak`), for a helper-sized text: one
 * sentence, and a short paragraph. Warm: the engine process started and one run discarded.
 * Cold: fresh services, so the engine process starts (and Kokoro loads its graphs) inside the
 * timing. No audio cache (no data folder), so every run synthesises. Kokoro runs on the fixture
 * graphs of the tests (test/helpers/kokoro-fixtures: tiny graphs, real host steps); with
 * --model-dir also on that folder (`npm run shadow:make` writes real-size shadow graphs).
 * Goal (#14): eSpeak NG under 150 ms warm.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { AudioMessage } from '../src-shared/ipc/audio-port';
import type { PushChannel, PushMap } from '../src-shared/ipc/contract';
import type { EngineConfig } from '../src-shared/ipc/engine-config';
import { FramedSocket } from '../src-main/platform/framed-socket';
import { createAppServices } from '../src-main/services/app-services';
import type { AppServices } from '../src-main/services/app-services';
import { childProcessTransport } from '../src-main/services/engine/child-process-transport';
import type { ClientContext } from '../src-main/services/handlers';
import { writeKokoroFixture } from '../test/helpers/kokoro-fixtures';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, 'model-dir': { type: 'string' } } });
const runs = Number(values.runs);

const TEXTS = {
  sentence: 'The meeting has moved to Thursday at three, in the small room on the second floor.',
  paragraph:
    'The meeting has moved to Thursday at three, in the small room on the second floor. Please bring the printed agenda. If you cannot come, send a short note to the office before noon.',
} as const;

/** A window of the app as the services see it: its pushes, and the engine's audio channel to it. */
class BenchClient implements ClientContext {
  private static next = 1;
  readonly id = `bench-${BenchClient.next++}`;
  private waiting: { session: string; first: (at: number) => void; end: () => void; fail: (error: Error) => void } | undefined;

  constructor(services: AppServices) {
    services.engine.attachAudio(this.id, (end) => {
      if (end.kind !== 'socket') throw new Error('the child-process engine gives sockets');
      new FramedSocket(end.socket).onMessage((message) => this.onAudio(message as AudioMessage));
    });
  }

  emit<E extends PushChannel>(event: E, data: PushMap[E]): void {
    if (event === 'speech:error') this.waiting?.fail(new Error(JSON.stringify(data)));
  }

  /** When the first chunk of `session` arrived, and when its end did (the engine is idle again). */
  listen(session: string): { first: Promise<number>; end: Promise<void> } {
    let first!: (at: number) => void;
    let end!: () => void;
    let fail!: (error: Error) => void;
    const firstArrived = new Promise<number>((resolve, reject) => {
      first = resolve;
      fail = reject;
    });
    const ended = new Promise<void>((resolve) => (end = resolve));
    this.waiting = { session, first, end, fail };
    return { first: firstArrived, end: ended };
  }

  private onAudio(message: AudioMessage): void {
    const waiting = this.waiting;
    if (!waiting || message.session !== waiting.session) return;
    if (message.kind === 'chunk') waiting.first(performance.now());
    else if (message.kind === 'end') waiting.end();
    else if (message.kind === 'error') waiting.fail(new Error(message.error.message));
  }
}

function services(engineConfig: EngineConfig): AppServices {
  return createAppServices({
    engineTransport: childProcessTransport(`${root}dist/engine/engine.mjs`),
    engineConfig,
    importWorker: `${root}dist/import/import-worker.mjs`,
    version: 'bench',
    log: () => undefined,
  });
}

/**
 * One "read this text": ms from the request to the first chunk on the client's port. The reading
 * then goes to its end (no playback reports are needed for a text this short), so the next run
 * finds the engine idle, as a person pressing the helper's key would.
 */
async function firstSound(app: AppServices, client: BenchClient, text: string, voice: string): Promise<number> {
  const start = performance.now();
  const { textId } = await app.handlers['text:set']({ text }, client);
  const { session } = await app.handlers['speech:speak']({ textId, voice }, client);
  const heard = client.listen(session);
  const arrived = await heard.first;
  await heard.end;
  return arrived - start;
}

function stats(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const ms = (v: number): string => (v < 100 ? v.toFixed(1) : v.toFixed(0));
  return `median ${ms(at(0.5))} ms, p90 ${ms(at(0.9))} ms`;
}

/** A client the services take for the helper's mini player, so its readings go as the helper's do (first sentence alone). */
async function miniPlayer(app: AppServices): Promise<BenchClient> {
  const client = new BenchClient(app);
  await app.handlers['helper:attach'](null, client);
  return client;
}

async function bench(label: string, engineConfig: EngineConfig, voice: string, count: number): Promise<void> {
  for (const [size, text] of Object.entries(TEXTS)) {
    const app = services(engineConfig);
    const client = await miniPlayer(app);
    await app.engine.ready();
    await firstSound(app, client, text, voice); // discarded: the first synthesis (Kokoro loads its graphs)
    const warm: number[] = [];
    for (let i = 0; i < count; i++) warm.push(await firstSound(app, client, text, voice));
    app.dispose();
    const cold: number[] = [];
    for (let i = 0; i < count; i++) {
      const fresh = services(engineConfig);
      cold.push(await firstSound(fresh, await miniPlayer(fresh), text, voice));
      fresh.dispose();
    }
    console.log(`${label.padEnd(22)} ${size.padEnd(9)} warm: ${stats(warm)}   cold: ${stats(cold)}`);
  }
}

const fixture = mkdtempSync(join(tmpdir(), 'kokoro-bench-helper-'));
try {
  writeKokoroFixture(fixture, 'descriptive');
  // The vocabulary comes with the model download; here from the shared facts, into the temp folder, as the tests do.
  copyFileSync(join(root, '..', 'shared', 'kokoro', 'vocab.json'), join(fixture, 'vocab.json'));
  console.log(`Time from "read this text" to the first audio chunk on the client's port; ${runs} runs each, no audio cache.`);
  // Other work on the machine shows in these figures: say how busy it was.
  console.log(`Load average at the start: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (${process.platform}, Node ${process.version}).`);
  console.log(`Texts: sentence ${TEXTS.sentence.length} characters, paragraph ${TEXTS.paragraph.length} characters (3 sentences).`);
  await bench('espeak (gmw/en-US)', {}, 'espeak:gmw/en-US', runs);
  await bench('kokoro (fixture graphs)', { modelDir: fixture }, 'kokoro:af_heart', runs);
  const modelDir = values['model-dir'];
  // Real-size graphs take seconds per chunk: a few runs say enough.
  if (modelDir) await bench(`kokoro (${modelDir})`, { modelDir }, 'kokoro:af_heart', Math.min(runs, 3));
} finally {
  rmSync(fixture, { recursive: true, force: true });
}
process.exit(0);
