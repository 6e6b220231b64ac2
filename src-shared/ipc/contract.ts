/**
 * The typed contract between the renderer and the main-side services. The preload (over
 * Electron IPC) and the dev/test bridge (over a WebSocket) both implement `ReaderApi`;
 * the services implement the handlers. Adding a channel here makes both sides check it.
 */
import type { ImportedDocument } from '../document/model';
import type { SentenceRow } from '../document/sentence-table';
import type { ErrorData } from '../errors/catalogue';
import type { VoiceInfo } from '../speech/types';
import type { LexiconEntry } from '../lexicon/types';
import type { ExportFormat } from '../export/types';
import type { HelperControl, HelperReadRequest, HelperState } from '../screen-helper/types';
import type { DownloadSummary, ImportReport, ModelFileStatus, ModelProgress, VerifyReport } from '../models/types';
import type { ViewSettings } from '../view-settings';
import type { KokoroPrecision } from './engine-config';
import type { ParamsOfSchema } from './params';
import type { Result } from './result';

export type { SentenceRow } from '../document/sentence-table';

export type SpeakParams = ParamsOfSchema<'speech:speak'>;

/** The model settings the app keeps (the CLI takes --precision instead). */
export interface ModelSettings {
  precision: KokoroPrecision;
}

/**
 * A text main holds for reading, as the renderer sees it: its id for `speech:speak`, and its
 * sentences (offsets into the whole text: a document's chapters joined by a blank line).
 */
export interface ReadingTextInfo {
  textId: string;
  sentences: SentenceRow[];
  /** Where each chapter starts in the whole text. */
  chapterStarts: number[];
}

/** A pasted text registered for reading: its table, and its paragraphs as blocks. */
export interface PastedText extends ReadingTextInfo {
  paragraphs: { start: number; end: number }[];
}

export interface SpeakStarted {
  session: string;
  voice: string;
  sentenceCount: number;
}

export interface EngineStatus {
  state: 'starting' | 'ready' | 'restarting' | 'failed';
  detail?: string;
}

export interface AppInfo {
  version: string;
  defaultVoice: string;
  engines: string[];
  /** Set when something worth doing is missing, e.g. how to install the Kokoro voices. */
  hint?: string;
  /** Problems the app recovered from (a damaged library set aside, ...), each with its fix. */
  notices?: string[];
}

/** A document to open: a handle for a file the user chose, a library document, or a file's bytes (browser mode). */
export type OpenDocumentParams = ParamsOfSchema<'document:open'>;

export interface OpenProgress {
  name: string;
  stage: 'reading' | 'parsing' | 'pages' | 'chapters';
  done: number;
  total: number;
}

/** A document as opened: the model, its reading text, and its place in the library when the app keeps one. */
export interface OpenedDocument extends ImportedDocument {
  text: ReadingTextInfo;
  libraryId?: number;
  /** Where reading stopped last time. */
  position?: { chapterIndex: number; sentenceIndex: number; charOffset: number };
}

/** A file the user chose, as the window holds it: an opaque handle for `document:open`, and the name to show. */
export interface FileGrant {
  handle: string;
  name: string;
}

/** Where reading is in a document: the chapter, the sentence within it, and its offset in the chapter's text; `flush` saves at once. */
export type PositionParams = ParamsOfSchema<'library:position'>;

export interface LibraryEntry {
  documentId: number;
  title: string;
  /** The name of the file it was opened from (main keeps where it is); null when it came as bytes. */
  fileName: string | null;
  format: string;
  lastOpenedAt: number;
  wordCount: number;
  position?: { chapterIndex: number; sentenceIndex: number; charOffset: number };
  author?: string;
  /** Per chapter, the sentences and the characters read aloud (empty when not known yet): for progress and time left. */
  chapterSentences?: number[];
  chapterChars?: number[];
  /** There is a cover image (`library:cover`). */
  hasCover?: boolean;
  /** The library can open it again: it has its file, or keeps its text. */
  canReopen?: boolean;
}

/** A place marked in a library document (`sentenceIndex` within its chapter, as positions are kept). */
export interface BookmarkInfo {
  id: number;
  documentId: number;
  chapterIndex: number;
  sentenceIndex: number;
  charOffset: number;
  label: string;
  createdAt: number;
}

