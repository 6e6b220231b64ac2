import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FramedSocket } from '../../src-main/platform/framed-socket';
import { createSocketPair } from '../../src-main/platform/socket-pair';

/**
 * Electron's MessagePortMain, as documented: Node-style 'message' events carrying `{data, ports}`,
 * messages queued until start(), 'close' on both ends when either closes. Only ports may be
 * transferred (electron/electron#34905): anything else in a transfer list throws.
 */
export class FakeMessagePortMain extends EventEmitter {
  peer: FakeMessagePortMain | undefined;
  private started = false;
  private closed = false;
  private readonly queue: unknown[] = [];
  postMessage(message: unknown, transfer: unknown[] = []): void {
    if (transfer.some((t) => !(t instanceof FakeMessagePortMain))) throw new TypeError('Port at index 0 is not a valid port');
    if (this.closed) return;
    this.peer?.receive(structuredClone(message));
  }
  start(): void {
    this.started = true;
    for (const message of this.queue.splice(0)) this.emit('message', { data: message, ports: [] });
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
    this.peer?.close();
  }
  private receive(message: unknown): void {
    if (this.closed) return;
    if (this.started) this.emit('message', { data: message, ports: [] });
    else this.queue.push(message);
  }
}

export class FakeMessageChannelMain {
  readonly port1 = new FakeMessagePortMain();
  readonly port2 = new FakeMessagePortMain();
  constructor() {
    this.port1.peer = this.port2;
    this.port2.peer = this.port1;
  }
}

/**
 * A stand-in for the parts of `electron` the main process uses. It records what main asks
 * for (windows, handlers, protocol) and runs the engine for real: `utilityProcess.fork`
 * starts the same engine bundle as a Node child process.
 */
export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; data: unknown }[] = [];
  /** What main sent with webContents.postMessage, ports included (the page would get them as MessagePorts). */
  readonly posted: { channel: string; message: unknown; ports: FakeMessagePortMain[] }[] = [];
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  isDestroyed(): boolean {
    return false;
  }
  send(channel: string, data: unknown): void {
    this.sent.push({ channel, data });
  }
  postMessage(channel: string, message: unknown, transfer: unknown[] = []): void {
    if (transfer.some((t) => !(t instanceof FakeMessagePortMain))) throw new TypeError('Port at index 0 is not a valid port');
    this.posted.push({ channel, message, ports: transfer as FakeMessagePortMain[] });
    this.emit('posted');
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  url = '';
  shown = false;
  /** How the window was brought up, in order: 'show' (takes the focus), 'showInactive' (does not), 'focus', 'hide'. */
  readonly calls: string[] = [];
  alwaysOnTop: boolean;
  private destroyed = false;
  constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
    super();
    this.alwaysOnTop = options.alwaysOnTop === true;
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
    this.calls.push('show');
  }
  /** As documented: shows the window but does not give it the focus. */
  showInactive(): void {
    this.shown = true;
    this.calls.push('showInactive');
  }
  hide(): void {
    this.shown = false;
    this.calls.push('hide');
  }
  isVisible(): boolean {
    return this.shown;
  }
  focus(): void {
    this.calls.push('focus');
  }
  setAlwaysOnTop(flag: boolean): void {
    this.alwaysOnTop = flag;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isFocused(): boolean {
    return true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** As Electron: the window goes, and 'closed' follows. */
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.shown = false;
    this.emit('closed');
  }
  /** The page finished loading (its scripts listen for pushes from now on). */
  finishLoad(): void {
    this.webContents.emit('did-finish-load');
  }
}

/**
 * Electron's globalShortcut, as documented: register() returns false when the accelerator is
 * taken (by another program, `heldElsewhere`, or already by this app) and throws for an
 * accelerator it cannot parse; isRegistered() is false for a key another program holds.
 */
