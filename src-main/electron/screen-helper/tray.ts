/**
 * The helper's tray icon and its menu: read the clipboard, pause/resume, stop, the starred
 * voices, the speed, the reader, quit. The menu is built again when what it shows changes.
 */
import type * as ElectronModule from 'electron';
import type { HelperControl } from '../../../src-shared/screen-helper/types';
import type { AppServices } from '../../services/app-services';
import { TRAY_ICON_DATA_URL } from './tray-icon';

export interface TrayActions {
  readClipboard(): void;
  control(action: HelperControl): void;
  /** The starred voices and the default voice and speed (empty without a library). */
  voices(): { starred: string[]; current: string | undefined; speed: number | undefined };
  chooseVoice(voice: string): void;
  chooseSpeed(speed: number): void;
  openReader(): void;
  quit(): void;
}

export type TrayElectron = Pick<typeof ElectronModule, 'Tray' | 'Menu' | 'nativeImage'>;

const SPEEDS = [0.75, 1, 1.25, 1.5, 1.75, 2];

export class HelperTray {
  private tray: ElectronModule.Tray | undefined;

  constructor(
    private readonly electron: TrayElectron,
    private readonly actions: TrayActions,
  ) {}

  get shown(): boolean {
    return this.tray !== undefined && !this.tray.isDestroyed();
  }

  /** Shows the icon (once) with a fresh menu, or removes it. */
  show(visible: boolean): void {
    if (!visible) return this.destroy();
    if (!this.shown) {
      this.tray = new this.electron.Tray(this.electron.nativeImage.createFromDataURL(TRAY_ICON_DATA_URL));
      this.tray.setToolTip('Kokoro Reader');
      // Where a click does not open the menu (Windows, some Linux trays), it opens the reader.
      this.tray.on('click', () => this.actions.openReader());
    }
    this.refresh();
  }

  /** The menu again, with the current voices and speed. */
  refresh(): void {
    if (!this.shown) return;
    this.tray?.setContextMenu(this.electron.Menu.buildFromTemplate(this.template()));
  }

  destroy(): void {
    if (this.shown) this.tray?.destroy();
    this.tray = undefined;
  }

  template(): ElectronModule.MenuItemConstructorOptions[] {
    const { starred, current, speed } = this.actions.voices();
    const voiceItems: ElectronModule.MenuItemConstructorOptions[] = starred.map((voice) => ({
      label: voice.replace(/^[a-z]+:/, ''),
      type: 'radio',
      checked: voice === current,
      click: () => this.actions.chooseVoice(voice),
    }));
    return [
      { label: 'Read clipboard', click: () => this.actions.readClipboard() },
      { label: 'Pause / Resume', click: () => this.actions.control('pause-resume') },
      { label: 'Stop', click: () => this.actions.control('stop') },
      { type: 'separator' },
      ...(voiceItems.length > 0 ? voiceItems : [{ label: 'Star voices in the reader to list them here', enabled: false }]),
      {
        label: 'Speed',
        submenu: [
          { label: 'Faster', click: () => this.actions.control('faster') },
          { label: 'Slower', click: () => this.actions.control('slower') },
          { type: 'separator' },
          ...SPEEDS.map((value): ElectronModule.MenuItemConstructorOptions => ({
            label: `${value}×`,
            type: 'radio',
            checked: value === speed,
            enabled: speed !== undefined,
            click: () => this.actions.chooseSpeed(value),
          })),
        ],
      },
      { type: 'separator' },
      { label: 'Open the reader', click: () => this.actions.openReader() },
      { label: 'Quit Kokoro Reader', click: () => this.actions.quit() },
    ];
  }
}

/** The tray's actions over the app's services: the helper, and the library's voice preferences. */
export function helperTrayActions(services: Pick<AppServices, 'helper' | 'library'>, shell: Pick<TrayActions, 'openReader' | 'quit'>, onPrefsChanged: () => void): TrayActions {
  const preferences = services.library?.library.preferences;
  return {
    ...shell,
    readClipboard: () => void services.helper.read('clipboard'),
    control: (action) => services.helper.control(action),
    voices: () => {
      if (!preferences) return { starred: [], current: undefined, speed: undefined };
      const defaults = preferences.getDefaults();
      return { starred: preferences.starredVoices(), current: defaults.voice, speed: defaults.speed };
    },
    // The next reading takes them up: the pages read the defaults when they start one.
    chooseVoice: (voice) => {
      preferences?.setDefaults({ voice });
      onPrefsChanged();
    },
    chooseSpeed: (speed) => {
      preferences?.setDefaults({ speed });
      onPrefsChanged();
    },
  };
}
