import type { EngineStatus, ExportJobInfo } from '../../src-shared/ipc/contract';
import type { ViewSettings } from '../../src-shared/view-settings';
import { ExportService } from './export/export-service';
import type { ExportServiceOptions } from './export/export-service';
import type { EngineConfig } from '../../src-shared/ipc/engine-config';
import { AppError, describeError, toErrorData } from '../../src-shared/errors/catalogue';
import type { VoiceInfo } from '../../src-shared/speech/types';
import { DocumentService } from './document-service';
import { FileGrants } from './file-grants';
import { Library } from './library/index';
import { LibraryService } from './library-service';
import { LexiconService } from './lexicon-service';
import { EngineSupervisor } from './engine/engine-supervisor';
import type { TransportFactory } from './engine/transport';
import { ReaderService } from './reader-service';
import type { ClientContext, Handlers } from './handlers';
import { ReadingTexts } from './reading-texts';
import { ModelService } from './models-service';
import type { ModelManifest } from './models/manifest';
import { HELPER_AUDIO_OWNER } from './library/audio-cache';
import { ScreenHelperService } from './screen-helper/screen-helper-service';
import type { ScreenHelperOptions } from './screen-helper/screen-helper-service';
import { libraryHelperSettings, memoryHelperSettings } from './screen-helper/settings';
import { libraryViewSettings, memoryViewSettings, viewSettingsHandlers } from './view-settings-service';
import { libraryModelSettings, memoryModelSettings, modelSettingsHandlers } from './model-settings-service';

export interface AppServicesOptions {
  /** How the engine process is started (utility process in the app, child process elsewhere). */
  engineTransport: TransportFactory;
  /** What the engine loads (model folder, data folder); none: eSpeak NG only, no audio cache. */
  engineConfig?: EngineConfig;
  /** The built import worker (dist/import/import-worker.mjs). */
  importWorker: string;
  version: string;
  onEngineStatus?: (status: EngineStatus) => void;
  /** The data folder of the library (documents, positions, preferences, lexicon); none: no library. */
  dataDir?: string;
  log?: (line: string) => void;
  /**
   * The shell's file dialog for a client's window: the path the user chose, or undefined when
   * cancelled. None (browser mode): `dialog:open` is NO_FILE_DIALOG, and pages send bytes.
   */
  chooseFile?: (client: ClientContext) => Promise<string | undefined>;
  /** The shell's folder dialog, for importing the model from a folder (none: the page types the path). */
  chooseFolder?: (client: ClientContext) => Promise<string | undefined>;
  /** The model files to install (default: the manifest that comes with the app; tests serve their own). */
  modelManifest?: ModelManifest;
  /** The shell's save dialog for an export (none: `export:target` is NO_SAVE_DIALOG). */
  chooseExportTarget?: ExportServiceOptions['chooseTarget'];
  /** The shell's "show in folder" for a finished export. */
  showInFolder?: (path: string) => void;
  /** An export changed: every window is told. */
  onExportProgress?: (job: ExportJobInfo) => void;
  /** The reading view's settings changed: every window is told. */
  onViewSettings?: (settings: ViewSettings) => void;
  /** What the shell gives the screen helper (clipboard, shortcuts, windows); its settings come from the library here. */
  screenHelper?: Omit<ScreenHelperOptions, 'settings' | 'clearCachedAudio'>;
}

export interface AppServices {
  readonly engine: EngineSupervisor;
  readonly reader: ReaderService;
  readonly documents: DocumentService;
  readonly library: LibraryService | undefined;
  readonly exports: ExportService | undefined;
  readonly helper: ScreenHelperService;
  /** The files the user chose, by handle: the shell grants them (dialog, drop), `document:open` takes handles. */
  readonly grants: FileGrants;
  /** Every request channel, for whichever transport serves the renderer. */
  readonly handlers: Handlers;
  /** A renderer went away: end what it had running. */
  disconnect(client: ClientContext): void;
  dispose(): void;
}

