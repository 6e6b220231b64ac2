import { describeError, toErrorData } from '../../src-shared/errors/catalogue';
import type { AppInfo, PastedText, SpeakParams, SpeakStarted } from '../../src-shared/ipc/contract';
import type { CacheOwner, VoiceInfo } from '../../src-shared/speech/types';
import { VoiceDirectory, kokoroUnavailable, pickDefaultVoice, planWindow, prepareSpeech, sentenceTableOf } from './speech-request';
import type { PlannedWindow, PreparedSpeech } from './speech-request';
import type { SentenceTable } from '../../src-shared/document/sentence-table';
import type { EngineSupervisor } from './engine/engine-supervisor';
import type { ClientContext, Handlers } from './handlers';
import type { ReadingTexts } from './reading-texts';

export interface ReaderServiceOptions {
  /** Fixed default voice; when absent, Kokoro's if installed, else eSpeak NG's. */
  defaultVoice?: string;
  version?: string;
  /** Chunks synthesised beyond the one playing before synthesis waits for playback. */
  chunksAhead?: number;
  /** Characters of text per synthesis call in the engine. */
  batchChars?: number;
  /** Sentences per engine request: a long session goes in several, planned as reading gets there. */
  windowSentences?: number;
  /** Problems recovered from elsewhere in the app, to show the user. */
  notices?: () => string[];
  /** Voices that are not the engine's own (the user's named blends), given the installed ones. */
  extraVoices?: (installed: readonly VoiceInfo[]) => VoiceInfo[];
  /**
   * How a client's readings go, whatever the page asks: the screen helper's mini player follows
   * the helper's privacy setting, its audio is tagged as the helper's, and it starts sooner.
   */
  readingPolicyOf?: (client: ClientContext) => ReadingPolicy | undefined;
}

export interface ReadingPolicy {
  /** False: neither read nor write the audio cache. */
  cache: boolean;
  owner?: CacheOwner;
  /** The first sentence goes to the engine alone, so its sound comes before the rest is synthesised. */
  firstSentenceAlone?: boolean;
}

interface Session {
  id: string;
  client: ClientContext;
  /** The engine's cache fields for every request of this session. */
  cacheUse: { cache?: false; cacheOwner?: CacheOwner };
  cancelled: boolean;
  engineRequest: number | undefined;
}

/**
 * Reading sessions for connected windows: plans the text from its sentence table and has the
 * engine speak it onto the window's own audio channel, so no audio passes through here. One
 * session per client; a new `speak` replaces the client's current one.
 */
export class ReaderService {
  private readonly sessions = new Map<string, Session>();
  private nextSession = 1;
  private readonly options: Required<Omit<ReaderServiceOptions, 'defaultVoice' | 'notices' | 'extraVoices' | 'readingPolicyOf'>> & Pick<ReaderServiceOptions, 'defaultVoice' | 'notices' | 'extraVoices' | 'readingPolicyOf'>;
  private readonly voiceDirectory: VoiceDirectory;

  constructor(
    private readonly engine: EngineSupervisor,
    /** The texts registered for reading (pasted here, documents by the document service). */
    private readonly texts: ReadingTexts,
    options: ReaderServiceOptions = {},
  ) {
    this.options = {
      defaultVoice: options.defaultVoice,
      notices: options.notices,
      extraVoices: options.extraVoices,
      readingPolicyOf: options.readingPolicyOf,
      version: options.version ?? '0.0.0',
      chunksAhead: options.chunksAhead ?? 4,
      batchChars: options.batchChars ?? 600,
      windowSentences: options.windowSentences ?? 200,
    };
    this.voiceDirectory = new VoiceDirectory(engine);
  }

  readonly handlers: Pick<Handlers, 'text:set' | 'speech:speak' | 'speech:stop' | 'voices:list' | 'app:info'> = {
    'text:set': (params, client) => Promise.resolve(this.setText(params.text, client, params.sample ? 'sample' : 'pasted')),
    'speech:speak': (params, client) => this.speak(params, client),
    'speech:stop': (params, client) => Promise.resolve({ stopped: this.stop(client, params.session) }),
    'voices:list': () => this.voices(),
    'app:info': () => this.info(),
  };

  /** The engines' voices, then the user's blends of them. */
  async voices(): Promise<VoiceInfo[]> {
    const installed = await this.voiceDirectory.list();
    const extra = this.options.extraVoices?.(installed) ?? [];
    return extra.length > 0 ? [...installed, ...extra] : installed;
  }

