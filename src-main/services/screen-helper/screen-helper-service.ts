/**
 * The screen helper in plain Node: its settings, the mini player's client, reading the selection
 * or the clipboard into it, the controls a shortcut or the tray sends, and the clipboard watch.
 * The shell (Electron) gives it the clipboard, the shortcuts and the windows; browser mode gives
 * a stand-in clipboard and nothing else. Texts pass through here to the mini player and are
 * never logged or kept.
 */
import { errorData } from '../../../src-shared/errors/catalogue';
import type { ErrorCode } from '../../../src-shared/errors/catalogue';
import { HELPER_ACTIONS } from '../../../src-shared/screen-helper/types';
import type { HelperAction, HelperControl, HelperReadRequest, HelperSettings, HelperState, HelperTextSource, ShortcutStatus } from '../../../src-shared/screen-helper/types';
import type { PushChannel, PushMap } from '../../../src-shared/ipc/contract';
import type { ClientContext, Handlers } from '../handlers';
import { ClipboardWatch, WATCH_INTERVAL_MS } from './clipboard-watch';
import type { WatchTimers } from './clipboard-watch';
import { applyPatch } from './settings';
import type { HelperSettingsPatch, HelperSettingsStore } from './settings';
import { cutForHelper } from './text-cut';
import type { TextRead, TextSource } from './text-source';

/** The shell's global shortcuts. */
export interface ShortcutRegistrar {
  /** Unregisters what it registered before, then registers these (an empty accelerator: none); says what became of each. */
  register(shortcuts: Record<HelperAction, string>, onPress: (action: HelperAction) => void): Record<HelperAction, ShortcutStatus>;
  unregisterAll(): void;
}

export interface ScreenHelperOptions {
  settings: HelperSettingsStore;
  /** The clipboard and the selection; none: reading them says the clipboard is empty. */
  textSource?: TextSource | undefined;
  /** Global shortcuts; none (browser mode): `available` is false and every shortcut is off. */
  shortcuts?: ShortcutRegistrar | undefined;
  /** Shows the mini player (creating it; its page attaches when loaded), without taking the focus. */
  showMiniPlayer?: (() => void) | undefined;
  hideMiniPlayer?: (() => void) | undefined;
  /** Shows the reader window and gives its client once its page listens; undefined when there is none. */
  showReaderWindow?: (() => Promise<ClientContext | undefined>) | undefined;
  /** Removes the helper's audio from the audio cache; the number of pieces removed. */
  clearCachedAudio?: (() => number) | undefined;
  /** Every window hears of a change (settings, a shortcut's registration). */
  onState?: ((state: HelperState) => void) | undefined;
  timers?: WatchTimers | undefined;
  watchIntervalMs?: number | undefined;
}

type MiniPlayerPush = { [E in PushChannel]: { event: E; data: PushMap[E] } }['helper:read' | 'helper:notice'];

const OFF: ShortcutStatus['state'] = 'off';

export class ScreenHelperService {
  private settings: HelperSettings;
  private statuses: Record<HelperAction, ShortcutStatus>;
  private miniPlayer: ClientContext | undefined;
  /** What the mini player is to hear once it attaches (it is being created). Only the latest counts. */
  private pending: MiniPlayerPush | undefined;
  private readonly watch: ClipboardWatch | undefined;

  constructor(private readonly options: ScreenHelperOptions) {
    this.settings = options.settings.load();
    const source = options.textSource;
    this.watch = source ? new ClipboardWatch(() => source.readClipboard(), (text) => this.deliver(text, 'watch'), options.timers, options.watchIntervalMs ?? WATCH_INTERVAL_MS) : undefined;
    this.statuses = this.offStatuses();
  }

  /** Registers the shortcuts and starts the watch as the settings say (Electron: once the app is ready). */
  start(): void {
    this.statuses = this.applySettings();
  }

  readonly handlers: Pick<Handlers, 'helper:state' | 'helper:configure' | 'helper:attach' | 'helper:read-now' | 'helper:open-in-reader' | 'helper:hide' | 'helper:cache-clear'> = {
    'helper:state': () => Promise.resolve(this.state()),
    'helper:configure': (params) => Promise.resolve(this.configure(params)),
    'helper:attach': (_params, client) => {
      this.attach(client);
      return Promise.resolve(null);
    },
    'helper:read-now': async (params) => {
      await this.read(params.source);
      return null;
    },
    'helper:open-in-reader': async (params, client) => {
      const reader = await this.options.showReaderWindow?.();
      if (reader && reader.id !== this.miniPlayer?.id) reader.emit('helper:open-text', { text: params.text, fromSentence: params.fromSentence });
      else client.emit('helper:notice', { error: errorData('HELPER_NO_READER_WINDOW') });
      return null;
    },
    'helper:hide': () => {
      this.options.hideMiniPlayer?.();
      return Promise.resolve(null);
    },
    'helper:cache-clear': () => Promise.resolve({ removed: this.options.clearCachedAudio?.() ?? 0 }),
  };