export interface VoicePrefs {
  /** '' until the user chooses one (then the app's default applies). */
  voice: string;
  speed: number;
  /** Voices the user starred, listed first. */
  starred: string[];
  /** True when these settings are the document's own rather than the defaults. */
  forDocument: boolean;
}

/**
 * A change of voice settings: for one document (`documentId`; `clearDocument` drops its own
 * settings) or the defaults; `star`/`unstar` a voice.
 */
export type VoicePrefsChange = ParamsOfSchema<'prefs:set'>;

/** The Kokoro model folder for the window: its files, and whether the engine can use it. */
export interface ModelsOverview {
  dir: string;
  kokoro: 'installed' | 'incomplete' | 'absent';
  files: ModelFileStatus[];
}

/** What the doctor found, in plain words: a line per file, and each problem with what to do. */
export interface ModelDoctorReport {
  dir: string;
  ok: boolean;
  lines: string[];
  problems: string[];
}

/** An export as the window shows it: files by name only (main alone knows where they are). */
export interface ExportJobInfo {
  id: number;
  title: string;
  format: ExportFormat;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  fileNames: string[];
  /** While running: chapters done, the fraction, and the time left from the measured rate. */
  progress?: { chaptersDone: number; chaptersTotal: number; chapterTitle: string; fraction: number; secondsLeft?: number | undefined } | undefined;
  error?: ErrorData | undefined;
}

/** What an import of pronunciations did: entries added, changed, already the same, and removed (replace-all). */
export interface LexiconImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/** An export of the pronunciations: the file's text and a name to save it under. */
export interface LexiconExport {
  text: string;
  fileName: string;
  count: number;
}