/** The services behind the renderer, wired once, the same for the Electron app and the browser bridge. */
export function createAppServices(options: AppServicesOptions): AppServices {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const notices: string[] = [];
  const library = options.dataDir ? openLibrary(options.dataDir, log, notices) : undefined;
  const modelSettings = library ? libraryModelSettings(library.library.db) : memoryModelSettings();
  // The engine starts with the precision the person chose last time.
  const { precision } = modelSettings.load();
  const engineConfig = { ...options.engineConfig, kokoro: { ...options.engineConfig?.kokoro, precision } };
  const engine = new EngineSupervisor(options.engineTransport, {
    config: engineConfig,
    onStatus: (status) => {
      // Every new engine process learns the user's pronunciations first.
      if (status.state === 'ready' && library) sendLexicon(engine, library, log);
      options.onEngineStatus?.(status);
    },
  });
  const texts = new ReadingTexts();
  const reader = new ReaderService(engine, texts, {
    version: options.version,
    notices: () => [...notices, ...(library?.library.problems.map((problem) => describeError(problem)) ?? [])],
    ...(library ? { extraVoices: (installed: readonly VoiceInfo[]) => library.blendVoices(installed) } : {}),
    // The mini player's readings follow the helper's cache setting, whatever the page asks.
    readingPolicyOf: (client) => (helper.isMiniPlayer(client) ? { cache: helper.state().settings.cacheAudio, owner: 'helper', firstSentenceAlone: true } : undefined),
  });
  const helper = new ScreenHelperService({
    ...options.screenHelper,
    settings: library ? libraryHelperSettings(library.library.db) : memoryHelperSettings(),
    clearCachedAudio: () => library?.library.cache.forgetDocument(HELPER_AUDIO_OWNER) ?? 0,
  });
  const grants = new FileGrants();
  const documents = new DocumentService(
    options.importWorker,
    texts,
    grants,
    library
      ? {
          register: (document, path, extras) => library.registerOpened(document, path, extras),
          pathOf: (documentId) => library.pathOf(documentId),
          storedDocument: (documentId) => library.storedDocument(documentId),
        }
      : undefined,
  );
  const exports = library
    ? new ExportService({
        engine,
        jobs: library.library.exportJobs,
        pathOf: (documentId) => library.pathOf(documentId),
        storedDocument: (documentId) => library.storedDocument(documentId),
        importWorker: options.importWorker,
        grants,
        chooseTarget: options.chooseExportTarget,
        showInFolder: options.showInFolder,
        broadcast: (job) => options.onExportProgress?.(job),
        log,
      })
    : undefined;
  const lexicon = library ? new LexiconService(library.library.lexicon, () => sendLexicon(engine, library, log)) : undefined;
  const { chooseFile } = options;
  const modelDir = options.engineConfig?.modelDir;
  // A model installed from the window is picked up at once: the engine reads its folder again.
  const models = modelDir
    ? new ModelService({
        dir: modelDir,
        onInstalled: () => engine.reload(),
        log,
        ...(options.modelManifest ? { manifest: options.modelManifest } : {}),
        ...(options.chooseFolder ? { chooseFolder: options.chooseFolder } : {}),
      })
    : undefined;
  return {
    engine,
    reader,
    documents,
    library,
    exports,
    grants,
    helper,
    handlers: {
      ...helper.handlers,
      ...(exports?.handlers ?? withoutExports),
      ...reader.handlers,
      ...documents.handlers,
      ...(library?.handlers ?? withoutLibrary),
      ...(lexicon?.handlers ?? withoutLexicon),
      ...(models?.handlers ?? withoutModelFolder),
      ...viewSettingsHandlers(library ? libraryViewSettings(library.library.db) : memoryViewSettings(), options.onViewSettings),
      ...modelSettingsHandlers(modelSettings, (kokoro) => engine.reconfigureKokoro(kokoro)),
      'voices:blend': async (params) => {
        if (!library) throw AppError.of('LIBRARY_UNAVAILABLE', '(so blends cannot be saved)');
        return library.saveBlend(params.name, params.formula, await reader.voices());
      },
      'voices:blend-delete': async (params) => {
        if (!library) throw AppError.of('LIBRARY_UNAVAILABLE', '(so there are no saved blends)');
        return { removed: library.deleteBlend(params.id, await reader.voices()) };
      },
      'library:keep': (params, client) => {
        if (!library) return Promise.reject(AppError.of('LIBRARY_UNAVAILABLE', '(so the text cannot be kept)'));
        return Promise.resolve(library.keepText(texts.get(client, params.textId), params.title));
      },
      'dialog:open': async (_params, client) => {
        if (!chooseFile) throw AppError.of('NO_FILE_DIALOG');
        const path = await chooseFile(client);
        return path === undefined ? null : grants.grant(client, path);
      },
    } satisfies Handlers,
    disconnect(client) {
      reader.disconnect(client);
      documents.cancel(client);
      grants.drop(client);
      models?.disconnect(client);
      helper.disconnect(client);
    },
    dispose() {
      helper.dispose();
      exports?.dispose();
      engine.dispose();
      library?.close();
    },
  };
}

