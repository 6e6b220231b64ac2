import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBridgeServer } from '../services/bridge/bridge-server';
import type { BridgeServer } from '../services/bridge/bridge-server';
import { EngineSupervisor } from '../services/engine/engine-supervisor';
import { childProcessTransport } from '../services/engine/child-process-transport';
import { ReaderService } from '../services/reader-service';

export interface DevWeb {
  bridge: BridgeServer;
  engine: EngineSupervisor;
  reader: ReaderService;
  close(): Promise<void>;
}

/** The app's services and its UI for a browser, over the loopback-only bridge. */
export async function createDevWeb(engineEntry: string, options: { port?: number; staticDir?: string } = {}): Promise<DevWeb> {
  let bridge: BridgeServer | undefined = undefined;
  const engine = new EngineSupervisor(childProcessTransport(engineEntry), {
    onStatus: (status) => bridge?.broadcast('engine:status', status),
  });
  const reader = new ReaderService(engine, { version: process.env.npm_package_version ?? '0.1.0' });
  bridge = await startBridgeServer({
    handlers: reader.handlers,
    staticDir: options.staticDir ?? fileURLToPath(new URL('../renderer', import.meta.url)),
    onDisconnect: (client) => reader.disconnect(client),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  const server = bridge;
  return {
    bridge: server,
    engine,
    reader,
    async close() {
      engine.dispose();
      await server.close();
    },
  };
}

export async function startDevWeb(args: string[], engineEntry: string): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' } } });
  const web = await createDevWeb(engineEntry, values.port ? { port: Number(values.port) } : {});
  process.stdout.write(`Kokoro Reader (browser mode): open ${web.bridge.url}\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await web.close();
}