/** Request channels: params in, Result<result> out. */
export interface RequestMap {
  /** Registers a pasted text for reading: main keeps it and splits it into sentences once. */
  'text:set': { params: ParamsOfSchema<'text:set'>; result: PastedText };
  'speech:speak': { params: SpeakParams; result: SpeakStarted };
  /** Resolves once no further chunk of the session will be delivered. */
  'speech:stop': { params: ParamsOfSchema<'speech:stop'>; result: { stopped: boolean } };
  'voices:list': { params: ParamsOfSchema<'voices:list'>; result: VoiceInfo[] };
  /** Saves a named Kokoro blend ("Warm narrator" = af_heart*0.6+bf_emma*0.4); it is listed with the voices. */
  'voices:blend': { params: ParamsOfSchema<'voices:blend'>; result: VoiceInfo };
  /** Deletes a saved blend (by its voice id as listed); the engine's own voices cannot be deleted. */
  'voices:blend-delete': { params: ParamsOfSchema<'voices:blend-delete'>; result: { removed: boolean } };
  /** The user's pronunciations, those whose word or value contains `query` when given. */
  'lexicon:list': { params: ParamsOfSchema<'lexicon:list'>; result: LexiconEntry[] };
  /** Adds a word's pronunciation (phonemes or replacement text), or edits entry `id`; the engine uses it at once. */
  'lexicon:set': { params: ParamsOfSchema<'lexicon:set'>; result: LexiconEntry };
  'lexicon:delete': { params: ParamsOfSchema<'lexicon:delete'>; result: { removed: boolean } };
  /** Imports a file's text (JSON as exported, or TSV as `lexicon list` prints), all or nothing. */
  'lexicon:import': { params: ParamsOfSchema<'lexicon:import'>; result: LexiconImportSummary };
  'lexicon:export': { params: ParamsOfSchema<'lexicon:export'>; result: LexiconExport };
  'document:open': { params: OpenDocumentParams; result: OpenedDocument };
  /** The app's file dialog: a handle and name for the file the user chose, null when cancelled (none in browser mode). */
  'dialog:open': { params: ParamsOfSchema<'dialog:open'>; result: FileGrant | null };
  /** Cancels the client's document being opened, if any. */
  'document:cancel': { params: ParamsOfSchema<'document:cancel'>; result: { cancelled: boolean } };
  'library:recent': { params: ParamsOfSchema<'library:recent'>; result: LibraryEntry[] };
  'library:position': { params: PositionParams; result: null };
  'library:remove': { params: ParamsOfSchema<'library:remove'>; result: { removed: boolean } };
  /** Every document in the library, most recently opened first (the Library view). */
  'library:list': { params: ParamsOfSchema<'library:list'>; result: LibraryEntry[] };
  /** A document's cover as a data: URL, null when it has none. */
  'library:cover': { params: ParamsOfSchema<'library:cover'>; result: string | null };
  /** Keeps the client's pasted text (`text:set`) as a library document, to open by its id from then on. */
  'library:keep': { params: ParamsOfSchema<'library:keep'>; result: { documentId: number } };
  'bookmarks:list': { params: ParamsOfSchema<'bookmarks:list'>; result: BookmarkInfo[] };
  /** Marks a sentence of a library document; marking the same sentence again updates its label. */
  'bookmarks:add': { params: ParamsOfSchema<'bookmarks:add'>; result: BookmarkInfo };
  'bookmarks:remove': { params: ParamsOfSchema<'bookmarks:remove'>; result: null };
  /** The settings to read with: a document's own when it has them, else the defaults. */
  'prefs:get': { params: ParamsOfSchema<'prefs:get'>; result: VoicePrefs };
  'prefs:set': { params: VoicePrefsChange; result: VoicePrefs };
  'app:info': { params: ParamsOfSchema<'app:info'>; result: AppInfo };
  'models:list': { params: ParamsOfSchema<'models:list'>; result: ModelsOverview };
  /** Fetches the missing model files (resumable, verified); progress comes as `models:progress`. */
  'models:download': { params: ParamsOfSchema<'models:download'>; result: DownloadSummary };
  /**
   * Installs the model files from a folder the user has: the one chosen in the app's folder
   * dialog (null when cancelled), or in browser mode the full path typed in the page.
   */
  'models:import': { params: ParamsOfSchema<'models:import'>; result: ImportReport | null };
  /** Stops the client's download or verification; partial files stay to resume unless `discard`. */
  'models:cancel': { params: ParamsOfSchema<'models:cancel'>; result: { cancelled: boolean } };
  'models:verify': { params: ParamsOfSchema<'models:verify'>; result: VerifyReport };
  'models:doctor': { params: ParamsOfSchema<'models:doctor'>; result: ModelDoctorReport };
  /** How the Kokoro model runs: its precision ('exact' fp32, or 'fast' with int8 vocoder weights). */
  'models:settings': { params: ParamsOfSchema<'models:settings'>; result: ModelSettings };
  /** Changes the precision (kept in the library); the engine's next readings use it. */
  'models:configure': { params: ParamsOfSchema<'models:configure'>; result: ModelSettings };
  /** The save dialog for an export: a handle for the file the user named, null when cancelled. */
  'export:target': { params: ParamsOfSchema<'export:target'>; result: FileGrant | null };
  /** Queues an export; it runs in main, beside reading, and goes on when the window closes. */
  'export:start': { params: ParamsOfSchema<'export:start'>; result: ExportJobInfo };
  /** Stops a queued or running export; what it had begun to write is removed. */
  'export:cancel': { params: ParamsOfSchema<'export:cancel'>; result: { cancelled: boolean } };
  'export:list': { params: ParamsOfSchema<'export:list'>; result: ExportJobInfo[] };
  'export:reveal': { params: ParamsOfSchema<'export:reveal'>; result: null };
  /** How the reading view looks (type, spacing, theme, highlight, motion, focus mode, single-key shortcuts). */
  'view:settings': { params: ParamsOfSchema<'view:settings'>; result: ViewSettings };
  /** Changes some of the reading view's settings (kept in the library); the answer is all of them. */
  'view:configure': { params: ParamsOfSchema<'view:configure'>; result: ViewSettings };
  /** The screen helper's settings and what became of each global shortcut. */
  'helper:state': { params: ParamsOfSchema<'helper:state'>; result: HelperState };
  /** Changes the helper's settings (kept in the library); shortcuts are registered again at once. */
  'helper:configure': { params: ParamsOfSchema<'helper:configure'>; result: HelperState };
  /** Makes the asking window the helper's mini player: it gets `helper:read` and `helper:control`. */
  'helper:attach': { params: ParamsOfSchema<'helper:attach'>; result: null };
  /** Reads the selection or the clipboard aloud in the mini player, as its shortcut does. */
  'helper:read-now': { params: ParamsOfSchema<'helper:read-now'>; result: null };
  /** Shows the text the mini player reads in the reader window, at this sentence. */
  'helper:open-in-reader': { params: ParamsOfSchema<'helper:open-in-reader'>; result: null };
  /** Hides the mini player (Esc); reading has stopped by then. */
  'helper:hide': { params: ParamsOfSchema<'helper:hide'>; result: null };
  /** Removes the helper's audio from the audio cache. */
  'helper:cache-clear': { params: ParamsOfSchema<'helper:cache-clear'>; result: { removed: number } };
}

