/**
 * A group of settings kept as one JSON row of the library's settings table (the reading view's,
 * the screen helper's, the model's), or in memory when there is no library.
 */
import type { SqliteDatabase } from './database';

export interface SettingsStore<T> {
  load(): T;
  save(settings: T): void;
}

/** `parse` turns the stored text (undefined when there is none) into settings, falling back to defaults. */
export function librarySettingsRow<T>(db: SqliteDatabase, key: string, parse: (raw: string | undefined) => T): SettingsStore<T> {
  return {
    load: () => parse(db.run((c) => c.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined)),
    save: (settings) =>
      void db.write((c) => c.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(settings))),
  };
}

/** Without a library: the settings last until the app quits. */
export function memorySettings<T>(initial: T): SettingsStore<T> {
  let current = initial;
  return {
    load: () => current,
    save: (settings) => {
      current = settings;
    },
  };
}