export class FakeGlobalShortcut {
  /** Accelerators other programs hold (the test plays those programs). */
  readonly heldElsewhere = new Set<string>();
  private readonly registered = new Map<string, () => void>();
  register(accelerator: string, callback: () => void): boolean {
    const key = parseAccelerator(accelerator);
    if (this.heldElsewhere.has(key) || this.registered.has(key)) return false;
    this.registered.set(key, callback);
    return true;
  }
  isRegistered(accelerator: string): boolean {
    return this.registered.has(parseAccelerator(accelerator));
  }
  unregister(accelerator: string): void {
    this.registered.delete(parseAccelerator(accelerator));
  }
  unregisterAll(): void {
    this.registered.clear();
  }
  /** The person presses the keys: the app's callback runs if it holds them. */
  press(accelerator: string): boolean {
    const callback = this.registered.get(parseAccelerator(accelerator));
    callback?.();
    return callback !== undefined;
  }
  get count(): number {
    return this.registered.size;
  }
}

const MODIFIERS = new Set(['command', 'cmd', 'control', 'ctrl', 'commandorcontrol', 'cmdorctrl', 'alt', 'option', 'altgr', 'shift', 'super', 'meta']);
const NAMED_KEYS = new Set(['plus', 'space', 'tab', 'capslock', 'numlock', 'scrolllock', 'backspace', 'delete', 'insert', 'return', 'enter', 'up', 'down', 'left', 'right', 'home', 'end', 'pageup', 'pagedown', 'escape', 'esc', 'volumeup', 'volumedown', 'volumemute', 'medianexttrack', 'mediaprevioustrack', 'mediastop', 'mediaplaypause', 'printscreen']);

/** Electron's accelerator grammar, enough to tell a valid key combination from one it rejects. */
function parseAccelerator(accelerator: string): string {
  const parts = accelerator.split('+');
  const key = parts.at(-1)?.toLowerCase() ?? '';
  const modifiers = parts.slice(0, -1).map((part) => part.toLowerCase());
  const validKey = /^[a-z0-9]$/.test(key) || /^f([1-9]|1[0-9]|2[0-4])$/.test(key) || NAMED_KEYS.has(key) || /^[)!@#$%^&*(:;:+=<,_\->.?/~`{\][|\\}"']$/.test(key);
  if (accelerator === '' || !validKey || modifiers.some((m) => !MODIFIERS.has(m))) throw new Error(`Error processing argument at index 0, conversion failure from ${accelerator}`);
  return [...modifiers.map((m) => (m === 'cmdorctrl' ? 'commandorcontrol' : m)).sort(), key].join('+');
}

/** A NativeImage from a data URL: empty unless it is one (as Electron's createFromDataURL). */
export class FakeNativeImage {
  constructor(readonly dataURL: string) {}
  isEmpty(): boolean {
    return !/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+=*$/.test(this.dataURL);
  }
}

interface TrayMenu {
  template: MenuItem[];
}

/** Electron's Tray: an icon with a context menu and a tooltip; 'click' when the person clicks it. */
export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  menu: TrayMenu | null = null;
  toolTip = '';
  private destroyed = false;
  constructor(readonly image: FakeNativeImage) {
    super();
    FakeTray.instances.push(this);
  }
  setContextMenu(menu: TrayMenu | null): void {
    this.menu = menu;
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Clicks the menu item at this path of labels ('Speed', '1.5×'), as the person would. */
  clickItem(...labels: string[]): void {
    let items = this.menu?.template ?? [];
    let item: MenuItem | undefined;
    for (const label of labels) {
      item = items.find((candidate) => candidate.label === label);
      if (!item) throw new Error(`no menu item ${labels.join(' > ')}`);
      items = item.submenu ?? [];
    }
    if (item?.enabled === false) throw new Error(`${labels.join(' > ')} is disabled`);
    item?.click?.();
  }
}

/** One of Electron's clipboards (the clipboard, or Linux's selection): asynchronous, as since Electron 45. */
export class FakeClipboardBoard {
  text = '';
  /** MIME types on it besides text (an image: 'image/png'). */
  otherTypes: string[] = [];
  readText(): Promise<string> {
    return Promise.resolve(this.text);
  }
  read(): Promise<{ types: string[] }[]> {
    const types = [...(this.text ? ['text/plain'] : []), ...this.otherTypes];
    return Promise.resolve(types.length > 0 ? [{ types }] : []);
  }
  writeText(text: string): Promise<void> {
    this.text = text;
    this.otherTypes = [];
    return Promise.resolve();
  }
  /** What a copy of an image leaves: no text, an image type. */
  holdImage(): void {
    this.text = '';
    this.otherTypes = ['image/png'];
  }
}