/** Push events from the services to the renderer. */
export interface PushMap {
  /**
   * A session failed where the engine could not say so on the audio channel (it died, or never
   * got the request). Audio, its end and the engine's own errors come on the window's audio channel.
   */
  'speech:error': { session: string; error: ErrorData };
  'engine:status': EngineStatus;
  'document:progress': OpenProgress;
  'models:progress': ModelProgress;
  /** An export's state changed or it made progress (every window hears of every export). */
  'export:progress': ExportJobInfo;
  /** A command from the app's menu, for the page to carry out. */
  'app:command': { command: 'open-file' | 'export' };
  /** To the mini player: read this text from its start (stopping what it read before). */
  'helper:read': HelperReadRequest;
  /** To the mini player: a shortcut, the tray or a media key asked for this. */
  'helper:control': { action: HelperControl };
  /** To every window: the helper's settings or a shortcut's registration changed. */
  'helper:state': HelperState;
  /** To the mini player (or the reader window when there is none): why nothing is read, with the fix. */
  'helper:notice': { error: ErrorData };
  /** To the reader window: show this text, reading from this sentence ("open in the reader"). */
  'helper:open-text': { text: string; fromSentence: number };
  /** To every window: the reading view's settings changed (the mini player follows the reader's). */
  'view:changed': ViewSettings;
}

export type RequestChannel = keyof RequestMap;
export type PushChannel = keyof PushMap;
export type ParamsOf<C extends RequestChannel> = RequestMap[C]['params'];
export type ResultOf<C extends RequestChannel> = RequestMap[C]['result'];

/** Every request channel: a channel of the contract left out of this object does not compile. */
export const REQUEST_CHANNELS = Object.keys({
  'text:set': true,
  'speech:speak': true,
  'speech:stop': true,
  'voices:list': true,
  'voices:blend': true,
  'voices:blend-delete': true,
  'lexicon:list': true,
  'lexicon:set': true,
  'lexicon:delete': true,
  'lexicon:import': true,
  'lexicon:export': true,
  'app:info': true,
  'document:open': true,
  'dialog:open': true,
  'document:cancel': true,
  'library:recent': true,
  'library:position': true,
  'library:remove': true,
  'library:list': true,
  'library:cover': true,
  'library:keep': true,
  'bookmarks:list': true,
  'bookmarks:add': true,
  'bookmarks:remove': true,
  'prefs:get': true,
  'prefs:set': true,
  'models:list': true,
  'models:download': true,
  'models:cancel': true,
  'models:import': true,
  'models:verify': true,
  'models:doctor': true,
  'models:settings': true,
  'models:configure': true,
  'export:target': true,
  'export:start': true,
  'export:cancel': true,
  'export:list': true,
  'export:reveal': true,
  'view:settings': true,
  'view:configure': true,
  'helper:state': true,
  'helper:configure': true,
  'helper:attach': true,
  'helper:read-now': true,
  'helper:open-in-reader': true,
  'helper:hide': true,
  'helper:cache-clear': true,
} satisfies Record<RequestChannel, true>) as RequestChannel[];
/** Every push event: one left out would never reach the page through the preload. */
export const PUSH_CHANNELS = Object.keys({
  'speech:error': true,
  'engine:status': true,
  'document:progress': true,
  'models:progress': true,
  'export:progress': true,
  'app:command': true,
  'helper:read': true,
  'helper:control': true,
  'helper:state': true,
  'helper:notice': true,
  'helper:open-text': true,
  'view:changed': true,
} satisfies Record<PushChannel, true>) as PushChannel[];

/** What the renderer sees as `window.api`. */
export interface ReaderApi {
  invoke<C extends RequestChannel>(channel: C, params: ParamsOf<C>): Promise<Result<ResultOf<C>>>;
  /** Subscribes to a push event; returns the function that unsubscribes. */
  on<E extends PushChannel>(event: E, listener: (data: PushMap[E]) => void): () => void;
  /**
   * In the app (the preload): a handle for a File the user dropped or picked, which main grants
   * for the file's path on disk. Absent in browser mode, where the page sends the file's bytes.
   */
  grantFile?: (file: unknown) => Promise<Result<FileGrant>>;
}

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(value);
}
