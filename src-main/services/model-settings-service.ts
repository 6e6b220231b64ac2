/**
 * How the Kokoro model runs, as the person set it in the app: its precision. Kept in the
 * library's settings table (so the engine starts with it after a restart), in memory when there
 * is no library. A change reaches the running engine at once: its next readings use it.
 */
import { isKokoroPrecision } from '../../src-shared/ipc/engine-config';
import type { KokoroHostOptions } from '../../src-shared/ipc/engine-config';
import type { ModelSettings } from '../../src-shared/ipc/contract';
import type { Handlers } from './handlers';
import type { SqliteDatabase } from './library/database';
import { librarySettingsRow, memorySettings } from './library/settings-row';
import type { SettingsStore } from './library/settings-row';

const SETTINGS_KEY = 'models.settings';
export const DEFAULT_MODEL_SETTINGS: ModelSettings = { precision: 'exact' };

export type ModelSettingsStore = SettingsStore<ModelSettings>;

/** A stored row that is not what this version writes (damaged, or from a later one) reads as the defaults. */
function parseStored(raw: string | undefined): ModelSettings {
  try {
    const precision = (JSON.parse(raw ?? '{}') as { precision?: unknown }).precision;
    return isKokoroPrecision(precision) ? { precision } : DEFAULT_MODEL_SETTINGS;
  } catch {
    return DEFAULT_MODEL_SETTINGS;
  }
}

export function libraryModelSettings(db: SqliteDatabase): ModelSettingsStore {
  return librarySettingsRow(db, SETTINGS_KEY, parseStored);
}

/** Without a library: the setting lasts until the app quits. */
export function memoryModelSettings(): ModelSettingsStore {
  return memorySettings(DEFAULT_MODEL_SETTINGS);
}

/** `reconfigure`: hands the change to the engine (EngineSupervisor.reconfigureKokoro). */
export function modelSettingsHandlers(store: ModelSettingsStore, reconfigure: (kokoro: KokoroHostOptions) => Promise<void>): Pick<Handlers, 'models:settings' | 'models:configure'> {
  return {
    'models:settings': () => Promise.resolve(store.load()),
    'models:configure': async (patch) => {
      const settings = { ...store.load(), ...patch };
      store.save(settings);
      await reconfigure({ precision: settings.precision });
      return settings;
    },
  };
}
