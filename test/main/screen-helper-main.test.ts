/**
 * The screen helper in the Electron shell, with the fake `electron`: global shortcuts and what
 * the person is told about them, the tray menu, the mini player window, the clipboard and the
 * selection on each platform, keeping the app in the tray, and quitting from it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../src-main/electron/app-main';
import type { MainHandle, MainOptions } from '../../src-main/electron/app-main';
import { electronTextSource } from '../../src-main/electron/screen-helper/text-source';
import type { ClipboardLike } from '../../src-main/electron/screen-helper/text-source';
import type { HelperState } from '../../src-shared/screen-helper/types';
import type { Result } from '../../src-shared/ipc/result';
import { FakeBrowserWindow, FakeClipboard, FakeTray } from './fake-electron';
import type { createFakeElectron } from './fake-electron';
import { startFakeMain } from './fake-main';

type Fake = ReturnType<typeof createFakeElectron>;
let running: { fake: Fake; main: MainHandle; win: FakeBrowserWindow } | undefined;
const dirs: string[] = [];

afterEach(() => {
  running?.fake.app.emit('will-quit');
  running = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: { library?: boolean; platform?: MainOptions['platform'] } = {}) {
  const dataDir = options.library ? mkdtempSync(join(tmpdir(), 'kokoro-helper-main-')) : undefined;
  if (dataDir) dirs.push(dataDir);
  running = await startFakeMain(dataDir ? { dataDir } : {}, {}, { platform: options.platform ?? 'linux' });
  return running;
}

/** A request from a window's page, as the preload sends it. */
async function invoke<T>(fake: Fake, win: FakeBrowserWindow, channel: string, params: unknown = null): Promise<Result<T>> {
  const handler = fake.handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler({ sender: win.webContents, senderFrame: { url: win.url } }, params)) as Result<T>;
}

const pushed = (win: FakeBrowserWindow, channel: string) => win.webContents.sent.filter((m) => m.channel === channel).map((m) => m.data);
const miniWindow = () => FakeBrowserWindow.instances.find((w) => w.url.endsWith('#mini'));

/** The mini player as its page makes it: the window comes up, loads, and its page attaches. */
async function attachedMini(fake: Fake): Promise<FakeBrowserWindow> {
  await expect.poll(miniWindow).toBeDefined();
  const mini = miniWindow() as FakeBrowserWindow;
  mini.emit('ready-to-show');
  await invoke(fake, mini, 'helper:attach');
  return mini;
}

