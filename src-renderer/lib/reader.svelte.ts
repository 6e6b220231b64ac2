import { describeError } from '../../src-shared/errors/catalogue';
import type { ErrorData } from '../../src-shared/errors/catalogue';
import type { EngineStatus, LibraryEntry, OpenDocumentParams, OpenedDocument, PushMap, ReaderApi } from '../../src-shared/ipc/contract';
import type { AudioChunk, VoiceInfo } from '../../src-shared/speech/types';
import type { Block } from '../../src-shared/document/model';
import { skippedRanges } from '../../src-shared/document/reading';
import { segmentParagraphs, segmentSentences } from '../../src-shared/text/segment';
import type { Sentence } from '../../src-shared/text/segment';
import { ChunkPlayer } from './chunk-player';
import { measured } from './timing';
import type { ApiConnection } from '../api/get-api';

/** The status while audio is awaited: at the start, or when playback has caught up with the voice. */
const PREPARING = 'Preparing speech…';

/** The User Timing name of a whole-text segmentation (see `measured`). */
export const SEGMENT_MEASURE = 'kokoro-reader:segment-sentences';

export type PlayState = 'idle' | 'starting' | 'playing' | 'paused';

/**
 * The reader's state and the commands that change it. Components read the fields and call
 * the methods; everything that talks to the app goes through `api`.
 */
export class Reader {
  text = $state('');
  mode = $state<'edit' | 'read'>('edit');
  playState = $state<PlayState>('idle');
  /** The sentence being spoken (or last spoken), -1 for none. */
  current = $state(-1);
  word = $state<{ start: number; end: number } | undefined>(undefined);
  message = $state('');
  error = $state<ErrorData | undefined>(undefined);
  voices = $state<VoiceInfo[]>([]);
  voice = $state('');
  speed = $state(1);
  engine = $state<EngineStatus>({ state: 'starting' });
  /** Advice from the app, e.g. how to install the natural voices. */
  hint = $state('');
  /** Problems the app recovered from, with what to do. */
  notices = $state<string[]>([]);
  starred = $state<string[]>([]);
  /** The voice and speed are the open document's own, not the defaults. */
  forDocument = $state(false);

  /** The open document, if the text came from one (raw: a book is too big to proxy deeply). */
  document = $state.raw<OpenedDocument | undefined>(undefined);
  /** Documents opened before, newest first (when the app keeps a library). */
  recent = $state.raw<LibraryEntry[]>([]);
  chapter = $state(0);
  /** A document being opened: its name and how far the import has got (0..1). */
  opening = $state<{ name: string; fraction: number } | undefined>(undefined);

  /** False when the page cannot reach the app (then `message` says why). */
  readonly connected: boolean;
  /**
   * The text's sentences. Derived lazily: nothing reads them while the text is edited, so a
   * keystroke in a long text costs no segmentation; they are computed once when reading starts.
   */
  readonly sentences: Sentence[] = $derived(measured(SEGMENT_MEASURE, () => segmentSentences(this.text)));
  /** Whether there is anything but blanks to read (cheap: stops at the first letter). */
  readonly hasText: boolean = $derived(/\S/.test(this.text));
  /** The blocks shown: the document chapter's, or the pasted text's paragraphs. */
  readonly blocks: Block[] = $derived(
    this.document?.chapters[this.chapter]?.blocks ?? segmentParagraphs(this.text).map((p) => ({ kind: 'paragraph' as const, start: p.start, end: p.end })),
  );

  /** The app's default voice (Kokoro's when installed), for when a saved voice is gone. */
  private defaultVoice = '';
  private session: string | undefined;
  // Plain Map on purpose: a buffer for chunks that arrive early, never shown in the UI.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private early = new Map<string, AudioChunk[]>();
  private lastReportedSequence = -1;
  private frame = 0;
  /** Sessions whose end (or error) arrived before the answer to `speak` did. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never shown
  private earlyEnd = new Map<string, ErrorData | null>();
  /** Bumped by every play and stop: a `speak` answer for an older generation is stale. */
  private generation = 0;
  /** A `speak` request is out and unanswered: its first chunks and its end may arrive before the answer. */
  private awaitingSession = false;
  private readonly player = new ChunkPlayer({
    onFinished: () => this.finished(),
    // Also from the audio clock's own events: animation frames stop in a hidden window.
    onAdvance: (sequence) => this.reportProgress(sequence),
    // The voice is slower than playback (or a change of settings is being made): say so.
    onStarved: () => {
      if (this.playState === 'playing') this.message = PREPARING;
    },
  });

