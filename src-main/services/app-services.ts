import type { EngineStatus } from '../../src-shared/ipc/contract';
import { DocumentService } from './document-service';
import { EngineSupervisor } from './engine/engine-supervisor';
import type { TransportFactory } from './engine/transport';
import { ReaderService } from './reader-service';
import type { ClientContext, Handlers } from './reader-service';

export interface AppServicesOptions {
  /** How the engine process is started (utility process in the app, child process elsewhere). */
  engineTransport: TransportFactory;
  /** The built import worker (dist/import/import-worker.mjs). */
  importWorker: string;
  version: string;
  onEngineStatus?: (status: EngineStatus) => void;
}

export interface AppServices {
  readonly engine: EngineSupervisor;
  readonly reader: ReaderService;
  readonly documents: DocumentService;
  /** Every request channel, for whichever transport serves the renderer. */
  readonly handlers: Handlers;
  /** A renderer went away: end what it had running. */
  disconnect(client: ClientContext): void;
  dispose(): void;
}

/** The services behind the renderer, wired once, the same for the Electron app and the browser bridge. */
export function createAppServices(options: AppServicesOptions): AppServices {
  const engine = new EngineSupervisor(options.engineTransport, options.onEngineStatus ? { onStatus: options.onEngineStatus } : {});
  const reader = new ReaderService(engine, { version: options.version });
  const documents = new DocumentService(options.importWorker);
  return {
    engine,
    reader,
    documents,
    handlers: { ...reader.handlers, ...documents.handlers },
    disconnect(client) {
      reader.disconnect(client);
      documents.cancel(client);
    },
    dispose() {
      engine.dispose();
    },
  };
}