describe('screen helper shortcuts', () => {
  it('registers every shortcut when the helper is turned on, and a key press reads the clipboard in the mini player', async () => {
    const { fake, win } = await start();
    expect(fake.globalShortcut.count).toBe(0);
    const turnedOn = await invoke<HelperState>(fake, win, 'helper:configure', { enabled: true });
    expect(turnedOn.ok && Object.values(turnedOn.value.shortcuts).map((s) => s.state)).toEqual(['registered', 'registered', 'registered', 'registered', 'registered', 'registered']);
    expect(turnedOn.ok && turnedOn.value.available).toBe(true);
    // Every window hears of it.
    expect(pushed(win, 'helper:state').at(-1)).toMatchObject({ settings: { enabled: true } });

    fake.clipboard.text = 'Read me from anywhere.';
    expect(fake.globalShortcut.press('CommandOrControl+Alt+C')).toBe(true);
    const mini = await attachedMini(fake);
    expect(pushed(mini, 'helper:read')).toEqual([{ text: 'Read me from anywhere.', source: 'clipboard' }]);
    fake.globalShortcut.press('CommandOrControl+Alt+P');
    fake.globalShortcut.press('CommandOrControl+Alt+=');
    expect(pushed(mini, 'helper:control')).toEqual([{ action: 'pause-resume' }, { action: 'faster' }]);
  });

  it('names a shortcut another program holds, and the action it was for', async () => {
    const { fake, win } = await start();
    fake.globalShortcut.heldElsewhere.add('alt+commandorcontrol+s');
    const state = await invoke<HelperState>(fake, win, 'helper:configure', { enabled: true });
    if (!state.ok) throw new Error('configure failed');
    expect(state.value.shortcuts['read-selection']).toEqual({
      accelerator: 'CommandOrControl+Alt+S',
      state: 'taken',
      message: 'CommandOrControl+Alt+S is used by another program, so “Read the selection” has no shortcut; choose another key, or free it in that program.',
    });
    expect(state.value.shortcuts['read-clipboard'].state).toBe('registered');
    expect(fake.globalShortcut.isRegistered('CommandOrControl+Alt+S')).toBe(false);
  });

  it('says which accelerator cannot be understood, and which is given twice', async () => {
    const { fake, win } = await start();
    const state = await invoke<HelperState>(fake, win, 'helper:configure', { enabled: true, shortcuts: { stop: 'Ctrl+Banana', slower: 'CommandOrControl+Alt+C' } });
    if (!state.ok) throw new Error('configure failed');
    expect(state.value.shortcuts.stop).toMatchObject({ state: 'invalid', message: expect.stringContaining('Ctrl+Banana is not a key combination the app understands, so “Stop” has no shortcut') });
    expect(state.value.shortcuts.slower).toMatchObject({ state: 'invalid', message: 'CommandOrControl+Alt+C is already the shortcut for “Read the clipboard”; choose another key for “Slower”.' });
  });

  it('registers again on a change: the old key is let go, the new one held; turning off lets all go', async () => {
    const { fake, win } = await start();
    await invoke(fake, win, 'helper:configure', { enabled: true });
    expect(fake.globalShortcut.isRegistered('CommandOrControl+Alt+X')).toBe(true);
    const changed = await invoke<HelperState>(fake, win, 'helper:configure', { shortcuts: { stop: 'F8' } });
    expect(changed.ok && changed.value.shortcuts.stop).toEqual({ accelerator: 'F8', state: 'registered' });
    expect(fake.globalShortcut.isRegistered('CommandOrControl+Alt+X')).toBe(false);
    expect(fake.globalShortcut.isRegistered('F8')).toBe(true);
    expect(fake.globalShortcut.count).toBe(6);
    const off = await invoke<HelperState>(fake, win, 'helper:configure', { enabled: false });
    expect(off.ok && off.value.shortcuts.stop.state).toBe('off');
    expect(fake.globalShortcut.count).toBe(0);
  });
});

describe('the mini player window', () => {
  it('is small and always on top, off the taskbar, shown without taking the focus, with the main window’s preferences and preload', async () => {
    const { fake, main, win } = await start();
    fake.clipboard.text = 'Some text.';
    await main.helper.read('clipboard');
    const mini = await attachedMini(fake);
    expect(mini.url).toBe(`${APP_ORIGIN}/index.html#mini`);
    expect(mini.options).toMatchObject({ width: 420, height: 220, alwaysOnTop: true, skipTaskbar: true, show: false });
    expect(mini.options.webPreferences).toEqual(win.options.webPreferences);
    expect(mini.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, preload: '/app/preload.cjs' });
    expect(mini.calls).toEqual(['showInactive']);
    // Reused: the next read neither makes another window nor takes the focus.
    await invoke(fake, mini, 'helper:hide');
    await main.helper.read('clipboard');
    expect(FakeBrowserWindow.instances.filter((w) => w.url.endsWith('#mini'))).toHaveLength(1);
    expect(mini.calls).toEqual(['showInactive', 'hide', 'showInactive']);
    expect(pushed(mini, 'helper:read')).toHaveLength(2);
  });

  it('tells the mini player when the clipboard is empty or holds an image, and cuts 5 MB of text', async () => {
    const { fake, main } = await start();
    await main.helper.read('clipboard');
    const mini = await attachedMini(fake);
    fake.clipboard.holdImage();
    await main.helper.read('clipboard');
    expect(pushed(mini, 'helper:notice').map((n) => (n as { error: { code: string } }).error.code)).toEqual(['HELPER_CLIPBOARD_EMPTY', 'HELPER_CLIPBOARD_NOT_TEXT']);
    fake.clipboard.text = 'A sentence of a huge clipboard. '.repeat(170_000);
    await main.helper.read('clipboard');
    expect(pushed(mini, 'helper:read').at(-1)).toMatchObject({ source: 'clipboard', truncatedFrom: 5_440_000 });
  });

  it('opens the mini player’s text in the reader window', async () => {
    const { fake, main, win } = await start();
    fake.clipboard.text = 'Open me.';
    await main.helper.read('clipboard');
    const mini = await attachedMini(fake);
    await invoke(fake, mini, 'helper:open-in-reader', { text: 'Open me.', fromSentence: 0 });
    expect(pushed(win, 'helper:open-text')).toEqual([{ text: 'Open me.', fromSentence: 0 }]);
    expect(pushed(mini, 'helper:open-text')).toEqual([]);
    expect(win.calls.at(-1)).toBe('focus');
  });
});

