import { fork } from 'node:child_process';
import type { EngineToParent } from '../../../src-shared/ipc/engine-protocol';
import { createSocketPair } from '../../platform/socket-pair';
import type { EngineTransport, TransportFactory } from './transport';

/** How long an engine may take to close its files before it is killed. */
const STOP_GRACE_MS = 2000;

/** Starts the engine entry as a Node child process; 'advanced' serialization keeps Float32Arrays intact. */
export function childProcessTransport(entry: string, options: { stderr?: 'inherit' | 'ignore' } = {}): TransportFactory {
  return (): EngineTransport => {
    const child = fork(entry, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', options.stderr ?? 'inherit', 'ipc'],
      // The engine needs no inherited flags of the parent (e.g. a test runner's loaders).
      execArgv: [],
    });
    let exited = false;
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    const notifyExit = (code: number | null, signal: string | null): void => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(code, signal);
    };
    child.on('exit', notifyExit);
    child.on('error', () => notifyExit(null, 'spawn-error'));
    return {
      get pid() {
        return child.pid;
      },
      send(message) {
        if (!exited && child.connected) child.send(message);
      },
      onMessage(listener) {
        child.on('message', (message) => listener(message as EngineToParent));
      },
      async openAudioChannel(client) {
        const [toEngine, toWindow] = await createSocketPair();
        // Handed over, the engine's end is closed here: what goes over it skips this process.
        if (exited || !child.connected) {
          toEngine.destroy();
          toWindow.destroy();
          throw new Error('the engine process has exited');
        }
        child.send({ attachAudio: { client } }, toEngine);
        return { kind: 'socket', socket: toWindow };
      },
      onExit(listener) {
        exitListeners.push(listener);
      },
      kill() {
        child.kill('SIGKILL');
      },
      stop() {
        if (exited) return;
        child.kill('SIGTERM');
        setTimeout(() => {
          if (!exited) child.kill('SIGKILL');
        }, STOP_GRACE_MS).unref();
      },
    };
  };
}
