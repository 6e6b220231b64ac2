/**
 * The Electron main process, kept thin: window, protocol, IPC wiring and lifecycle. All work
 * happens in services (plain Node) and the engine process. Electron is passed in rather than
 * imported, so tests can run this module with a fake `electron`.
 */
import type * as ElectronModule from 'electron';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError } from '../../src-shared/errors/catalogue';
import { AUDIO_PORT_CHANNEL } from '../../src-shared/ipc/audio-port';
import { REQUEST_CHANNELS } from '../../src-shared/ipc/contract';
import { EXPORT_FORMAT_NAMES, FORMAT_EXTENSIONS } from '../../src-shared/export/formats';
import type { ExportFormat } from '../../src-shared/export/types';
import type { FileGrant, PushChannel, PushMap } from '../../src-shared/ipc/contract';
import type { EngineConfig } from '../../src-shared/ipc/engine-config';
import { fail, settle } from '../../src-shared/ipc/result';
import { UNPACKED_MANIFEST_FILE, signedAfterPackaging, verifyUnpacked } from '../platform/unpacked-integrity';
import type { Result } from '../../src-shared/ipc/result';
import { createAppServices } from '../services/app-services';
import type { EngineSupervisor } from '../services/engine/engine-supervisor';
import type { ReaderService } from '../services/reader-service';
import type { ClientContext } from '../services/handlers';
import { dispatch } from '../services/router';
import { contentTypeOf, resolveInside } from '../services/static-files';
import { OPENABLE_EXTENSIONS } from '../services/import/detect';
import { GRANT_DROPPED_FILE } from './file-channels';
import { utilityProcessTransport } from './utility-transport';
import type { UtilityFork } from './utility-transport';
import type { ScreenHelperService } from '../services/screen-helper/screen-helper-service';
import type { HelperSettings } from '../../src-shared/screen-helper/types';
import { MINI_PLAYER_HASH, MINI_PLAYER_OPTIONS, MiniPlayer } from './screen-helper/mini-player';
import { electronShortcuts } from './screen-helper/shortcuts';
import { electronTextSource } from './screen-helper/text-source';
import { HelperTray, helperTrayActions } from './screen-helper/tray';

export type Electron = Pick<
  typeof ElectronModule,
  'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'net' | 'utilityProcess' | 'Menu' | 'MessageChannelMain' | 'session' | 'dialog' | 'shell' | 'globalShortcut' | 'Tray' | 'clipboard' | 'nativeImage'
>;

export interface MainPaths {
  rendererDir: string;
  preload: string;
  engineEntry: string;
  importWorker: string;
  /** The Kokoro model folder (shared with the CLI). */
  modelDir?: string;
  /** A folder the engine may write caches to. */
  cacheDir?: string;
  /** The library and audio cache (shared with the CLI); none: nothing is remembered. */
  dataDir?: string;
}

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://renderer`;

/**
 * The permissions the page may have: none. It plays audio with Web Audio (no permission), pastes
 * and copies through the Edit menu's native commands (no clipboard permission), picks files with
 * an <input type=file> or a drop (no permission), and never asks for camera, microphone, location,
 * notifications, fullscreen or anything else. Electron grants every request unless told otherwise.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set<string>();

/**
 * In the packaged app, the files outside the asar (native modules, WebAssembly, eSpeak's data)
 * must be the ones packaging listed (dist/unpacked-manifest.json, inside the asar). Call before
 * anything loads them; false: a file differs, and the app has said so and is quitting.
 */
export function checkInstalledFiles(electron: Pick<Electron, 'app' | 'dialog'>): boolean {
  const { app } = electron;
  if (!app.isPackaged) return true;
  const appRoot = app.getAppPath();
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(appRoot, UNPACKED_MANIFEST_FILE), 'utf8'));
  } catch {
    manifest = undefined;
  }
  // The asar's unpacked files live beside it, in app.asar.unpacked.
  const verdict = verifyUnpacked(`${appRoot}.unpacked`, manifest, signedAfterPackaging(process.platform));
  if (verdict.ok) return true;
  const message = describeError(verdict.error);
  process.stderr.write(`${message}\n`);
  electron.dialog.showErrorBox('Kokoro Reader cannot start', message);
  app.exit(1);
  return false;
}