/**
 * The library's channels when there is no library (no data folder, or it could not be opened):
 * reading works, nothing is remembered, and each call says so with a catalogue error.
 */
const noLibrary = (): Promise<never> => Promise.reject(AppError.of('LIBRARY_UNAVAILABLE'));
const withoutLibrary: LibraryService['handlers'] = {
  'library:recent': noLibrary,
  'library:position': noLibrary,
  'library:remove': noLibrary,
  'library:list': noLibrary,
  'library:cover': noLibrary,
  'bookmarks:list': noLibrary,
  'bookmarks:add': noLibrary,
  'bookmarks:remove': noLibrary,
  'prefs:get': noLibrary,
  'prefs:set': noLibrary,
};

const withoutLexicon: LexiconService['handlers'] = {
  'lexicon:list': noLibrary,
  'lexicon:set': noLibrary,
  'lexicon:delete': noLibrary,
  'lexicon:import': noLibrary,
  'lexicon:export': noLibrary,
};

/** Exports are of library documents, and the queue is kept in the library. */
const withoutExports: ExportService['handlers'] = {
  'export:target': noLibrary,
  'export:start': noLibrary,
  'export:cancel': noLibrary,
  'export:list': noLibrary,
  'export:reveal': noLibrary,
};

/** The models channels when no model folder is set (tests, or a build without one). */
const noModelFolder = (): Promise<never> => Promise.reject(AppError.of('MODEL_MISSING', '(no model folder is set for this app)'));
const withoutModelFolder: ModelService['handlers'] = {
  'models:list': noModelFolder,
  'models:download': noModelFolder,
  'models:cancel': noModelFolder,
  'models:import': noModelFolder,
  'models:verify': noModelFolder,
  'models:doctor': noModelFolder,
};

/** The library, or none (with the reason logged) when its files cannot be opened at all. */
function openLibrary(dataDir: string, log: (line: string) => void, notices: string[]): LibraryService | undefined {
  try {
    return new LibraryService(Library.open({ dataDir, voiceDefaults: { voice: '', speed: 1, engine: 'espeak' }, onProblem: (problem) => log(`library: ${problem.message}`) }));
  } catch (thrown) {
    const error = toErrorData(thrown);
    log(`library unavailable: ${error.message}`);
    // A native module built for Node rather than Electron: say how to fix it, not just that it failed.
    const wrongBuild = /NODE_MODULE_VERSION|was compiled against a different/.test(error.message);
    const why = wrongBuild ? 'The database module is built for Node, not Electron: run `npx electron-builder install-app-deps`, then restart.' : describeError(error);
    notices.push(`${why} Reading works, but nothing is remembered this session.`);
    return undefined;
  }
}

function sendLexicon(engine: EngineSupervisor, library: LibraryService, log: (line: string) => void): void {
  engine.request('lexicon', { entries: library.library.lexicon.list() }).result.catch((thrown: unknown) => log(`lexicon not sent to the engine: ${toErrorData(thrown).message}`));
}