describe('the selection and the clipboard on each platform', () => {
  const clipboardWith = (clipboardText: string, selectionText: string): FakeClipboard => {
    const clipboard = new FakeClipboard();
    clipboard.text = clipboardText;
    clipboard.selection.text = selectionText;
    return clipboard;
  };

  it('reads the PRIMARY selection on Linux, without a copy', async () => {
    const source = electronTextSource(clipboardWith('copied earlier', 'selected now'), 'linux');
    expect(await source.readSelection()).toEqual({ kind: 'text', text: 'selected now' });
    expect(await source.readClipboard()).toEqual({ kind: 'text', text: 'copied earlier' });
  });

  it.each(['win32', 'darwin'] as const)('reads the clipboard after the copy as the selection on %s', async (platform) => {
    const clipboard = clipboardWith('copied by the person', 'never read here');
    const source = electronTextSource(clipboard, platform);
    expect(await source.readSelection()).toEqual({ kind: 'text', text: 'copied by the person' });
    // Electron has no selection clipboard there at all.
    const withoutSelection: ClipboardLike = { readText: () => clipboard.readText(), read: () => clipboard.read() };
    expect(await electronTextSource(withoutSelection, platform).readSelection()).toEqual({ kind: 'text', text: 'copied by the person' });
  });

  it('tells an empty selection, white space, and an image apart', async () => {
    const clipboard = clipboardWith('   \n', '');
    const source = electronTextSource(clipboard, 'linux');
    expect(await source.readSelection()).toEqual({ kind: 'empty' });
    expect(await source.readClipboard()).toEqual({ kind: 'empty' });
    clipboard.holdImage();
    expect(await source.readClipboard()).toEqual({ kind: 'not-text', formats: ['image/png'] });
  });

  it('reads the selection through the app on Linux, and says so when nothing is selected', async () => {
    const { fake, main } = await start({ platform: 'linux' });
    fake.clipboard.text = 'the clipboard';
    await main.helper.read('selection');
    const mini = await attachedMini(fake);
    expect(pushed(mini, 'helper:notice').map((n) => (n as { error: { code: string } }).error.code)).toEqual(['HELPER_SELECTION_EMPTY']);
    fake.clipboard.selection.text = 'the selection';
    await main.helper.read('selection');
    expect(pushed(mini, 'helper:read')).toEqual([{ text: 'the selection', source: 'selection' }]);
  });
});

