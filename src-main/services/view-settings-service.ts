/**
 * The reading view's settings (type, spacing, theme, highlight, motion, focus mode, shortcuts):
 * kept in the library's settings table as one JSON row, so they survive a restart; in memory
 * when there is no library.
 */
import type { Handlers } from './handlers';
import type { SqliteDatabase } from './library/database';
import { applyViewPatch, DEFAULT_VIEW_SETTINGS, parseStoredViewSettings } from '../../src-shared/view-settings';
import type { ViewSettings } from '../../src-shared/view-settings';

const SETTINGS_KEY = 'view.settings';

export interface ViewSettingsStore {
  load(): ViewSettings;
  save(settings: ViewSettings): void;
}

export function libraryViewSettings(db: SqliteDatabase): ViewSettingsStore {
  return {
    load: () => parseStoredViewSettings(db.run((c) => c.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(SETTINGS_KEY) as string | undefined)),
    save: (settings) =>
      void db.write((c) => c.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(SETTINGS_KEY, JSON.stringify(settings))),
  };
}

/** Without a library: the settings last until the app quits. */
export function memoryViewSettings(): ViewSettingsStore {
  let current = DEFAULT_VIEW_SETTINGS;
  return {
    load: () => current,
    save: (settings) => {
      current = settings;
    },
  };
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