  private readonly api: ReaderApi | undefined;

  constructor(connection: ApiConnection) {
    const api = connection.api;
    this.api = api;
    this.connected = api !== undefined;
    if (!api) {
      this.message = connection.problem ?? '';
      return;
    }
    api.on('speech:chunk', (data) => this.onChunk(data));
    api.on('speech:end', (data) => {
      if (data.session === this.session) this.player.endOfStream();
      else if (this.awaitingSession) this.earlyEnd.set(data.session, null);
    });
    api.on('speech:error', (data) => {
      if (data.session === this.session) this.fail(data.error);
      else if (this.awaitingSession) this.earlyEnd.set(data.session, data.error);
    });
    api.on('engine:status', (status) => {
      this.engine = status;
    });
    api.on('document:progress', (progress) => {
      if (this.opening) this.opening = { name: this.opening.name, fraction: progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0 };
    });
  }

  /** Commands from the app's menu (File > Open…); returns the function that stops listening. */
  onAppCommand(listener: (command: PushMap['app:command']['command']) => void): () => void {
    return this.api?.on('app:command', (data) => listener(data.command)) ?? (() => undefined);
  }

  async init(): Promise<void> {
    if (!this.api) return;
    const [info, voices, prefs] = await Promise.all([this.api.invoke('app:info', null), this.api.invoke('voices:list', null), this.api.invoke('prefs:get', null)]);
    if (voices.ok) this.voices = [...voices.value].sort((a, b) => a.name.localeCompare(b.name));
    if (prefs.ok) {
      this.speed = prefs.value.speed;
      this.starred = prefs.value.starred;
    }
    if (info.ok) {
      this.engine = { state: 'ready' };
      this.defaultVoice = info.value.defaultVoice;
      this.hint = info.value.hint ?? '';
      this.notices = info.value.notices ?? [];
      // The user's choice, if it is still installed; else the app's default (Kokoro when present).
      this.voice = this.defaultVoice;
      if (prefs.ok && prefs.value.voice) this.message = this.useSavedVoice(prefs.value.voice);
    } else {
      this.showError(info.error);
    }
    await this.loadRecent();
  }

  /**
   * Reads with a saved voice, or with the default when it is not installed (its model is gone);
   * returns what to tell the user in that case, else ''.
   */
  private useSavedVoice(saved: string): string {
    if (this.voices.some((v) => v.id === saved)) {
      this.voice = saved;
      return '';
    }
    this.voice = this.defaultVoice || this.voice;
    const instead = this.voices.find((v) => v.id === this.voice)?.name ?? 'the default voice';
    // The hint says what is missing (the Kokoro model, or a file of it) and how to fix it.
    const kokoro = saved.startsWith('kokoro:') && this.hint ? ` ${this.hint}` : '';
    return `Your voice “${saved.replace(/^kokoro:/, '')}” is not available, so ${instead} reads instead.${kokoro}`;
  }

  async loadRecent(): Promise<void> {
    const recent = await this.api?.invoke('library:recent', null);
    if (recent?.ok) this.recent = recent.value;
  }

  /** Remembers the voice and speed for next time: for the open book only, or as the defaults. */
  savePrefs(): void {
    const documentId = this.forDocument ? this.document?.libraryId : undefined;
    void this.api?.invoke('prefs:set', { voice: this.voice, speed: this.speed, ...(documentId === undefined ? {} : { documentId }) });
  }

