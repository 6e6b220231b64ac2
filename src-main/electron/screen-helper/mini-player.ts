/**
 * The mini player: a small always-on-top window of the same page (`#mini`), with the same
 * preload and web preferences as the reader window. It is shown with showInactive() and never
 * focused by the app, so the program the person was in keeps the keyboard. It stays focusable
 * (Electron's `focusable: false` would make Esc and Space unreachable, and on Linux takes the
 * window away from the window manager): the person can click or Alt+Tab into it.
 */
import type * as ElectronModule from 'electron';

export const MINI_PLAYER_HASH = '#mini';

export const MINI_PLAYER_OPTIONS = {
  width: 420,
  height: 220,
  minWidth: 320,
  minHeight: 160,
  alwaysOnTop: true,
  skipTaskbar: true,
  minimizable: false,
  maximizable: false,
  fullscreenable: false,
  title: 'Kokoro Reader: mini player',
} as const satisfies ElectronModule.BrowserWindowConstructorOptions;

/** One mini player, made when first needed and reused; hidden (not closed) by Esc. */
export class MiniPlayer {
  private win: ElectronModule.BrowserWindow | undefined;

  /** `open`: a new window of the page at MINI_PLAYER_HASH, its client wired like the reader's. */
  constructor(private readonly open: () => ElectronModule.BrowserWindow) {}

  get window(): ElectronModule.BrowserWindow | undefined {
    return this.win && !this.win.isDestroyed() ? this.win : undefined;
  }

  show(): void {
    const existing = this.window;
    if (existing) {
      if (!existing.isVisible()) existing.showInactive();
      return;
    }
    const win = this.open();
    this.win = win;
    win.once('ready-to-show', () => win.showInactive());
    win.on('closed', () => {
      if (this.win === win) this.win = undefined;
    });
  }

  hide(): void {
    this.window?.hide();
  }

  close(): void {
    this.window?.close();
  }
}
