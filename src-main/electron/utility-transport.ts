import type { App, MessagePortMain, UtilityProcess } from 'electron';
import type { EngineToParent } from '../../src-shared/ipc/engine-protocol';
import type { EngineTransport, ProcessGone, TransportFactory } from '../services/engine/transport';

/** The part of Electron's `utilityProcess` the app uses (a parameter, so tests can pass a fake). */
export type UtilityFork = (modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'ignore' | 'pipe' }) => UtilityProcess;

/** The engine's name in Electron's process reports ('child-process-gone', app.getAppMetrics). */
export const ENGINE_SERVICE_NAME = 'Kokoro Reader speech engine';

export interface UtilityTransportOptions {
  /** Makes the channel of a window's audio (Electron's MessageChannelMain). */
  createChannel?: () => { port1: MessagePortMain; port2: MessagePortMain };
  /** Where Electron reports why a child process ended ('child-process-gone'). */
  app?: Pick<App, 'on'>;
  log?: (line: string) => void;
}

/** The engine as an Electron utility process: its own OS process, no Node in the renderer. */
export function utilityProcessTransport(fork: UtilityFork, entry: string, options: UtilityTransportOptions = {}): TransportFactory {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  // Electron tells why a child process ended app-wide, by name and without a pid. One engine
  // runs at a time and the report follows its exit at once, so it is the latest engine's.
  let explainLatest: ((gone: ProcessGone) => void) | undefined;
  options.app?.on('child-process-gone', (_event, details) => {
    if (details.type === 'Utility' && details.name === ENGINE_SERVICE_NAME) explainLatest?.({ reason: details.reason, exitCode: details.exitCode });
  });
  return (): EngineTransport => {
    const child = fork(entry, [], { serviceName: ENGINE_SERVICE_NAME, stdio: 'inherit' });
    let exited = false;
    // Ended by us (stop, or kill after a hang): Electron's reason would say only 'killed'.
    let endedHere = false;
    let gone: ProcessGone | undefined;
    const goneListeners: ((gone: ProcessGone) => void)[] = [];
    explainLatest = (why) => {
      if (gone || endedHere) return;
      gone = why;
      log(`speech engine process gone: ${why.reason} (exit code ${why.exitCode})`);
      for (const listener of goneListeners) listener(why);
    };
    return {
      get pid() {
        return child.pid;
      },
      send(message) {
        if (!exited) child.postMessage(message);
      },
      onMessage(listener) {
        child.on('message', (message: unknown) => listener(message as EngineToParent));
      },
      openAudioChannel(client) {
        const create = options.createChannel;
        if (!create) return Promise.reject(new Error('no MessageChannelMain given to the utility transport'));
        // One port to the engine, the other for the window: audio then skips this process.
        const { port1, port2 } = create();
        if (exited) {
          port1.close();
          port2.close();
          return Promise.reject(new Error('the engine process has exited'));
        }
        child.postMessage({ attachAudio: { client } }, [port1]);
        return Promise.resolve({ kind: 'port', port: port2 });
      },
      onExit(listener) {
        child.on('exit', (code: number) => {
          exited = true;
          listener(code, null);
        });
      },
      onGone(listener) {
        goneListeners.push(listener);
        if (gone) listener(gone);
      },
      kill() {
        endedHere = true;
        // Electron's kill() is SIGTERM on POSIX; the process id lets a hung engine be ended for sure.
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
        else child.kill();
      },
      stop() {
        endedHere = true;
        if (!exited) child.kill();
      },
    };
  };
}