  /** Saves a named blend of Kokoro voices and reads with it; the message says what went wrong. */
  async createBlend(name: string, formula: string): Promise<boolean> {
    const result = await this.api?.invoke('voices:blend', { name, formula });
    if (!result) return false;
    if (!result.ok) {
      // Reading, if any, goes on: only the blend was refused.
      this.showError(result.error);
      return false;
    }
    const voices = await this.api?.invoke('voices:list', null);
    if (voices?.ok) this.voices = [...voices.value].sort((a, b) => a.name.localeCompare(b.name));
    this.voice = result.value.id;
    this.error = undefined;
    this.message = `Saved the blend “${name}”.`;
    await this.settingsChanged();
    return true;
  }

  async toggleStar(): Promise<void> {
    const voice = this.voice;
    const result = await this.api?.invoke('prefs:set', this.starred.includes(voice) ? { unstar: voice } : { star: voice });
    if (result?.ok) this.starred = result.value.starred;
  }

  /** Gives the open book its own voice and speed, or goes back to the defaults. */
  async setForDocument(own: boolean): Promise<void> {
    const documentId = this.document?.libraryId;
    if (documentId === undefined || !this.api) return;
    const result = await this.api.invoke('prefs:set', own ? { documentId, voice: this.voice, speed: this.speed } : { documentId, clearDocument: true });
    if (!result.ok) return;
    this.forDocument = result.value.forDocument;
    if (own) return;
    const before = [this.voice, this.speed];
    this.message = this.applyPrefs(result.value.voice, result.value.speed);
    if (before[0] !== this.voice || before[1] !== this.speed) await this.readOnWithNewSettings();
  }

  /** Takes saved settings; returns what to tell the user when the saved voice is not installed. */
  private applyPrefs(voice: string, speed: number): string {
    this.speed = speed;
    if (voice) return this.useSavedVoice(voice);
    this.voice = this.defaultVoice || this.voice;
    return '';
  }

  /** Starts reading at a sentence (default: the current one, else the first). */
  async play(from = Math.max(0, this.current)): Promise<void> {
    if (!this.api) return;
    await this.stop();
    this.error = undefined;
    if (this.text.trim().length === 0) {
      this.fail({ code: 'EMPTY_TEXT', message: 'There is no text to read.' });
      return;
    }
    this.mode = 'read';
    this.playState = 'starting';
    this.current = from;
    this.message = PREPARING;
    await this.startSession(from);
  }

  /**
   * The speed or the voice changed. While reading, the sentence being heard finishes as it is;
   * the audio made ahead with the old settings is dropped and the rest is asked for again.
   */
  async settingsChanged(): Promise<void> {
    this.savePrefs();
    await this.readOnWithNewSettings();
  }

  /** The part of settingsChanged() that touches reading, for settings that are not the user's defaults. */
  private async readOnWithNewSettings(): Promise<void> {
    if (this.playState === 'idle' || !this.api) return;
    const heard = this.current;
    if (this.playState === 'starting' || heard < 0) {
      // Nothing heard yet: start again where reading is.
      await this.play(Math.max(0, heard));
      return;
    }
    // Keep the rest of the sentence being heard. When none of it is queued any more it has been
    // heard in full (or an earlier change already cut there): either way the next one follows.
    this.player.cutAfter(heard);
    const old = this.session;
    this.session = undefined;
    if (old) void this.api.invoke('speech:stop', { session: old });
    // The sentence being heard was the last: what is queued ends the reading.
    if (heard + 1 >= this.sentences.length) {
      this.player.endOfStream();
      return;
    }
    await this.startSession(heard + 1, { continuing: true });
  }

