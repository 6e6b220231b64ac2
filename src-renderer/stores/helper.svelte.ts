import { describeError } from '../../src-shared/errors/catalogue';
import type { ParamsOf, ReaderApi } from '../../src-shared/ipc/contract';
import type { HelperControl, HelperReadRequest, HelperState } from '../../src-shared/screen-helper/types';
import { reflectInMediaSession } from '../lib/media-session';
import type { MediaSessionLike } from '../lib/media-session';
import type { PlaybackStore } from './playback.svelte';
import type { ReadingStore } from './reading.svelte';
import type { StatusStore } from './status.svelte';

export interface HelperDeps {
  api: ReaderApi | undefined;
  status: StatusStore;
  reading: ReadingStore;
  playback: PlaybackStore;
}

export type { MediaSessionLike } from '../lib/media-session';

export const MEDIA_TITLE = 'Kokoro Reader — helper';

/**
 * The screen helper as the windows see it. In the mini player (`attach`): the texts main sends
 * are read at once through the playback store, as pasted text is, and its controls (shortcuts,
 * tray, media keys) drive that reading. In the reader window (`watch`): the helper's settings,
 * and texts opened from the mini player.
 */
export class HelperStore {
  /** The settings and what became of each shortcut, as main has them; undefined until known. */
  state = $state.raw<HelperState | undefined>(undefined);
  /** The text the mini player reads ('' before the first). Never stored: it lives in this page only. */
  text = $state('');
  /** Set when main cut the text: its full length in characters. */
  truncatedFrom = $state<number | undefined>(undefined);
  /** Why the last shortcut read nothing, with the fix ('' when it read). */
  notice = $state('');

  /** Says that only the start of a long text is read, or ''. */
  readonly truncationNote: string = $derived(
    this.truncatedFrom === undefined ? '' : `Only the start is read (${this.text.length.toLocaleString('en')} of ${this.truncatedFrom.toLocaleString('en')} characters).`,
  );

  private isMiniPlayer = false;
  private latestRead = 0;
  private reads: Promise<void> = Promise.resolve();
  private loaded: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HelperDeps) {}

  /** The mini player: takes the helper's pushes, then tells main this window is its player. */
  async attach(): Promise<void> {
    const { api, status } = this.deps;
    if (!api) return;
    this.isMiniPlayer = true;
    api.on('helper:state', (state) => this.setState(state));
    api.on('helper:read', (request) => void this.read(request));
    api.on('helper:control', ({ action }) => void this.control(action));
    api.on('helper:notice', ({ error }) => {
      this.notice = describeError(error);
    });
    // A text may arrive as soon as main knows this window: the cache setting must be known by then.
    this.loaded = this.load();
    await this.loaded;
    const attached = await api.invoke('helper:attach', null);
    if (!attached.ok) status.fail(attached.error);
  }

  /** The reader window: follows the helper's settings, shows texts opened from the mini player, and its notices when there is no mini player. */
  watch(): () => void {
    const { api, status } = this.deps;
    if (!api) return () => undefined;
    const off = [
      api.on('helper:state', (state) => this.setState(state)),
      api.on('helper:open-text', ({ text, fromSentence }) => void this.openText(text, fromSentence)),
      api.on('helper:notice', ({ error }) => status.fail(error)),
    ];
    void this.load();
    return () => off.forEach((unsubscribe) => unsubscribe());
  }

  /** Reads a text from its start, stopping what was read before. A text that arrives meanwhile replaces one not yet started. */
  read(request: HelperReadRequest): Promise<void> {
    const id = ++this.latestRead;
    const run = async (): Promise<void> => {
      if (id !== this.latestRead) return;
      await this.loaded;
      const { reading, playback } = this.deps;
      this.notice = '';
      this.text = request.text;
      this.truncatedFrom = request.truncatedFrom;
      // Unknown (main did not answer): the private choice.
      playback.cacheAudio = this.state?.settings.cacheAudio ?? false;
      reading.draft = request.text;
      await playback.play(0);
    };
    this.reads = this.reads.then(run, run);
    return this.reads;
  }

  async control(action: HelperControl): Promise<void> {
    // Nothing has been read yet: "pause/resume" would read an empty page.
    if (!this.text && action !== 'stop') return;
    await this.deps.playback.control(action);
  }

  /** Esc in the mini player: reading stops, then main hides the window. */
  async hide(): Promise<void> {
    await this.deps.playback.stop();
    await this.deps.api?.invoke('helper:hide', null);
  }

  /** Hands the text to the reader window at the sentence being heard; the mini player stops, so that one voice reads. */
  async openInReader(): Promise<void> {
    const { api, playback, status } = this.deps;
    if (!api || !this.text) return;
    const fromSentence = Math.max(0, playback.current);
    await playback.stop();
    const opened = await api.invoke('helper:open-in-reader', { text: this.text, fromSentence });
    if (!opened.ok) status.fail(opened.error);
  }

  /** The reader window: shows a text from the mini player as pasted text, at the sentence it was at. */
  async openText(text: string, fromSentence: number): Promise<void> {
    const { reading, playback, status } = this.deps;
    await playback.stop();
    const prepared = await reading.paste(text);
    if (!prepared) return;
    playback.current = Math.max(0, Math.min(fromSentence, prepared.sentences.length - 1));
    status.say('The helper’s text: press Play to read on from the highlighted sentence.');
  }

  /** Changes settings; returns what went wrong, or ''. Each shortcut's outcome arrives in the new state. */
  async configure(changes: ParamsOf<'helper:configure'>): Promise<string> {
    const result = await this.deps.api?.invoke('helper:configure', changes);
    if (!result) return 'The app cannot be reached.';
    if (!result.ok) return describeError(result.error);
    this.setState(result.value);
    return '';
  }

  /** Removes the helper's audio from the cache; returns what to tell the person. */
  async clearCache(): Promise<string> {
    const result = await this.deps.api?.invoke('helper:cache-clear', null);
    if (!result) return 'The app cannot be reached.';
    if (!result.ok) return describeError(result.error);
    const { removed } = result.value;
    return removed === 0 ? 'There was no helper audio in the cache.' : `Removed ${removed} ${removed === 1 ? 'piece' : 'pieces'} of the helper’s audio from the cache.`;
  }

  /**
   * The system's media keys drive the helper while it reads (play/pause, stop, next/previous
   * sentence); when it is idle they are handed back, so that another player gets them.
   */
  reflectInMediaSession(session: MediaSessionLike, metadata: (title: string) => unknown): void {
    const { playback } = this.deps;
    reflectInMediaSession(session, playback.playState, () => playback.playState, () => metadata(MEDIA_TITLE), {
      togglePause: () => void playback.togglePause(),
      stop: () => void this.control('stop'),
      next: () => void this.control('next'),
      previous: () => void this.control('previous'),
    });
  }

  private async load(): Promise<void> {
    const result = await this.deps.api?.invoke('helper:state', null);
    if (result?.ok) this.setState(result.value);
  }

  private setState(state: HelperState): void {
    this.state = state;
    // From the next request for audio on (the reader window's own reading is not the helper's).
    if (this.isMiniPlayer) this.deps.playback.cacheAudio = state.settings.cacheAudio;
  }
}
