/**
 * The typed contract between the renderer and the main-side services. The preload (over
 * Electron IPC) and the dev/test bridge (over a WebSocket) both implement `ReaderApi`;
 * the services implement the handlers. Adding a channel here makes both sides check it.
 */
import type { ImportedDocument } from '../document/model';
import type { ErrorData } from '../errors/catalogue';
import type { AudioChunk, VoiceInfo } from '../speech/types';
import type { Result } from './result';

export interface SpeakParams {
  text: string;
  /** Start reading at this sentence (index into segmentSentences(text)). */
  fromSentence?: number;
  /** A voice id from `voices:list`; the default voice when omitted. */
  voice?: string;
  speed?: number;
  /** Ranges of the text shown but not read (code blocks, footnotes). */
  skip?: { start: number; end: number }[];
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

/** A document to open: by path (the app knows it), or its bytes (a browser, or a file without a path). */
export interface OpenDocumentParams {
  path?: string;
  name?: string;
  bytes?: Uint8Array;
}

export interface OpenProgress {
  name: string;
  stage: 'reading' | 'parsing' | 'pages' | 'chapters';
  done: number;
  total: number;
}

/** A document as opened: the model, plus its place in the library when the app keeps one. */
export interface OpenedDocument extends ImportedDocument {
  libraryId?: number;
  /** Where reading stopped last time. */
  position?: { chapterIndex: number; sentenceIndex: number; charOffset: number };
}

export interface PositionParams {
  documentId: number;
  chapterIndex: number;
  sentenceIndex: number;
  charOffset: number;
  /** Save now (pause, stop, closing) rather than after a quiet moment. */
  flush?: boolean;
}

export interface LibraryEntry {
  documentId: number;
  title: string;
  /** Where the file was, when known (the app knows; a browser does not). */
  path: string | null;
  format: string;
  lastOpenedAt: number;
  wordCount: number;
  position?: { chapterIndex: number; sentenceIndex: number; charOffset: number };
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

export interface VoicePrefsChange {
  voice?: string;
  speed?: number;
  /** Set for this document only (its override); without it, the defaults change. */
  documentId?: number;
  /** With documentId: drop the document's own settings and use the defaults again. */
  clearDocument?: boolean;
  star?: string;
  unstar?: string;
}

/** Request channels: params in, Result<result> out. */
export interface RequestMap {
  'speech:speak': { params: SpeakParams; result: SpeakStarted };
  /** Resolves once no further chunk of the session will be delivered. */
  'speech:stop': { params: { session?: string }; result: { stopped: boolean } };
  /** Flow control: the renderer reports how far playback has got, so synthesis stays a bounded distance ahead. */
  'speech:progress': { params: { session: string; playingSequence: number }; result: null };
  'voices:list': { params: null; result: VoiceInfo[] };
  /** Saves a named Kokoro blend ("Warm narrator" = af_heart*0.6+bf_emma*0.4); it is listed with the voices. */
  'voices:blend': { params: { name: string; formula: string }; result: VoiceInfo };
  'document:open': { params: OpenDocumentParams; result: OpenedDocument };
  /** Cancels the client's document being opened, if any. */
  'document:cancel': { params: null; result: { cancelled: boolean } };
  'library:recent': { params: null; result: LibraryEntry[] };
  'library:position': { params: PositionParams; result: null };
  'library:remove': { params: { documentId: number }; result: { removed: boolean } };
  /** The settings to read with: a document's own when it has them, else the defaults. */
  'prefs:get': { params: { documentId?: number } | null; result: VoicePrefs };
  'prefs:set': { params: VoicePrefsChange; result: VoicePrefs };
  'app:info': { params: null; result: AppInfo };
}

/** Push events from the services to the renderer. */
export interface PushMap {
  'speech:chunk': { session: string; chunk: AudioChunk };
  'speech:end': { session: string; chunks: number };
  'speech:error': { session: string; error: ErrorData };
  'engine:status': EngineStatus;
  'document:progress': OpenProgress;
  /** A command from the app's menu, for the page to carry out. */
  'app:command': { command: 'open-file' };
}

export type RequestChannel = keyof RequestMap;
export type PushChannel = keyof PushMap;
export type ParamsOf<C extends RequestChannel> = RequestMap[C]['params'];
export type ResultOf<C extends RequestChannel> = RequestMap[C]['result'];

export const REQUEST_CHANNELS = [
  'speech:speak',
  'speech:stop',
  'speech:progress',
  'voices:list',
  'voices:blend',
  'app:info',
  'document:open',
  'document:cancel',
  'library:recent',
  'library:position',
  'library:remove',
  'prefs:get',
  'prefs:set',
] as const satisfies readonly RequestChannel[];
export const PUSH_CHANNELS = ['speech:chunk', 'speech:end', 'speech:error', 'engine:status', 'document:progress', 'app:command'] as const satisfies readonly PushChannel[];

/** What the renderer sees as `window.api`. */
export interface ReaderApi {
  invoke<C extends RequestChannel>(channel: C, params: ParamsOf<C>): Promise<Result<ResultOf<C>>>;
  /** Subscribes to a push event; returns the function that unsubscribes. */
  on<E extends PushChannel>(event: E, listener: (data: PushMap[E]) => void): () => void;
  /** The file-system path of a dropped or picked File, where the host knows it (Electron). */
  pathForFile?: (file: unknown) => string;
}

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(value);
}
