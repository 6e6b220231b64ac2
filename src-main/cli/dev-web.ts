import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineConfig } from '../../src-shared/ipc/engine-config';
import type { ModelManifest } from '../services/models/manifest';
import { startBridgeServer } from '../services/bridge/bridge-server';
import { cacheDirIn, defaultDataDir, defaultModelDir } from '../services/paths';
import type { BridgeServer } from '../services/bridge/bridge-server';
import { createAppServices } from '../services/app-services';
import type { AppServices } from '../services/app-services';
import { childProcessTransport } from '../services/engine/child-process-transport';
import { fileTextSource } from '../services/screen-helper/text-source';
import { COMMANDS, parseCommand } from './usage';

export interface DevWeb {
  bridge: BridgeServer;
  services: AppServices;
  close(): Promise<void>;
}

export interface DevWebOptions {
  port?: number;
  /** The built renderer (default: dist/renderer beside the CLI bundle). */
  staticDir?: string;
  importWorker?: string;
  /** What the engine loads (model folder, data folder); none: eSpeak NG only, no audio cache. */
  engineConfig?: EngineConfig;
  /** The library's folder (documents, positions, preferences); none: nothing is remembered. */
  dataDir?: string;
  /**
   * Where exports go, the person running the server having named it: a browser has no save
   * dialog, so an export takes its suggested name in this folder. None: no exports.
   */
  exportDir?: string;
  /** The model files `models:download` fetches (tests serve fixture graphs from a local server). */
  modelManifest?: ModelManifest;
  /** A file standing in for the clipboard and the selection (the screen helper's); missing: empty. */
  clipboardFile?: string;
}

/** The app's services and its UI for a browser, over the loopback-only bridge. */
export async function createDevWeb(engineEntry: string, options: DevWebOptions = {}): Promise<DevWeb> {
  let bridge: BridgeServer | undefined = undefined;
  const services = createAppServices({
    engineTransport: childProcessTransport(engineEntry),
    ...(options.engineConfig ? { engineConfig: options.engineConfig } : {}),
    importWorker: options.importWorker ?? fileURLToPath(new URL('../import/import-worker.mjs', import.meta.url)),
    version: process.env.npm_package_version ?? '0.1.0',
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.modelManifest ? { modelManifest: options.modelManifest } : {}),
    onEngineStatus: (status) => bridge?.broadcast('engine:status', status),
    onExportProgress: (job) => bridge?.broadcast('export:progress', job),
    onViewSettings: (settings) => bridge?.broadcast('view:changed', settings),
    screenHelper: {
      ...(options.clipboardFile ? { textSource: fileTextSource(options.clipboardFile) } : {}),
      // A browser has no window to bring up: every page hears "open in the reader" (the mini page ignores it).
      showReaderWindow: () => Promise.resolve({ id: 'every-page', emit: (event, data) => bridge?.broadcast(event, data) }),
      onState: (state) => bridge?.broadcast('helper:state', state),
    },
    ...(options.exportDir ? { chooseExportTarget: (_client: unknown, suggestedName: string) => Promise.resolve(join(options.exportDir ?? '', basename(suggestedName))) } : {}),
  });
  services.helper.start();
  bridge = await startBridgeServer({
    handlers: services.handlers,
    audio: (client, deliver) => services.engine.attachAudio(client.id, deliver),
    staticDir: options.staticDir ?? fileURLToPath(new URL('../renderer', import.meta.url)),
    onDisconnect: (client) => services.disconnect(client),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  const server = bridge;
  return {
    bridge: server,
    services,
    async close() {
      services.dispose();
      await server.close();
    },
  };
}

export async function startDevWeb(args: string[], engineEntry: string): Promise<void> {
  const { values } = parseCommand(COMMANDS['dev-web'], args);
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const web = await createDevWeb(engineEntry, {
    ...(values.port ? { port: Number(values.port) } : {}),
    dataDir,
    ...(values['export-dir'] ? { exportDir: resolve(values['export-dir']) } : {}),
    ...(values['clipboard-file'] ? { clipboardFile: resolve(values['clipboard-file']) } : {}),
    engineConfig: { modelDir: values['model-dir'] ?? defaultModelDir(), dataDir, cacheDir: cacheDirIn(dataDir) },
  });
  process.stdout.write(`Kokoro Reader (browser mode): open ${web.bridge.url}\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await web.close();
}
