import { AppError, describeError } from '../../src-shared/errors/catalogue';
import type { AppInfo, PastedText, SpeakParams, SpeakStarted } from '../../src-shared/ipc/contract';
import { batchSegments } from '../../src-shared/speech/plan';
import type { VoiceInfo } from '../../src-shared/speech/types';
import { VoiceDirectory, kokoroUnavailable, pickDefaultVoice, prepareSpeech, sentenceTableOf } from './speech-request';
import type { PreparedSpeech } from './speech-request';
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
  delivered: number;
  playing: number;
  engineRequest: number | undefined;
  wake: (() => void) | undefined;
}

/**
 * Reading sessions for connected renderers: plans the text into sentences, asks the engine
 * for audio a bounded distance ahead of playback, and forwards chunks. One session per client;
 * a new `speak` replaces the client's current one.
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

  readonly handlers: Pick<Handlers, 'text:set' | 'speech:speak' | 'speech:stop' | 'speech:progress' | 'voices:list' | 'app:info'> = {
    'text:set': (params, client) => Promise.resolve(this.setText(params.text, client)),
    'speech:speak': (params, client) => this.speak(params, client),
    'speech:stop': (params, client) => Promise.resolve({ stopped: this.stop(client, params.session) }),
    'speech:progress': (params, client) => {
      const session = this.sessions.get(client.id);
      if (session && session.id === params.session) {
        session.playing = Math.max(session.playing, params.playingSequence);
        session.wake?.();
      }
      return Promise.resolve(null);
    },
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
    const session: Session = {
      id: `s${this.nextSession++}`,
      client,
      cancelled: false,
      delivered: 0,
      playing: -1,
      engineRequest: undefined,
      wake: undefined,
    };
    this.sessions.set(client.id, session);
    void this.run(session, batchSegments(prepared.segments, this.options.batchChars), prepared);
    return { session: session.id, voice: prepared.voiceId, sentenceCount: prepared.segments.length };
  }

  /** Stops the client's session; after this returns none of its chunks is emitted. */
  stop(client: ClientContext, sessionId?: string): boolean {
    const session = this.sessions.get(client.id);
    if (!session || (sessionId !== undefined && session.id !== sessionId)) return false;
    session.cancelled = true;
    this.sessions.delete(client.id);
    if (session.engineRequest !== undefined) this.engine.cancel(session.engineRequest);
    session.wake?.();
    return true;
  }

  /** Ends every session of a client that went away (window closed, socket dropped), and lets its texts go. */
  disconnect(client: ClientContext): void {
    this.stop(client);
    this.texts.drop(client);
  }

  private async run(session: Session, batches: ReturnType<typeof batchSegments>, voice: PreparedSpeech): Promise<void> {
    try {
      for (const segments of batches) {
        await this.waitForRoom(session);
        if (session.cancelled) return;
        const handle = this.engine.request('synthesize', { engine: voice.engine, voice: voice.voice, speed: voice.speed, segments }, (chunk) => {
          if (session.cancelled) return;
          session.client.emit('speech:chunk', { session: session.id, chunk: { ...chunk, sequence: session.delivered++ } });
        });
        session.engineRequest = handle.id;
        await handle.result;
        session.engineRequest = undefined;
      }
      if (!session.cancelled) {
        this.sessions.delete(session.client.id);
        session.client.emit('speech:end', { session: session.id, chunks: session.delivered });
      }
    } catch (thrown) {
      if (session.cancelled) return;
      this.sessions.delete(session.client.id);
      const error = thrown instanceof AppError ? thrown.toData() : AppError.of('ENGINE_FAILED', String(thrown)).toData();
      session.client.emit('speech:error', { session: session.id, error });
    }
  }

  /** Holds synthesis while the renderer has enough audio queued ahead of what it plays. */
  private async waitForRoom(session: Session): Promise<void> {
    while (!session.cancelled && session.delivered - (session.playing + 1) >= this.options.chunksAhead) {
      await new Promise<void>((resolve) => {
        session.wake = resolve;
      });
      session.wake = undefined;
    }
  }
}