  /**
   * Asks the app for the audio from a sentence on; chunks go to the player behind what it holds.
   * `continuing`: reading goes on behind kept audio, so "nothing left to speak" (only skipped
   * blocks remain) just ends the stream.
   */
  private async startSession(from: number, { continuing = false } = {}): Promise<void> {
    if (!this.api) return;
    const generation = ++this.generation;
    this.awaitingSession = true;
    const chapter = this.document?.chapters[this.chapter];
    const skip = chapter ? skippedRanges(chapter) : [];
    const result = await this.api.invoke('speech:speak', { text: this.text, fromSentence: from, voice: this.voice || undefined, speed: this.speed, skip });
    if (generation !== this.generation) {
      // Stopped, or replaced by another play, while the app was answering: end that session.
      if (result.ok) void this.api.invoke('speech:stop', { session: result.value.session });
      return;
    }
    this.awaitingSession = false;
    if (!result.ok) {
      if (continuing && result.error.code === 'NOTHING_SPEAKABLE') this.player.endOfStream();
      else this.fail(result.error);
      return;
    }
    const session = result.value.session;
    this.session = session;
    this.lastReportedSequence = -1;
    for (const chunk of this.early.get(session) ?? []) this.enqueue(chunk);
    this.early.clear();
    const ended = this.earlyEnd.get(session);
    this.earlyEnd.clear();
    if (ended) {
      this.fail(ended);
      return;
    }
    if (ended === null) this.player.endOfStream();
    this.startClock();
  }

  async togglePause(): Promise<void> {
    if (this.playState === 'playing') {
      this.savePosition(true);
      await this.player.pause();
      this.playState = 'paused';
      this.message = 'Paused.';
    } else if (this.playState === 'paused') {
      await this.player.resume();
      this.playState = 'playing';
      this.message = '';
    } else if (this.playState === 'idle') {
      await this.play();
    }
  }

  async stop(): Promise<void> {
    this.generation++;
    this.awaitingSession = false;
    this.early.clear();
    this.earlyEnd.clear();
    if (this.playState !== 'idle') this.savePosition(true);
    const session = this.session;
    this.session = undefined;
    this.player.stop();
    cancelAnimationFrame(this.frame);
    this.word = undefined;
    if (this.playState !== 'idle') this.message = 'Stopped.';
    this.playState = 'idle';
    if (session && this.api) await this.api.invoke('speech:stop', { session });
  }

  async next(): Promise<void> {
    if (this.sentences.length === 0) return;
    await this.play(Math.min(this.sentences.length - 1, this.current + 1));
  }

  async previous(): Promise<void> {
    if (this.sentences.length === 0) return;
    await this.play(Math.max(0, this.current - 1));
  }

  /**
   * Makes the text editable. A book's chapter becomes pasted text (its blocks would no longer
   * match), so the window asks first; the book stays in the library.
   */
  async edit(): Promise<void> {
    await this.stop();
    this.document = undefined;
    this.forDocument = false;
    this.mode = 'edit';
    this.current = -1;
    // What the footer said was about the reading that just ended.
    this.error = undefined;
    this.message = '';
  }

