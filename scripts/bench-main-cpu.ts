/**
 * Main's CPU per minute of audio: npx tsx scripts/bench-main-cpu.ts [sentences] [runs]
 *
 * Runs the app's services with the engine as a child process, as dev-web does, and a window
 * that is another process (scripts/bench/window-process.ts), given its audio channel the way
 * the app gives a page its MessagePort: one end of a channel in the engine, the other in the
 * window, so the audio never passes through this process. The window reports each chunk as
 * playing at once, so synthesis never waits. Prints, per run and as a median, the CPU time
 * (user + system) this process spent from `speak` to the window having the whole session,
 * divided by the minutes of audio. eSpeak NG speaks (no model needed).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createAppServices } from '../src-main/services/app-services';
import { childProcessTransport } from '../src-main/services/engine/child-process-transport';
import type { ClientContext } from '../src-main/services/handlers';

const root = fileURLToPath(new URL('..', import.meta.url));
const sentences = Number(process.argv[2] ?? 300);
const runs = Number(process.argv[3] ?? 3);
const text = Array.from({ length: sentences }, (_, i) => `This is sentence number ${i + 1} of a long text that keeps the engine busy.`).join(' ');

const services = createAppServices({ engineTransport: childProcessTransport(`${root}dist/engine/engine.mjs`), importWorker: `${root}dist/import/import-worker.mjs`, version: 'bench' });
const window = fork(`${root}scripts/bench/window-process.ts`, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
const client: ClientContext = { id: 'bench-window', emit: () => undefined };
services.engine.attachAudio(client.id, (end) => {
  if (end.kind === 'socket') window.send({ audioChannel: true }, end.socket);
});
await services.engine.ready();

const perMinute: number[] = [];
for (let run = 1; run <= runs; run++) {
  const { textId } = services.reader.setText(text, client);
  const received = new Promise<number>((resolve) => window.once('message', (message: { samples: number }) => resolve(message.samples)));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { session } = await services.reader.speak({ textId }, client);
  window.send({ session });
  const samples = await received;
  const cpu = process.cpuUsage(cpu0);
  const ms = (cpu.user + cpu.system) / 1000;
  const minutes = samples / 24000 / 60;
  perMinute.push(ms / minutes);
  console.log(`run ${run}: ${minutes.toFixed(2)} min of audio in ${((performance.now() - t0) / 1000).toFixed(1)} s; main CPU ${ms.toFixed(0)} ms = ${(ms / minutes).toFixed(1)} ms per minute of audio`);
}
perMinute.sort((a, b) => a - b);
console.log(`median: ${(perMinute[Math.floor(perMinute.length / 2)] ?? 0).toFixed(1)} ms of main CPU per minute of audio`);
window.kill();
services.dispose();
process.exit(0);
