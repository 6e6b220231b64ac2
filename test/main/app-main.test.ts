import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ImportedDocument } from '../../src-shared/document/model';
import type { MainHandle } from '../../src-main/electron/app-main';
import { APP_ORIGIN } from '../../src-main/electron/app-main';
import type { EngineStatus, FileGrant } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/ipc/result';
import { AUDIO_PORT_CHANNEL } from '../../src-shared/ipc/audio-port';
import type { AudioMessage } from '../../src-shared/ipc/audio-port';
import type { VoiceInfo } from '../../src-shared/speech/types';
import { FakeBrowserWindow, FakeWebContents } from './fake-electron';
import type { createFakeElectron } from './fake-electron';
import { startFakeMain } from './fake-main';

let fake: ReturnType<typeof createFakeElectron>;
let main: MainHandle;
let win: FakeBrowserWindow;

beforeAll(async () => {
  ({ fake, main, win } = await startFakeMain());
});

afterAll(() => {
  fake?.app.emit('will-quit');
});

type MenuTemplate = ReturnType<typeof createFakeElectron>['menus'][number]['template'];
/** Every role in a menu template, submenus included. */
const menuRoles = (items: MenuTemplate): string[] => items.flatMap((item) => [...(item.role ? [item.role] : []), ...menuRoles(item.submenu ?? [])]);

const trusted = () => ({ sender: win.webContents, senderFrame: { url: `${APP_ORIGIN}/index.html` } });

