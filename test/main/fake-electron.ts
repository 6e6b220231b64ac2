import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * A stand-in for the parts of `electron` the main process uses. It records what main asks
 * for (windows, handlers, protocol) and runs the engine for real: `utilityProcess.fork`
 * starts the same engine bundle as a Node child process.
 */
export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; data: unknown }[] = [];
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  isDestroyed(): boolean {
    return false;
  }
  send(channel: string, data: unknown): void {
    this.sent.push({ channel, data });
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
  constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isFocused(): boolean {
    return true;
  }
}

class FakeUtilityProcess extends EventEmitter {
  private readonly child;
  constructor(entry: string) {
    super();
    this.child = fork(entry, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child.on('message', (message) => this.emit('message', message));
    this.child.on('exit', (code) => this.emit('exit', code ?? 1));
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }
  kill(): boolean {
    return this.child.kill('SIGKILL');
  }
}

interface MenuItem {
  label?: string;
  accelerator?: string;
  role?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

export function createFakeElectron() {
  FakeBrowserWindow.instances = [];
  const app = Object.assign(new EventEmitter(), {
    quitCalled: false,
    whenReady: () => Promise.resolve(),
    requestSingleInstanceLock: () => true,
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
  const electron = {
    Menu: {
      buildFromTemplate: (template: MenuItem[]) => ({ template }),
      setApplicationMenu(menu: { template: MenuItem[] }) {
        menus.push(menu);
      },
    },
    app,
    BrowserWindow: FakeBrowserWindow,
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
      fork(entry: string) {
        const child = new FakeUtilityProcess(entry);
        forked.push(child);
        return child;
      },
    },
  };
  return { electron, app, handlers, protocolHandlers, privileged, forked, menus };
}