export class FakeClipboard extends FakeClipboardBoard {
  /** Linux's PRIMARY selection (Electron has it on Linux only; this fake has it always). */
  readonly selection = new FakeClipboardBoard();
}

/** How Chromium classes a child's end on POSIX (base::GetTerminationStatus); others count as normal. */
const CRASH_SIGNALS = new Set(['SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGSEGV', 'SIGTRAP', 'SIGSYS']);
const KILL_SIGNALS = new Set(['SIGINT', 'SIGKILL', 'SIGTERM']);

class FakeUtilityProcess extends EventEmitter {
  private readonly child;
  private killedByElectron = false;
  /**
   * As Electron: 'exit' with the exit code (a signal's number on POSIX; 0 after its own kill()),
   * then, for an abnormal end, the app's 'child-process-gone' with the reason and the process's name.
   */
  constructor(entry: string, app: EventEmitter, name: string) {
    super();
    this.child = fork(entry, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child.on('message', (message) => this.emit('message', message));
    this.child.on('exit', (code, signal) => {
      const exitCode = code ?? (signal ? constants.signals[signal] : 1);
      this.emit('exit', this.killedByElectron ? 0 : exitCode);
      const reason = signal ? (CRASH_SIGNALS.has(signal) ? 'crashed' : KILL_SIGNALS.has(signal) ? 'killed' : undefined) : code !== 0 ? 'abnormal-exit' : undefined;
      if (reason) app.emit('child-process-gone', { preventDefault: () => undefined }, { type: 'Utility', reason, exitCode, serviceName: 'node.mojom.NodeService', name });
    });
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  /** Messages keep their order, also behind one that transfers a port (which takes a moment here). */
  private sending: Promise<void> = Promise.resolve();

  /**
   * As Electron's utilityProcess.postMessage(message, [ports]). The engine runs as a Node child
   * here, so a transferred port reaches it as the child-process engine takes one: a socket
   * handle, relayed to the port.
   */
  postMessage(message: unknown, transfer: unknown[] = []): void {
    if (transfer.some((t) => !(t instanceof FakeMessagePortMain))) throw new TypeError('Port at index 0 is not a valid port');
    const [port] = transfer as FakeMessagePortMain[];
    this.sending = this.sending.then(async () => {
      if (!this.child.connected) return;
      if (!port) {
        this.child.send(message as object);
        return;
      }
      const [toEngine, ours] = await createSocketPair();
      this.child.send(message as object, toEngine);
      const relay = new FramedSocket(ours);
      relay.onMessage((data) => port.postMessage(data));
      port.on('message', (event: { data: unknown }) => relay.send(event.data));
      port.on('close', () => relay.close());
      port.start();
    });
  }
  /** Electron's kill(): SIGTERM on POSIX. */
  kill(): boolean {
    this.killedByElectron = true;
    return this.child.kill('SIGTERM');
  }
}

/**
 * Electron's single-instance lock, shared by the fake apps that stand for instances of one app.
 * As documented for `app.requestSingleInstanceLock(additionalData)`: the first caller gets it;
 * a later caller gets false, and the holder is then sent 'second-instance' (event, argv,
 * workingDirectory, additionalData). That event crosses processes, so it comes asynchronously.
 */
export class FakeInstanceLock {
  holder: EventEmitter | undefined;
}

export interface FakeElectronOptions {
  /** Shared by the fakes that play several instances of the app (default: a lock of its own). */
  instanceLock?: FakeInstanceLock;
  /** False: `whenReady()` never resolves, for tests of what happens before the app is ready. */
  ready?: boolean;
  /** `app.isPackaged` (default false, as when run from the project). */
  packaged?: boolean;
  /** `app.getAppPath()`: in a packaged app, the app.asar file (default: the working folder). */
  appPath?: string;
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string; isMainFrame: boolean }) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string; isMainFrame: boolean; securityOrigin?: string }) => boolean;

/**
 * Electron's session permission handlers. As documented: without a request handler every
 * request is granted, and without a check handler every check answers true; a handler's answer
 * (the callback's argument, the return value) decides otherwise.
 */
