/**
 * The screen helper's shared vocabulary: what its global shortcuts do, the settings the person
 * chooses, and what the mini player is told. Main (shortcuts, tray, clipboard) and the mini
 * player page (a second window of the same renderer) both speak these types.
 */

/** What a global shortcut can do; each has at most one accelerator. */
export const HELPER_ACTIONS = ['read-selection', 'read-clipboard', 'pause-resume', 'stop', 'faster', 'slower'] as const;
export type HelperAction = (typeof HELPER_ACTIONS)[number];

/** What each action is called where the person reads about it (settings, messages about its shortcut). */
export const HELPER_ACTION_NAMES: Record<HelperAction, string> = {
  'read-selection': 'Read the selection',
  'read-clipboard': 'Read the clipboard',
  'pause-resume': 'Pause / resume',
  stop: 'Stop',
  faster: 'Faster',
  slower: 'Slower',
};

/** The helper's texts: where one came from. `watch`: copied while the clipboard watch was on. */
export type HelperTextSource = 'selection' | 'clipboard' | 'watch';

/** What the mini player is asked to do (by a shortcut, the tray, or a media key). */
export type HelperControl = 'pause-resume' | 'stop' | 'faster' | 'slower' | 'next' | 'previous';

/** The person's choices, kept in the library's settings. */
export interface HelperSettings {
  /** Global shortcuts and the tray icon are on. */
  enabled: boolean;
  /** An Electron accelerator per action ("CommandOrControl+Alt+R"); '' for none. */
  shortcuts: Record<HelperAction, string>;
  /** Closing the reader window keeps the app running in the tray. */
  keepInTray: boolean;
  /** Read whatever is copied (off by default); an indicator shows while it is on. */
  clipboardWatch: boolean;
  /** The helper's audio may go into the audio cache (its text is never stored either way). */
  cacheAudio: boolean;
}

/** How a shortcut's registration went, said to the person by name when it did not work. */
export type ShortcutState = 'registered' | 'taken' | 'invalid' | 'off';

export interface ShortcutStatus {
  accelerator: string;
  state: ShortcutState;
  /** For `taken` and `invalid`: the sentence to show ("Ctrl+Alt+R is used by another program."). */
  message?: string;
}

/** The helper as a window shows it: the settings, and what became of each shortcut. */
export interface HelperState {
  settings: HelperSettings;
  shortcuts: Record<HelperAction, ShortcutStatus>;
  /** False where the platform or the app has no global shortcuts or tray (browser mode). */
  available: boolean;
}

/** A text for the mini player to read from its start, at once. */
export interface HelperReadRequest {
  text: string;
  source: HelperTextSource;
  /** Set when the text was longer than the helper reads: its full length in characters. */
  truncatedFrom?: number;
}
