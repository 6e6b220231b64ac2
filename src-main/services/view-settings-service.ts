/**
 * The reading view's settings (type, spacing, theme, highlight, motion, focus mode, shortcuts):
 * kept in the library's settings table as one JSON row, so they survive a restart; in memory
 * when there is no library.
 */
import type { Handlers } from './handlers';
import type { SqliteDatabase } from './library/database';
import { librarySettingsRow, memorySettings } from './library/settings-row';
import type { SettingsStore } from './library/settings-row';
import { applyViewPatch, DEFAULT_VIEW_SETTINGS, parseStoredViewSettings } from '../../src-shared/view-settings';
import type { ViewSettings } from '../../src-shared/view-settings';

const SETTINGS_KEY = 'view.settings';

export type ViewSettingsStore = SettingsStore<ViewSettings>;

export function libraryViewSettings(db: SqliteDatabase): ViewSettingsStore {
  return librarySettingsRow(db, SETTINGS_KEY, parseStoredViewSettings);
}

/** Without a library: the settings last until the app quits. */
export function memoryViewSettings(): ViewSettingsStore {
  return memorySettings(DEFAULT_VIEW_SETTINGS);
}

/** `changed`: told every saved change, so that every window (the mini player too) shows it. */
export function viewSettingsHandlers(store: ViewSettingsStore, changed?: (settings: ViewSettings) => void): Pick<Handlers, 'view:settings' | 'view:configure'> {
  return {
    'view:settings': () => Promise.resolve(store.load()),
    'view:configure': (patch) => {
      const settings = applyViewPatch(store.load(), patch);
      store.save(settings);
      changed?.(settings);
      return Promise.resolve(settings);
    },
  };
}