describe('the tray', () => {
  it('shows while the helper is on, and its menu reads, pauses, stops, sets the voice and speed, opens the reader', async () => {
    const { fake, main, win } = await start({ library: true });
    expect(FakeTray.instances).toHaveLength(0);
    await invoke(fake, win, 'prefs:set', { star: 'espeak:gmw/en-GB' });
    await invoke(fake, win, 'prefs:set', { star: 'espeak:gmw/en-US' });
    await invoke(fake, win, 'helper:configure', { enabled: true });
    const tray = FakeTray.instances[0] as FakeTray;
    expect(tray.isDestroyed()).toBe(false);
    expect(tray.image.isEmpty()).toBe(false);
    expect(tray.toolTip).toBe('Kokoro Reader');
    expect(tray.menu?.template.map((item) => item.label ?? '—')).toEqual(['Read clipboard', 'Pause / Resume', 'Stop', '—', 'gmw/en-GB', 'gmw/en-US', 'Speed', '—', 'Open the reader', 'Quit Kokoro Reader']);

    fake.clipboard.text = 'From the tray.';
    tray.clickItem('Read clipboard');
    const mini = await attachedMini(fake);
    expect(pushed(mini, 'helper:read')).toEqual([{ text: 'From the tray.', source: 'clipboard' }]);
    tray.clickItem('Pause / Resume');
    tray.clickItem('Stop');
    tray.clickItem('Speed', 'Slower');
    expect(pushed(mini, 'helper:control')).toEqual([{ action: 'pause-resume' }, { action: 'stop' }, { action: 'slower' }]);

    tray.clickItem('gmw/en-US');
    tray.clickItem('Speed', '1.5×');
    const prefs = await invoke<{ voice: string; speed: number }>(fake, win, 'prefs:get');
    expect(prefs.ok && prefs.value).toMatchObject({ voice: 'espeak:gmw/en-US', speed: 1.5 });
    // The menu shows the choice.
    expect(tray.menu?.template.find((item) => item.label === 'gmw/en-US')?.checked).toBe(true);

    await invoke(fake, win, 'prefs:set', { unstar: 'espeak:gmw/en-GB' });
    expect(tray.menu?.template.map((item) => item.label)).not.toContain('gmw/en-GB');

    tray.clickItem('Open the reader');
    expect(win.calls.at(-1)).toBe('focus');
    await invoke(fake, win, 'helper:configure', { enabled: false });
    expect(tray.isDestroyed()).toBe(true);
    expect(main.tray.shown).toBe(false);
  });

  it('keeps the app in the tray when the window closes, opens the reader again from it, and quits cleanly from it', async () => {
    const { fake, main, win } = await start();
    await invoke(fake, win, 'helper:configure', { keepInTray: true, enabled: true });
    fake.clipboard.text = 'Still here.';
    await main.helper.read('clipboard');
    const mini = await attachedMini(fake);
    win.close();
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalled).toBe(false);
    expect(mini.isDestroyed()).toBe(false);
    // The shortcuts go on working with no reader window.
    expect(fake.globalShortcut.press('CommandOrControl+Alt+X')).toBe(true);
    expect(pushed(mini, 'helper:control')).toEqual([{ action: 'stop' }]);

    const tray = FakeTray.instances.at(-1) as FakeTray;
    tray.clickItem('Open the reader');
    const reopened = FakeBrowserWindow.instances.at(-1) as FakeBrowserWindow;
    expect(reopened).not.toBe(win);
    expect(reopened.url).toBe(`${APP_ORIGIN}/index.html`);
    expect([...main.windows].includes(reopened as never)).toBe(true);

    tray.clickItem('Quit Kokoro Reader');
    expect(fake.app.quitCalled).toBe(true);
    expect(tray.isDestroyed()).toBe(true);
    expect(fake.globalShortcut.count).toBe(0);
    // The last window closing while quitting quits, whatever keepInTray says.
    fake.app.quitCalled = false;
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalled).toBe(true);
  });

  it('without keepInTray, closing the reader closes the mini player too, so the app quits as before', async () => {
    const { fake, main, win } = await start();
    fake.clipboard.text = 'Bye.';
    await main.helper.read('clipboard');
    const mini = await attachedMini(fake);
    win.close();
    expect(mini.isDestroyed()).toBe(true);
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalled).toBe(true);
  });
});
