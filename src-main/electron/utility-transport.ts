import type { UtilityProcess } from 'electron';
import type { EngineToParent } from '../../src-shared/ipc/engine-protocol';
import type { EngineTransport, TransportFactory } from '../services/engine/transport';

/** The part of Electron's `utilityProcess` the app uses (a parameter, so tests can pass a fake). */
export type UtilityFork = (modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'ignore' | 'pipe' }) => UtilityProcess;

/** The engine as an Electron utility process: its own OS process, no Node in the renderer. */
export function utilityProcessTransport(fork: UtilityFork, entry: string): TransportFactory {
  return (): EngineTransport => {
    const child = fork(entry, [], { serviceName: 'Kokoro Reader speech engine', stdio: 'inherit' });
    let exited = false;
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
      onExit(listener) {
        child.on('exit', (code: number) => {
          exited = true;
          listener(code, null);
        });
      },
      kill() {
        // Electron's kill() is SIGTERM on POSIX; the process id lets a hung engine be ended for sure.
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
        else child.kill();
      },
      stop() {
        if (!exited) child.kill();
      },
    };
  };
}
