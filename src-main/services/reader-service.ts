import { describeError, toErrorData } from '../../src-shared/errors/catalogue';
import type { AppInfo, PastedText, SpeakParams, SpeakStarted } from '../../src-shared/ipc/contract';
import type { VoiceInfo } from '../../src-shared/speech/types';
import { VoiceDirectory, kokoroUnavailable, pickDefaultVoice, prepareSpeech, sentenceTableOf } from './speech-request';
import type { EngineSupervisor } from './engine/engine-supervisor';
import type { ClientContext, Handlers } from './handlers';
import type { ReadingTexts } from './reading-texts';

export interface ReaderServiceOptions {
  /** Fixed default voice; when absent, Kokoro's if installed, else eSpeak NG's. */
  defaultVoice?: string;
  version?: string;
  /** Chunks synthesised beyond the one playing before synthesis waits for playback. */
  chunksAhead?: number;
  /** Characters of text per engine request. */
  batchChars?: number;
  /** Problems recovered from elsewhere in the app, to show the user. */
  notices?: () => string[];
  /** Voices that are not the engine's own (the user's named blends), given the installed ones. */
  extraVoices?: (installed: readonly VoiceInfo[]) => VoiceInfo[];
}

interface Session {
  id: string;
  client: ClientContext;
  cancelled: boolean;
  engineRequest: number;
}

/**
 * Reading sessions for connected windows: plans the text from its sentence table and has the
 * engine speak it onto the window's own audio channel, so no audio passes through here. One
 * session per client; a new `speak` replaces the client's current one.
 */
export class ReaderService {
  private readonly sessions = new Map<string, Session>();
  private nextSession = 1;
  private readonly options: Required<Omit<ReaderServiceOptions, 'defaultVoice' | 'notices' | 'extraVoices'>> & Pick<ReaderServiceOptions, 'defaultVoice' | 'notices' | 'extraVoices'>;
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
      version: options.version ?? '0.0.0',
      chunksAhead: options.chunksAhead ?? 4,
      batchChars: options.batchChars ?? 600,
    };
    this.voiceDirectory = new VoiceDirectory(engine);
  }

  readonly handlers: Pick<Handlers, 'text:set' | 'speech:speak' | 'speech:stop' | 'voices:list' | 'app:info'> = {
    'text:set': (params, client) => Promise.resolve(this.setText(params.text, client)),
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
    const voices = await this.voices();
    const engines = [...this.engine.engines];
    const notices = this.options.notices?.() ?? [];
    const kokoroProblem = kokoroUnavailable({ voices, unavailable: this.engine.unavailable });
    return {
      version: this.options.version,
      defaultVoice: this.options.defaultVoice ?? pickDefaultVoice(voices),
      engines,
      // The engine picks up a model at start, hence the restart.
      ...(kokoroProblem ? { hint: `Natural Kokoro voices: ${describeError(kokoroProblem)} Then restart the app.` } : {}),
      ...(notices.length > 0 ? { notices } : {}),
    };
  }

  /** Holds a pasted text for the client, split into sentences once; the renderer shows the table. */
  setText(text: string, client: ClientContext): PastedText {
    const table = sentenceTableOf(text);
    return { ...this.texts.add(client, 'pasted', table), paragraphs: table.paragraphs ?? [] };
  }

  async speak(params: SpeakParams, client: ClientContext): Promise<SpeakStarted> {
    const table = this.texts.get(client, params.textId);
    const voices = await this.voices();
    const prepared = prepareSpeech(table, params, { voices, unavailable: this.engine.unavailable }, this.options.defaultVoice);
    this.stop(client);
    const id = `s${this.nextSession++}`;
    const handle = this.engine.request('stream', {
      client: client.id,
      session: id,
      engine: prepared.engine,
      voice: prepared.voice,
      speed: prepared.speed,
      segments: prepared.segments,
      chunksAhead: this.options.chunksAhead,
      batchChars: this.options.batchChars,
    });
    const session: Session = { id, client, cancelled: false, engineRequest: handle.id };
    this.sessions.set(client.id, session);
    void this.follow(session, handle.result);
    return { session: id, voice: prepared.voiceId, sentenceCount: prepared.segments.length };
  }

  /** Stops the client's session: the engine posts nothing more of it after the cancel reaches it. */
  stop(client: ClientContext, sessionId?: string): boolean {
    const session = this.sessions.get(client.id);
    if (!session || (sessionId !== undefined && session.id !== sessionId)) return false;
    session.cancelled = true;
    this.sessions.delete(client.id);
    this.engine.cancel(session.engineRequest);
    return true;
  }

  /** Ends every session of a client that went away (window closed, socket dropped), and lets its texts go. */
  disconnect(client: ClientContext): void {
    this.stop(client);
    this.texts.drop(client);
  }

  /**
   * Keeps the session's books: the engine tells the window the end (or its own failure) on the
   * audio channel; a failure it cannot tell (it died, or never got the request) is said here.
   */
  private async follow(session: Session, done: Promise<unknown>): Promise<void> {
    try {
      await done;
    } catch (thrown) {
      if (!session.cancelled) session.client.emit('speech:error', { session: session.id, error: toErrorData(thrown) });
    } finally {
      if (this.sessions.get(session.client.id) === session) this.sessions.delete(session.client.id);
    }
  }
}