/**
 * Stricter than the page's own meta CSP: in Electron the page needs no network at all. No inline
 * styles either: Svelte's CSS is built into a stylesheet, and its style: directives set styles
 * through CSSOM (element.style), which style-src does not govern (test/browser/csp.test.ts).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const WINDOW_WEB_PREFERENCES = {
  // A reader plays on while hidden: its audio clock and flow control must not be throttled.
  backgroundThrottling: false,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  webviewTag: false,
  spellcheck: false,
} as const;

export interface MainHandle {
  readonly engine: EngineSupervisor;
  readonly reader: ReaderService;
  /** The reader windows (the mini player is not one of them). */
  readonly windows: Set<ElectronModule.BrowserWindow>;
  readonly helper: ScreenHelperService;
  readonly miniPlayer: MiniPlayer;
  readonly tray: HelperTray;
}

export interface MainOptions {
  /** Which platform's ways to follow (the selection, quitting when the windows close); tests set it. */
  platform?: NodeJS.Platform;
}

/** The tray icon shows while the helper is on, or while the app is to stay in the tray. */
const wantsTray = (settings: HelperSettings): boolean => settings.enabled || settings.keepInTray;

export function startMain(electron: Electron, paths: MainPaths, version = '0.1.0', options: MainOptions = {}): MainHandle {
  const { app, BrowserWindow, ipcMain, protocol, net, utilityProcess } = electron;
  const platform = options.platform ?? process.platform;
  const windows = new Set<ElectronModule.BrowserWindow>();
  const clients = new Map<number, ClientContext>();
  /** Each client's window, for the file dialog it asks for. */
  const windowOf = new Map<string, ElectronModule.BrowserWindow>();

  /** Electron's folder dialog, on the asking window (importing the model): the folder chosen, or undefined. */
  const chooseFolder = async (client: ClientContext): Promise<string | undefined> => {
    const options: ElectronModule.OpenDialogOptions = { title: 'Import the Kokoro model from a folder', properties: ['openDirectory'] };
    const win = windowOf.get(client.id);
    const chosen = await (win ? electron.dialog.showOpenDialog(win, options) : electron.dialog.showOpenDialog(options));
    return chosen.canceled ? undefined : chosen.filePaths[0];
  };

  /** Electron's file dialog, on the asking window: the path the user chose, or undefined. */
  const chooseFile = async (client: ClientContext): Promise<string | undefined> => {
    const options: ElectronModule.OpenDialogOptions = {
      title: 'Open a document',
      properties: ['openFile'],
      filters: [
        { name: 'Documents', extensions: OPENABLE_EXTENSIONS },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const win = windowOf.get(client.id);
    const chosen = await (win ? electron.dialog.showOpenDialog(win, options) : electron.dialog.showOpenDialog(options));
    return chosen.canceled ? undefined : chosen.filePaths[0];
  };

  /** Electron's save dialog, on the asking window: where the user wants the export, or undefined. */
  const chooseExportTarget = async (client: ClientContext, suggestedName: string, format: ExportFormat): Promise<string | undefined> => {
    const options: ElectronModule.SaveDialogOptions = {
      title: 'Export audio',
      defaultPath: suggestedName,
      filters: [{ name: EXPORT_FORMAT_NAMES[format], extensions: FORMAT_EXTENSIONS[format].map((ending) => ending.slice(1)) }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const win = windowOf.get(client.id);
    const chosen = await (win ? electron.dialog.showSaveDialog(win, options) : electron.dialog.showSaveDialog(options));
    return chosen.canceled || !chosen.filePath ? undefined : chosen.filePath;
  };

  electron.protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

  const engineConfig: EngineConfig = {
    ...(paths.modelDir ? { modelDir: paths.modelDir } : {}),
    ...(paths.cacheDir ? { cacheDir: paths.cacheDir } : {}),
    ...(paths.dataDir ? { dataDir: paths.dataDir } : {}),
  };
  // Set while quitting from the tray: closing the last window then quits even when keepInTray is on.
  let quitting = false;
  const miniPlayer = new MiniPlayer(() => openWindow(MINI_PLAYER_OPTIONS, MINI_PLAYER_HASH));
  const services = createAppServices({
    engineTransport: utilityProcessTransport(utilityProcess.fork.bind(utilityProcess) as UtilityFork, paths.engineEntry, { app, createChannel: () => new electron.MessageChannelMain() }),
    engineConfig,
    importWorker: paths.importWorker,
    version,
    ...(paths.dataDir ? { dataDir: paths.dataDir } : {}),
    chooseFile,
    chooseFolder,
    chooseExportTarget,
    showInFolder: (path) => electron.shell.showItemInFolder(path),
    // An export outlives the window that started it: every window hears of it.
    onExportProgress: (job) => {
      for (const client of clients.values()) client.emit('export:progress', job);
    },
    onEngineStatus: (status) => {
      for (const client of clients.values()) client.emit('engine:status', status);
    },
    onViewSettings: (settings) => {
      for (const client of clients.values()) client.emit('view:changed', settings);
    },
    screenHelper: {
      textSource: electronTextSource(electron.clipboard, platform),
      shortcuts: electronShortcuts(electron.globalShortcut),
      showMiniPlayer: () => miniPlayer.show(),
      hideMiniPlayer: () => miniPlayer.hide(),
      showReaderWindow: () => showReaderWindow(),
      onState: (state) => {
        for (const client of clients.values()) client.emit('helper:state', state);
        tray.show(wantsTray(state.settings));
      },
    },
  });
  const { engine, reader } = services;
  const quitFromTray = (): void => {
    quitting = true;
    tray.destroy();
    services.helper.dispose();
    // 'will-quit' then disposes the services: the engine (and with it any speech) stops.
    app.quit();
  };
  const tray = new HelperTray(electron, helperTrayActions(services, { openReader: () => void showReaderWindow(), quit: quitFromTray }, () => tray.refresh()));

  // No page may open windows, navigate away, or embed other content.
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    // Also navigations of subframes, which will-navigate does not see.
    contents.on('will-frame-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  /** Only our own windows, showing our own page, may call the services. */
  const trustedClient = (event: ElectronModule.IpcMainInvokeEvent): ClientContext | undefined => {
    const url = event.senderFrame?.url ?? '';
    if (!url.startsWith(`${APP_ORIGIN}/`)) return undefined;
    return clients.get(event.sender.id);
  };

  for (const channel of REQUEST_CHANNELS) {
    ipcMain.handle(channel, async (event, params: unknown): Promise<Result<unknown>> => {
      const client = trustedClient(event);
      if (!client) return fail('FORBIDDEN_SENDER', `(${event.senderFrame?.url ?? 'unknown frame'})`);
      const result = await dispatch(services.handlers, channel, params, client);
      // The tray lists the starred voices and the speed: a change in the window shows there.
      if (channel === 'prefs:set') tray.refresh();
      return result;
    });
  }

  // A file the user dropped on the window (or picked with the page's file input): the preload
  // sends its path, and main grants a handle for it. Why main trusts this path and no other:
  // the page's own scripts cannot reach ipcRenderer (contextIsolation), only `window.api`, whose
  // grantFile takes a File and asks Electron for its path (webUtils.getPathForFile). A File the
  // page makes itself (new File([...], '/etc/passwd')) has no path on disk, so the page can only
  // get handles for files the user picked or dropped. `invoke` cannot reach this channel (it is
  // not in the contract). A renderer process taken over by an exploit could send any IPC, and
  // nothing in main can tell it from the preload's; that case is left to Chromium's sandbox.
  ipcMain.handle(GRANT_DROPPED_FILE, async (event, path: unknown): Promise<Result<FileGrant>> => {
    const client = trustedClient(event);
    if (!client) return fail('FORBIDDEN_SENDER', `(${event.senderFrame?.url ?? 'unknown frame'})`);
    if (typeof path !== 'string' || path.length === 0 || path.length > 4096) return fail('FILE_NOT_CHOSEN', '(no path for the dropped file)');
    return settle(() => services.grants.grantDropped(client, path));
  });

  /**
   * A window of the app's page, its client wired to the services: the reader window and the
   * mini player differ only in size, manner and the page's hash. The same web preferences and
   * preload for both; the CSP comes with every app:// response.
   */
  const openWindow = (shape: ElectronModule.BrowserWindowConstructorOptions, hash = ''): ElectronModule.BrowserWindow => {
    const win = new BrowserWindow({
      // Hidden until shown as each window wants (the reader when ready, the mini player inactive), on the page's own background.
      show: false,
      backgroundColor: '#fbfaf7',
      ...shape,
      // DevTools only while developing: an installed app has no way to open them.
      webPreferences: { ...WINDOW_WEB_PREFERENCES, devTools: !app.isPackaged, preload: paths.preload },
    });
    const contents = win.webContents;
    const id = contents.id;
    const client: ClientContext = {
      id: `wc${id}`,
      emit<E extends PushChannel>(event: E, data: PushMap[E]) {
        if (!contents.isDestroyed()) contents.send(event, data);
      },
    };
    clients.set(id, client);
    windowOf.set(client.id, win);
    // A reload or a crashed renderer leaves its sessions and imports behind: end them.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) services.disconnect(client);
    });
    contents.on('render-process-gone', () => services.disconnect(client));
    // Each loaded page gets its own audio channel to the engine (again after an engine restart):
    // one end of a MessageChannelMain is in the engine process, this one goes to the page.
    let detachAudio: (() => void) | undefined;
    contents.on('did-finish-load', () => {
      detachAudio?.();
      detachAudio = engine.attachAudio(client.id, (end) => {
        const port = end.kind === 'port' ? (end.port as ElectronModule.MessagePortMain) : undefined;
        if (port && !contents.isDestroyed()) contents.postMessage(AUDIO_PORT_CHANNEL, null, [port]);
        else port?.close();
      });
    });
    win.on('closed', () => {
      clients.delete(id);
      windowOf.delete(client.id);
      detachAudio?.();
      services.disconnect(client);
    });
    void win.loadURL(`${APP_ORIGIN}/index.html${hash}`);
    return win;
  };

  const createWindow = (): ElectronModule.BrowserWindow => {
    const win = openWindow({ width: 1040, height: 780, minWidth: 560, minHeight: 400, title: 'Kokoro Reader' });
    windows.add(win);
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      windows.delete(win);
      // Without the tray, the mini player must not keep the app alive once the reader is closed.
      if (windows.size === 0 && !services.helper.state().settings.keepInTray) miniPlayer.close();
    });
    return win;
  };

  /** The reader window brought forward (made when there is none, as after living in the tray), once its page listens. */
  const showReaderWindow = async (): Promise<ClientContext | undefined> => {
    const [existing] = windows;
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return clients.get(existing.webContents.id);
    }
    const win = createWindow();
    const client = clients.get(win.webContents.id);
    await new Promise<void>((resolve) => {
      win.webContents.once('did-finish-load', () => resolve());
      win.once('closed', () => resolve());
    });
    return win.isDestroyed() ? undefined : client;
  };

  // main.ts holds the single-instance lock by now; a second start shows this instance's window.
  app.on('second-instance', () => void showReaderWindow());

  /** The app menu; File > Open asks the focused page to open a file (the page asks main for the dialog). */
  const buildMenu = (): void => {
    const sendToFocused = (command: 'open-file' | 'export'): void => {
      const target = [...windows].find((w) => w.isFocused()) ?? [...windows][0];
      if (target) clients.get(target.webContents.id)?.emit('app:command', { command });
    };
    const template: ElectronModule.MenuItemConstructorOptions[] = [
      {
        label: '&File',
        submenu: [
          { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: () => sendToFocused('open-file') },
          { label: '&Export Audio…', accelerator: 'CmdOrCtrl+E', click: () => sendToFocused('export') },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      // viewMenu's own items, with Toggle Developer Tools only in development.
      {
        label: '&View',
        submenu: [
          { role: 'reload' },
          { role: 'forceReload' },
          ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
          { type: 'separator' },
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      },
      { role: 'windowMenu' },
    ];
    electron.Menu.setApplicationMenu(electron.Menu.buildFromTemplate(template));
  };

  void app.whenReady().then(() => {
    buildMenu();
    // Asked when a page requests a permission, and when it checks whether it has one.
    const ours = (url: string): boolean => url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
    const allowed = (permission: string, url: string): boolean => ALLOWED_PERMISSIONS.has(permission) && ours(url);
    electron.session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(allowed(permission, details.requestingUrl)));
    electron.session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowed(permission, requestingOrigin));
    protocol.handle(APP_SCHEME, async (request) => {
      const url = new URL(request.url);
      const file = url.host === 'renderer' ? resolveInside(paths.rendererDir, url.pathname) : undefined;
      const isFile = file ? await stat(file).then((info) => info.isFile(), () => false) : false;
      if (!file || !isFile) return new Response('not found', { status: 404 });
      const response = await net.fetch(pathToFileURL(file).toString());
      return new Response(response.body, {
        status: response.status,
        headers: { 'content-type': contentTypeOf(file), 'content-security-policy': CONTENT_SECURITY_POLICY },
      });
    });
    // Start the engine while the window loads, so the first Play does not wait for it.
    engine.ready().catch(() => undefined);
    createWindow();
    services.helper.start();
    tray.show(wantsTray(services.helper.state().settings));
    app.on('activate', () => {
      if (windows.size === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    // Kept in the tray: the shortcuts and the tray menu go on working without a window.
    if (services.helper.state().settings.keepInTray && !quitting) return;
    if (platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    tray.destroy();
    services.dispose();
  });

  return { engine, reader, windows, helper: services.helper, miniPlayer, tray };
}