  get available(): boolean {
    return this.options.shortcuts !== undefined;
  }

  state(): HelperState {
    return { settings: this.settings, shortcuts: this.statuses, available: this.available };
  }

  /** Saves the change and registers the shortcuts again at once; every window is told. */
  configure(patch: HelperSettingsPatch): HelperState {
    const next = applyPatch(this.settings, patch);
    this.options.settings.save(next);
    this.settings = next;
    this.statuses = this.applySettings();
    const state = this.state();
    this.options.onState?.(state);
    return state;
  }

  /** The page that asked is the mini player from now on; what was waiting for it is sent. */
  attach(client: ClientContext): void {
    this.miniPlayer = client;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.pushToMiniPlayer(pending);
  }

  isMiniPlayer(client: ClientContext): boolean {
    return this.miniPlayer?.id === client.id;
  }

  /** Reads the selection or the clipboard into the mini player; nothing to read is said there, never thrown. */
  async read(source: 'selection' | 'clipboard'): Promise<void> {
    const textSource = this.options.textSource;
    const reading = !textSource ? undefined : source === 'selection' ? textSource.readSelection() : textSource.readClipboard();
    // A clipboard that cannot be read (another program holds it) has, for the person, nothing on it.
    const read: TextRead = (await reading?.catch(() => undefined)) ?? { kind: 'empty' };
    if (read.kind === 'text') this.deliver(read.text, source);
    else this.notice(read.kind === 'not-text' ? 'HELPER_CLIPBOARD_NOT_TEXT' : source === 'selection' ? 'HELPER_SELECTION_EMPTY' : 'HELPER_CLIPBOARD_EMPTY');
  }

  /** A control for whatever the mini player reads; nothing when there is no mini player. */
  control(action: HelperControl): void {
    this.miniPlayer?.emit('helper:control', { action });
  }

  /** What a global shortcut (or the tray's item of the same name) does. */
  run(action: HelperAction): void {
    if (action === 'read-selection') void this.read('selection');
    else if (action === 'read-clipboard') void this.read('clipboard');
    else this.control(action);
  }

  disconnect(client: ClientContext): void {
    if (this.miniPlayer?.id === client.id) this.miniPlayer = undefined;
  }

  dispose(): void {
    this.watch?.stop();
    this.options.shortcuts?.unregisterAll();
    this.pending = undefined;
  }

  private deliver(text: string, source: HelperTextSource): void {
    const cut = cutForHelper(text);
    const request: HelperReadRequest = { text: cut.text, source, ...(cut.truncatedFrom !== undefined ? { truncatedFrom: cut.truncatedFrom } : {}) };
    this.toMiniPlayer({ event: 'helper:read', data: request });
  }

  private notice(code: ErrorCode): void {
    this.toMiniPlayer({ event: 'helper:notice', data: { error: errorData(code) } });
  }

  /** The mini player is shown (without taking the focus) each time; a new one hears the message when it attaches. */
  private toMiniPlayer(push: MiniPlayerPush): void {
    this.options.showMiniPlayer?.();
    if (this.miniPlayer) this.pushToMiniPlayer(push);
    else this.pending = push;
  }

  private pushToMiniPlayer(push: MiniPlayerPush): void {
    if (push.event === 'helper:read') this.miniPlayer?.emit('helper:read', push.data);
    else this.miniPlayer?.emit('helper:notice', push.data);
  }

  /** Shortcuts and the watch as the settings say. */
  private applySettings(): Record<HelperAction, ShortcutStatus> {
    if (this.settings.clipboardWatch) this.watch?.start();
    else this.watch?.stop();
    const registrar = this.options.shortcuts;
    if (registrar && this.settings.enabled) return registrar.register(this.settings.shortcuts, (action) => this.run(action));
    registrar?.unregisterAll();
    return this.offStatuses();
  }

  private offStatuses(): Record<HelperAction, ShortcutStatus> {
    return Object.fromEntries(HELPER_ACTIONS.map((action) => [action, { accelerator: this.settings.shortcuts[action], state: OFF }])) as Record<HelperAction, ShortcutStatus>;
  }
}