  private async info(): Promise<AppInfo> {
    // A model installed meanwhile (say with the CLI) is picked up when a window (re)loads.
    await this.engine.ready().catch(() => undefined);
    if (kokoroUnavailable({ voices: [], unavailable: this.engine.unavailable })) await this.engine.reload().catch(() => undefined);
    const voices = await this.voices();
    const engines = [...this.engine.engines];
    const notices = this.options.notices?.() ?? [];
    const kokoroProblem = kokoroUnavailable({ voices, unavailable: this.engine.unavailable });
    return {
      version: this.options.version,
      defaultVoice: this.options.defaultVoice ?? pickDefaultVoice(voices),
      engines,
      // The engine reads the model folder again whenever a window loads (View > Reload).
      ...(kokoroProblem ? { hint: `Natural Kokoro voices: ${describeError(kokoroProblem)} Then reload the window (Ctrl+R).` } : {}),
      ...(notices.length > 0 ? { notices } : {}),
    };
  }

  /** Holds a pasted text for the client, split into sentences once; the renderer shows the table. */
  setText(text: string, client: ClientContext, kind: 'pasted' | 'sample' = 'pasted'): PastedText {
    const table = sentenceTableOf(text);
    return { ...this.texts.add(client, kind, table), paragraphs: table.paragraphs ?? [] };
  }

  async speak(params: SpeakParams, client: ClientContext): Promise<SpeakStarted> {
    const table = this.texts.get(client, params.textId);
    const voices = await this.voices();
    const policy = this.options.readingPolicyOf?.(client);
    const firstWindow = policy?.firstSentenceAlone ? 1 : this.options.windowSentences;
    const prepared = prepareSpeech(table, { ...params, maxSentences: firstWindow }, { voices, unavailable: this.engine.unavailable }, this.options.defaultVoice);
    this.stop(client);
    const cacheUse = {
      ...(params.cache === false || policy?.cache === false ? { cache: false as const } : {}),
      ...(policy?.owner ? { cacheOwner: policy.owner } : {}),
    };
    const session: Session = { id: `s${this.nextSession++}`, client, cacheUse, cancelled: false, engineRequest: undefined };
    this.sessions.set(client.id, session);
    void this.read(session, table, prepared);
    return { session: session.id, voice: prepared.voiceId, sentenceCount: table.sentences.length - (params.fromSentence ?? 0) };
  }

  /** Stops the client's session: the engine posts nothing more of it after the cancel reaches it. */
  stop(client: ClientContext, sessionId?: string): boolean {
    const session = this.sessions.get(client.id);
    if (!session || (sessionId !== undefined && session.id !== sessionId)) return false;
    session.cancelled = true;
    this.sessions.delete(client.id);
    if (session.engineRequest !== undefined) this.engine.cancel(session.engineRequest);
    return true;
  }

  /** Ends every session of a client that went away (window closed, socket dropped), and lets its texts go. */
  disconnect(client: ClientContext): void {
    this.stop(client);
    this.texts.drop(client);
  }

  /**
   * Reads a session window by window: each engine request carries the next sentences, numbered
   * on from the last; the next window is planned when the engine has done the one before (it
   * waits on the window's credit, so this keeps pace with playback). The engine tells the window
   * the end (after the final request) and its own failures on the audio channel; a failure it
   * cannot tell (it died, or never got the request) is said here.
   */
  private async read(session: Session, table: SentenceTable, first: PreparedSpeech): Promise<void> {
    let window: PlannedWindow = first;
    let sequence = 0;
    try {
      for (;;) {
        const final = window.nextSentence >= table.sentences.length;
        const handle = this.engine.request('stream', {
          client: session.client.id,
          session: session.id,
          engine: first.engine,
          voice: first.voice,
          speed: first.speed,
          segments: window.segments,
          chunksAhead: this.options.chunksAhead,
          batchChars: this.options.batchChars,
          firstSequence: sequence,
          final,
          ...session.cacheUse,
        });
        session.engineRequest = handle.id;
        sequence += (await handle.result).chunks;
        if (final || session.cancelled) return;
        // Nothing left to speak (only skipped blocks): an empty final request ends the session.
        window = planWindow(table, window.nextSentence, this.options.windowSentences);
      }
    } catch (thrown) {
      if (!session.cancelled) session.client.emit('speech:error', { session: session.id, error: toErrorData(thrown) });
    } finally {
      if (this.sessions.get(session.client.id) === session) this.sessions.delete(session.client.id);
    }
  }
}
