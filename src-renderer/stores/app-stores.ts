import { getContext, setContext } from 'svelte';
import type { ReaderApi } from '../../src-shared/ipc/contract';
import type { ApiConnection } from '../api/get-api';
import { BookmarksStore } from './bookmarks.svelte';
import { ExportsStore } from './exports.svelte';
import { HelperStore } from './helper.svelte';
import { LibraryStore } from './library.svelte';
import { ModelsStore } from './models.svelte';
import { PlaybackStore } from './playback.svelte';
import { PreviewStore } from './preview.svelte';
import { PronunciationsStore } from './pronunciations.svelte';
import { ReadingStore } from './reading.svelte';
import { SearchStore } from './search.svelte';
import { StatusStore } from './status.svelte';
import { VoicesStore } from './voices.svelte';
import { ViewSettingsStore } from './view-settings.svelte';

/** The window's state, one store per domain, over one connection to the app. */
export interface AppStores {
  api: ReaderApi | undefined;
  status: StatusStore;
  voices: VoicesStore;
  library: LibraryStore;
  reading: ReadingStore;
  playback: PlaybackStore;
  exports: ExportsStore;
  helper: HelperStore;
  preview: PreviewStore;
  pronunciations: PronunciationsStore;
  search: SearchStore;
  bookmarks: BookmarksStore;
  models: ModelsStore;
  viewSettings: ViewSettingsStore;
}

/** Builds the stores once per page: the API (a WebSocket in browser mode) is opened once. */
export function createStores(connection: ApiConnection): AppStores {
  const { api } = connection;
  const status = new StatusStore(api, connection.problem);
  const voices = new VoicesStore(api, status);
  const library = new LibraryStore(api);
  const reading = new ReadingStore(api, status, library, voices);
  const playback = new PlaybackStore({ api, audio: connection.audio, status, voices, reading, library });
  const exports = new ExportsStore(api);
  const helper = new HelperStore({ api, status, reading, playback });
  const preview = new PreviewStore({ api, audio: connection.audio, status, voices, playback });
  const pronunciations = new PronunciationsStore(api, status);
  const search = new SearchStore(reading, playback);
  const bookmarks = new BookmarksStore(api, reading, playback, status);
  const models = new ModelsStore({ api, status, onInstalled: () => voices.reload() });
  const viewSettings = new ViewSettingsStore(api, status);
  return { api, status, voices, library, reading, playback, exports, helper, preview, pronunciations, search, bookmarks, models, viewSettings };
}

const STORES = Symbol('app stores');

/** Makes the stores available to every component below the caller. */
export function provideStores(stores: AppStores): void {
  setContext(STORES, stores);
}

export function useStores(): AppStores {
  const stores = getContext<AppStores | undefined>(STORES);
  if (!stores) throw new Error('useStores() outside the app: provideStores() first');
  return stores;
}