export class FakeSession {
  private requestHandler: PermissionRequestHandler | null = null;
  private checkHandler: PermissionCheckHandler | null = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.checkHandler = handler;
  }
  /** What Chromium does when a page asks for `permission` (e.g. getUserMedia asks for 'media'). */
  requestPermission(contents: unknown, permission: string, requestingUrl: string): Promise<boolean> {
    const handler = this.requestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(contents, permission, resolve, { requestingUrl, isMainFrame: true }));
  }
  /** What Chromium does when a page checks a permission (e.g. navigator.permissions.query). */
  checkPermission(contents: unknown, permission: string, requestingOrigin: string): boolean {
    return this.checkHandler ? this.checkHandler(contents, permission, requestingOrigin, { requestingUrl: `${requestingOrigin}/`, isMainFrame: true, securityOrigin: requestingOrigin }) : true;
  }
}

/** The options main gives `dialog.showOpenDialog` (the part of Electron's OpenDialogOptions used). */
export interface FakeOpenDialogOptions {
  title?: string;
  properties?: string[];
  filters?: { name: string; extensions: string[] }[];
}

/** The options main gives `dialog.showSaveDialog` (the part of Electron's SaveDialogOptions used). */
export interface FakeSaveDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: { name: string; extensions: string[] }[];
  properties?: string[];
}

/**
 * Electron's `webUtils` as documented: `getPathForFile(file)` is the path on disk behind a File
 * the user dropped or picked; a File constructed in JS has none (''), and anything that is not
 * a File throws. `userFile(path)` plays the browser giving the page a File for a file on disk.
 */
export class FakeWebUtils {
  private readonly onDisk = new WeakMap<File, string>();
  getPathForFile = (file: File): string => {
    if (!(file instanceof File)) throw new TypeError('Error processing argument at index 0, conversion failure from ');
    return this.onDisk.get(file) ?? '';
  };
  userFile(path: string, contents: string): File {
    const file = new File([contents], path.split(/[\\/]/).at(-1) ?? path);
    this.onDisk.set(file, path);
    return file;
  }
}

interface MenuItem {
  label?: string;
  accelerator?: string;
  role?: string;
  type?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItem[];
}