describe('Electron main (with a fake electron module)', () => {
  it('opens one locked-down window on the app:// page', () => {
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const prefs = win.options.webPreferences;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/preload.cjs');
    expect(win.url).toBe(`${APP_ORIGIN}/index.html`);
    expect(fake.privileged).toEqual([expect.objectContaining({ scheme: 'app' })]);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('denies window.open and navigation in every web contents', () => {
    const contents = new FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) });
      expect(prevented, event).toBe(true);
    }
  });

  it('denies every permission the page could ask for or check, our own page included', async () => {
    const session = fake.session;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'midi', 'openExternal', 'hid', 'serial']) {
      expect(await session.requestPermission(win.webContents, permission, `${APP_ORIGIN}/index.html`), permission).toBe(false);
      expect(session.checkPermission(win.webContents, permission, APP_ORIGIN), permission).toBe(false);
      expect(await session.requestPermission(win.webContents, permission, 'https://evil.example/'), permission).toBe(false);
    }
  });

  it('offers DevTools while developing (not packaged)', () => {
    expect(win.options.webPreferences.devTools).toBe(true);
    expect(menuRoles(fake.menus.at(-1)?.template ?? [])).toContain('toggleDevTools');
  });

  it('rejects IPC calls from unexpected senders with FORBIDDEN_SENDER', async () => {
    const handler = fake.handlers.get('voices:list');
    expect(handler).toBeDefined();
    const stranger = new FakeWebContents();
    const attempts = [
      { sender: win.webContents, senderFrame: { url: 'https://evil.example/' } },
      { sender: win.webContents, senderFrame: { url: 'file:///etc/passwd' } },
      { sender: win.webContents, senderFrame: null },
      { sender: stranger, senderFrame: { url: `${APP_ORIGIN}/index.html` } },
    ];
    for (const event of attempts) {
      const result = (await handler?.(event, null)) as Result<unknown>;
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('FORBIDDEN_SENDER');
    }
  });

  it('serves our window through the services and the engine process', async () => {
    const result = (await fake.handlers.get('voices:list')?.(trusted(), null)) as Result<VoiceInfo[]>;
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.map((v) => v.id)).toContain('espeak:gmw/en-US');
    expect(fake.forked).toHaveLength(1);

    const set = (await fake.handlers.get('text:set')?.(trusted(), { text: 'Hello from main.' })) as Result<{ textId: string }>;
    if (!set.ok) throw new Error(set.error.message);
    // The page has loaded: main hands it one end of a MessageChannelMain whose other end is in the engine.
    win.webContents.emit('did-finish-load');
    await expect.poll(() => win.webContents.posted.length).toBe(1);
    const [{ channel, ports } = { channel: '', ports: [] }] = win.webContents.posted;
    expect(channel).toBe(AUDIO_PORT_CHANNEL);
    const port = ports[0];
    if (!port) throw new Error('no audio port for the page');
    const audio: AudioMessage[] = [];
    port.on('message', (event: { data: AudioMessage }) => audio.push(event.data));
    port.start();

    const speak = (await fake.handlers.get('speech:speak')?.(trusted(), { textId: set.value.textId })) as Result<{ session: string }>;
    if (!speak.ok) throw new Error(speak.error.message);
    await expect.poll(() => audio.at(-1)?.kind).toBe('end');
    expect(audio.filter((m) => m.kind === 'chunk').length).toBeGreaterThan(0);
    expect(audio.every((m) => m.session === speak.value.session)).toBe(true);
    // No audio went through main's IPC to the page.
    expect(win.webContents.sent.map((m) => m.channel).filter((c) => c.startsWith('speech:'))).toEqual([]);
  });

  it('answers a failing request with error data, not a thrown error', async () => {
    const set = (await fake.handlers.get('text:set')?.(trusted(), { text: '   ' })) as Result<{ textId: string }>;
    if (!set.ok) throw new Error(set.error.message);
    const result = (await fake.handlers.get('speech:speak')?.(trusted(), { textId: set.value.textId })) as Result<unknown>;
    expect(result).toEqual({ ok: false, error: { code: 'EMPTY_TEXT', message: 'There is no text to read.' } });
  });

  it('serves the renderer over app:// with a CSP, and nothing outside its folder', async () => {
    const handle = fake.protocolHandlers.get('app');
    const page = await handle?.(new Request(`${APP_ORIGIN}/index.html`));
    expect(page?.status).toBe(200);
    expect(page?.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page?.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page?.text()).toContain('<div id="app">');
    for (const url of [`${APP_ORIGIN}/../../../etc/passwd`, `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`, 'app://elsewhere/index.html', `${APP_ORIGIN}/missing.js`]) {
      const response = await handle?.(new Request(url));
      expect(response?.status, url).toBe(404);
    }
  });

  it('has File > Open (Ctrl+O), which asks the page to pick a file', () => {
    const file = fake.menus.at(-1)?.template.find((item) => item.label === '&File');
    const open = file?.submenu?.find((item) => item.label === '&Open…');
    expect(open?.accelerator).toBe('CmdOrCtrl+O');
    const before = win.webContents.sent.length;
    open?.click?.();
    expect(win.webContents.sent.slice(before)).toEqual([{ channel: 'app:command', data: { command: 'open-file' } }]);
  });

  it('opens a document chosen in the file dialog in the import worker, with progress', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kokoro-main-open-'));
    const path = join(dir, 'notes.md');
    writeFileSync(path, '# Notes\n\nFirst.\n\n# More\n\nSecond.\n');
    fake.userPicks.push([path]);
    const chosen = (await fake.handlers.get('dialog:open')?.(trusted(), null)) as Result<FileGrant>;
    if (!chosen.ok) throw new Error(chosen.error.message);
    const before = win.webContents.sent.length;
    const result = (await fake.handlers.get('document:open')?.(trusted(), { handle: chosen.value.handle })) as Result<ImportedDocument>;
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.chapters.map((c) => c.title)).toEqual(['Notes', 'More']);
    expect(win.webContents.sent.slice(before).some((m) => m.channel === 'document:progress')).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says why the engine process ended, in the log and the engine status, and starts another', async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((line) => logged.push(String(line)) > 0);
    try {
      await main.engine.ready();
      const before = win.webContents.sent.length;
      const crashed = fake.forked.at(-1);
      process.kill(crashed?.pid ?? 0, 'SIGKILL');
      const statuses = (): EngineStatus[] => win.webContents.sent.slice(before).filter((m) => m.channel === 'engine:status').map((m) => m.data as EngineStatus);
      await expect.poll(() => statuses().at(-1)?.state).toBe('ready');
      expect(statuses()).toContainEqual({ state: 'restarting', detail: 'killed, exit code 9; restarting in 250 ms' });
      expect(logged).toContain('speech engine process gone: killed (exit code 9)\n');
      expect(fake.forked.at(-1)).not.toBe(crashed);
    } finally {
      spy.mockRestore();
    }
  });

  it('stops the engine process when the app quits', async () => {
    const child = fake.forked.at(-1);
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    fake.app.emit('will-quit');
    await exited;
    expect(main.engine.pid).toBeUndefined();
  });
});

describe('the packaged app (with a fake electron module)', () => {
  it('has no DevTools: no menu item, and the window cannot open them', async () => {
    const { fake: packaged, win: packagedWindow } = await startFakeMain({}, { packaged: true });
    try {
      await expect.poll(() => packaged.menus.length).toBe(1);
      const roles = menuRoles(packaged.menus[0]?.template ?? []);
      expect(roles).not.toContain('toggleDevTools');
      // The View menu is spelled out, since role 'viewMenu' would bring Toggle Developer Tools back.
      expect(roles).not.toContain('viewMenu');
      expect(roles).toEqual(expect.arrayContaining(['reload', 'zoomIn', 'togglefullscreen']));
      expect(packagedWindow.options.webPreferences.devTools).toBe(false);
    } finally {
      packaged.app.emit('will-quit');
    }
  });
});
