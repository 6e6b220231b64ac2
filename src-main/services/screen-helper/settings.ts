/**
 * The screen helper's settings: kept in the library's settings table (one JSON row), or in
 * memory when there is no library. What is stored is only the person's choices, never a text.
 */
import { HELPER_ACTIONS } from '../../../src-shared/screen-helper/types';
import type { HelperAction, HelperSettings } from '../../../src-shared/screen-helper/types';
import type { SqliteDatabase } from '../library/database';
import { librarySettingsRow, memorySettings } from '../library/settings-row';
import type { SettingsStore } from '../library/settings-row';

/**
 * Off until the person turns it on: global shortcuts take keys from every other program, so the
 * app does not claim them unasked. Ctrl+Alt (⌘+Option on a Mac) with a letter, and = / - for the
 * speed: arrows are avoided, since Ctrl+Alt+arrows switch workspaces or rotate the screen on
 * many desktops.
 */
export const DEFAULT_HELPER_SETTINGS: HelperSettings = {
  enabled: false,
  shortcuts: {
    'read-selection': 'CommandOrControl+Alt+S',
    'read-clipboard': 'CommandOrControl+Alt+C',
    'pause-resume': 'CommandOrControl+Alt+P',
    stop: 'CommandOrControl+Alt+X',
    faster: 'CommandOrControl+Alt+=',
    slower: 'CommandOrControl+Alt+-',
  },
  keepInTray: false,
  clipboardWatch: false,
  cacheAudio: true,
};

export type HelperSettingsPatch = Partial<Omit<HelperSettings, 'shortcuts'>> & { shortcuts?: Partial<Record<HelperAction, string>> };

export type HelperSettingsStore = SettingsStore<HelperSettings>;

/** The patch applied to the settings; fields of the wrong type are left as they were. */
export function applyPatch(settings: HelperSettings, patch: HelperSettingsPatch): HelperSettings {
  const shortcuts = { ...settings.shortcuts };
  for (const action of HELPER_ACTIONS) {
    const accelerator = patch.shortcuts?.[action];
    if (typeof accelerator === 'string') shortcuts[action] = accelerator.trim();
  }
  const flag = (name: 'enabled' | 'keepInTray' | 'clipboardWatch' | 'cacheAudio'): boolean => (typeof patch[name] === 'boolean' ? patch[name] : settings[name]);
  return { enabled: flag('enabled'), shortcuts, keepInTray: flag('keepInTray'), clipboardWatch: flag('clipboardWatch'), cacheAudio: flag('cacheAudio') };
}

/** A stored row read back: anything unreadable (another version's, a damaged row) falls back to the defaults. */
export function parseStoredSettings(raw: string | undefined): HelperSettings {
  if (raw === undefined) return DEFAULT_HELPER_SETTINGS;
  try {
    const stored = JSON.parse(raw) as unknown;
    return typeof stored === 'object' && stored !== null ? applyPatch(DEFAULT_HELPER_SETTINGS, stored as HelperSettingsPatch) : DEFAULT_HELPER_SETTINGS;
  } catch {
    return DEFAULT_HELPER_SETTINGS;
  }
}

const SETTINGS_KEY = 'helper.settings';

export function libraryHelperSettings(db: SqliteDatabase): HelperSettingsStore {
  return librarySettingsRow(db, SETTINGS_KEY, parseStoredSettings);
}

/** Without a library: the settings last until the app quits. */
export function memoryHelperSettings(initial: HelperSettings = DEFAULT_HELPER_SETTINGS): HelperSettingsStore {
  return memorySettings(initial);
}