export function createFakeElectron(options: FakeElectronOptions = {}) {
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  const globalShortcut = new FakeGlobalShortcut();
  const clipboard = new FakeClipboard();
  const instanceLock = options.instanceLock ?? new FakeInstanceLock();
  const app = Object.assign(new EventEmitter(), {
    quitCalled: false,
    exitCode: undefined as number | undefined,
    isPackaged: options.packaged ?? false,
    getAppPath: () => options.appPath ?? process.cwd(),
    /** Electron's exit(): quits at once, without 'before-quit' or 'will-quit'. */
    exit(code = 0) {
      app.exitCode = code;
    },
    whenReady: () => (options.ready === false ? new Promise<void>(() => undefined) : Promise.resolve()),
    requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
      const holder = instanceLock.holder;
      if (holder === undefined || holder === app) {
        instanceLock.holder = app;
        return true;
      }
      setImmediate(() => holder.emit('second-instance', { preventDefault: () => undefined }, process.argv, process.cwd(), additionalData));
      return false;
    },
    hasSingleInstanceLock: () => instanceLock.holder === app,
    releaseSingleInstanceLock() {
      if (instanceLock.holder === app) instanceLock.holder = undefined;
    },
    quit() {
      app.quitCalled = true;
    },
    getVersion: () => '0.0.0-test',
  });
  const handlers = new Map<string, (event: unknown, params: unknown) => Promise<unknown>>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const privileged: unknown[] = [];
  const forked: FakeUtilityProcess[] = [];
  const menus: { template: MenuItem[] }[] = [];
  const session = new FakeSession();
  const errorBoxes: { title: string; content: string }[] = [];
  /** Every file dialog main showed: the window it was shown on (none: a free dialog), and its options. */
  const dialogs: { window: FakeBrowserWindow | undefined; options: FakeOpenDialogOptions }[] = [];
  /** What the user picks in the next dialogs, in order: the chosen paths, or [] to cancel. */
  const userPicks: string[][] = [];
  /** Every save dialog main showed, and what the user names in the next ones ('' to cancel). */
  const saveDialogs: { window: FakeBrowserWindow | undefined; options: FakeSaveDialogOptions }[] = [];
  const userSaves: string[] = [];
  /** The files main asked the file manager to show. */
  const shownInFolder: string[] = [];
  const webUtils = new FakeWebUtils();
  const electron = {
    session: { defaultSession: session },
    dialog: {
      showErrorBox(title: string, content: string) {
        errorBoxes.push({ title, content });
      },
      /**
       * As documented: `showOpenDialog([window, ]options)` resolves `{canceled, filePaths}`,
       * with an empty `filePaths` when the user cancels. The test plays the user (`userPicks`).
       */
      showOpenDialog(windowOrOptions: FakeBrowserWindow | FakeOpenDialogOptions, options?: FakeOpenDialogOptions) {
        const window = windowOrOptions instanceof FakeBrowserWindow ? windowOrOptions : undefined;
        dialogs.push({ window, options: options ?? (windowOrOptions as FakeOpenDialogOptions) });
        const filePaths = userPicks.shift() ?? [];
        return Promise.resolve({ canceled: filePaths.length === 0, filePaths });
      },
      /**
       * As documented: `showSaveDialog([window, ]options)` resolves `{canceled, filePath}`, with
       * `filePath` an empty string when the user cancels. The test plays the user (`userSaves`).
       */
      showSaveDialog(windowOrOptions: FakeBrowserWindow | FakeSaveDialogOptions, options?: FakeSaveDialogOptions) {
        const window = windowOrOptions instanceof FakeBrowserWindow ? windowOrOptions : undefined;
        saveDialogs.push({ window, options: options ?? (windowOrOptions as FakeSaveDialogOptions) });
        const filePath = userSaves.shift() ?? '';
        return Promise.resolve({ canceled: filePath === '', filePath });
      },
    },
    shell: {
      /** As documented: shows the file in the system's file manager; returns nothing. */
      showItemInFolder(fullPath: string): void {
        shownInFolder.push(fullPath);
      },
    },
    Menu: {
      buildFromTemplate: (template: MenuItem[]) => ({ template }),
      setApplicationMenu(menu: { template: MenuItem[] }) {
        menus.push(menu);
      },
    },
    app,
    BrowserWindow: FakeBrowserWindow,
    globalShortcut,
    clipboard,
    Tray: FakeTray,
    nativeImage: { createFromDataURL: (dataURL: string) => new FakeNativeImage(dataURL) },
    MessageChannelMain: FakeMessageChannelMain,
    ipcMain: {
      handle(channel: string, handler: (event: unknown, params: unknown) => Promise<unknown>) {
        handlers.set(channel, handler);
      },
    },
    protocol: {
      registerSchemesAsPrivileged(schemes: unknown[]) {
        privileged.push(...schemes);
      },
      handle(scheme: string, handler: (request: Request) => Promise<Response>) {
        protocolHandlers.set(scheme, handler);
      },
    },
    net: {
      async fetch(url: string) {
        return new Response(await readFile(fileURLToPath(url)));
      },
    },
    utilityProcess: {
      fork(entry: string, _args?: string[], options?: { serviceName?: string }) {
        const child = new FakeUtilityProcess(entry, app, options?.serviceName ?? 'Node Utility Process');
        forked.push(child);
        return child;
      },
    },
  };
  /**
   * The renderer side of `electron` for a preload in a window (contextBridge, ipcRenderer,
   * webUtils): `invoke` reaches main's ipcMain handlers as from that window's page, and what
   * the preload exposes is recorded in `exposed`.
   */
  const preloadIn = (win: FakeBrowserWindow) => {
    const exposed = new Map<string, unknown>();
    const module = {
      contextBridge: {
        exposeInMainWorld(key: string, api: unknown) {
          exposed.set(key, api);
        },
      },
      ipcRenderer: {
        async invoke(channel: string, ...args: unknown[]) {
          const handler = handlers.get(channel);
          if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
          return handler({ sender: win.webContents, senderFrame: { url: win.url } }, ...(args as [unknown]));
        },
        on: () => module.ipcRenderer,
        removeListener: () => module.ipcRenderer,
      },
      webUtils,
    };
    return { module, exposed };
  };
  return { electron, app, globalShortcut, clipboard, handlers, protocolHandlers, privileged, forked, menus, session, errorBoxes, dialogs, userPicks, saveDialogs, userSaves, shownInFolder, webUtils, preloadIn };
}