  /** Opens a file the user picked or dropped; the app parses it off the main thread. */
  async openFile(file: File): Promise<void> {
    if (!this.api) return;
    await this.stop();
    this.error = undefined;
    this.opening = { name: file.name, fraction: 0 };
    this.message = `Opening ${file.name}…`;
    const path = this.api.pathForFile?.(file) ?? '';
    await this.openDocument(path ? { path, name: file.name } : { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, file.name);
  }

  /** Forgets a document: its reading position and its cached audio go with it. */
  async removeRecent(entry: LibraryEntry): Promise<void> {
    await this.api?.invoke('library:remove', { documentId: entry.documentId });
    await this.loadRecent();
  }

  /** Opens a document from the recent list. */
  async openRecent(entry: LibraryEntry): Promise<void> {
    if (!entry.path) return;
    await this.stop();
    await this.openDocument({ path: entry.path, name: entry.title }, entry.title);
  }

  private async openDocument(params: OpenDocumentParams, name: string): Promise<void> {
    if (!this.api) return;
    this.opening = { name, fraction: 0 };
    this.message = `Opening ${name}…`;
    const result = await this.api.invoke('document:open', params);
    this.opening = undefined;
    if (!result.ok) {
      this.fail(result.error);
      return;
    }
    const document = result.value;
    this.document = document;
    let voiceNote = '';
    if (document.libraryId !== undefined) {
      const prefs = await this.api.invoke('prefs:get', { documentId: document.libraryId });
      if (prefs.ok) {
        this.forDocument = prefs.value.forDocument;
        if (prefs.value.forDocument) voiceNote = this.applyPrefs(prefs.value.voice, prefs.value.speed);
      }
    }
    const position = document.position;
    this.showChapter(position ? Math.min(position.chapterIndex, document.chapters.length - 1) : 0);
    const count = document.chapters.length;
    this.message = `Opened “${document.title}”: ${count} ${count === 1 ? 'chapter' : 'chapters'}.`;
    if (position && position.sentenceIndex < this.sentences.length) {
      this.current = position.sentenceIndex;
      this.message += ` Press Play to continue where you stopped.`;
    }
    if (voiceNote) this.message += ` ${voiceNote}`;
    void this.loadRecent();
  }

  /** Remembers where reading is (the app waits for a quiet moment unless `now`). */
  private savePosition(now = false): void {
    const documentId = this.document?.libraryId;
    const sentence = this.sentences[this.current];
    if (documentId === undefined || !sentence || !this.api) return;
    void this.api.invoke('library:position', { documentId, chapterIndex: this.chapter, sentenceIndex: this.current, charOffset: sentence.start, flush: now });
  }

  async cancelOpen(): Promise<void> {
    await this.api?.invoke('document:cancel', null);
  }

  /** Shows a chapter of the open document, ready to read from its start. */
  showChapter(index: number): void {
    const chapter = this.document?.chapters[index];
    if (!chapter) return;
    void this.stop();
    this.chapter = index;
    this.text = chapter.text;
    this.current = -1;
    this.mode = 'read';
  }

  private onChunk(data: PushMap['speech:chunk']): void {
    if (data.session === this.session) {
      this.enqueue(data.chunk);
    } else if (this.awaitingSession) {
      // The first chunk can overtake the answer to `speak`; keep it until the session is known.
      const list = this.early.get(data.session) ?? [];
      list.push(data.chunk);
      this.early.set(data.session, list);
    }
  }

  private enqueue(chunk: AudioChunk): void {
    this.player.enqueue(chunk);
    if (this.playState === 'starting') this.playState = 'playing';
    if (this.message === PREPARING) this.message = '';
  }

  private startClock(): void {
    const tick = (): void => {
      if (!this.session && this.playState === 'idle') return;
      const position = this.player.position();
      if (position && position.sentence >= 0) {
        if (position.sentence !== this.current) {
          this.current = position.sentence;
          this.savePosition();
        }
        this.word = position.word;
        this.reportProgress(position.sequence);
      }
      this.frame = requestAnimationFrame(tick);
    };
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(tick);
  }

  /** Tells the app which chunk is playing, so synthesis stays a bounded distance ahead. */
  private reportProgress(sequence: number): void {
    if (sequence <= this.lastReportedSequence || !this.session || !this.api) return;
    this.lastReportedSequence = sequence;
    void this.api.invoke('speech:progress', { session: this.session, playingSequence: sequence });
  }

  private finished(): void {
    cancelAnimationFrame(this.frame);
    this.session = undefined;
    this.playState = 'idle';
    this.word = undefined;
    // A book reads on into its next chapter.
    if (this.document && this.chapter + 1 < this.document.chapters.length) {
      this.showChapter(this.chapter + 1);
      void this.play(0);
      return;
    }
    // Play after the end reads from the start again, not just the last sentence.
    this.current = -1;
    this.message = 'Finished.';
  }

  private showError(error: ErrorData): void {
    this.error = error;
    this.message = describeError(error);
  }

  /** Reading cannot go on: says why and stops. */
  private fail(error: ErrorData): void {
    this.showError(error);
    // Whatever was asked for is no longer wanted: a late answer or chunk must not start playing.
    this.generation++;
    this.awaitingSession = false;
    const session = this.session;
    this.session = undefined;
    if (session) void this.api?.invoke('speech:stop', { session });
    cancelAnimationFrame(this.frame);
    if (this.playState !== 'idle') {
      this.player.stop();
      this.playState = 'idle';
    }
  }
}
