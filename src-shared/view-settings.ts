/**
 * How the reading view looks and behaves, as the person set it: type, spacing, column, theme,
 * highlight, motion, focus mode and the single-key shortcuts. Plain data, kept in the library.
 */

export const READING_FONTS = ['sans', 'serif', 'mono'] as const;
export type ReadingFont = (typeof READING_FONTS)[number];

export const THEMES = ['light', 'dark', 'system'] as const;
export type ThemeChoice = (typeof THEMES)[number];

/** Highlight colours; each has a light and a dark pair that keeps WCAG AA contrast (styles.css). */
export const HIGHLIGHT_COLOURS = ['yellow', 'blue', 'green', 'pink'] as const;
export type HighlightColour = (typeof HIGHLIGHT_COLOURS)[number];

export const FONT_SIZE = { min: 14, max: 32 } as const;
export const LINE_SPACING = { min: 1.2, max: 2.4 } as const;
/** Characters per line. */
export const COLUMN_WIDTH = { min: 40, max: 100 } as const;

export interface ViewSettings {
  font: ReadingFont;
  /** CSS pixels. */
  fontSize: number;
  /** Line height, times the font size. */
  lineSpacing: number;
  /** The text column's widest, in characters. */
  columnWidth: number;
  theme: ThemeChoice;
  highlightSentence: boolean;
  highlightWord: boolean;
  highlightColour: HighlightColour;
  /** No smooth scrolling or animation, even when the system does not ask for it. */
  reduceMotion: boolean;
  /** While reading, the toolbar, chapter list and status bar are hidden. */
  focusMode: boolean;
  /** The reading keys that are a single character (k, n, p, +, -); off for speech input users (WCAG 2.1.4). */
  singleKeyShortcuts: boolean;
}

export const DEFAULT_VIEW_SETTINGS: ViewSettings = {
  font: 'sans',
  fontSize: 19,
  lineSpacing: 1.7,
  columnWidth: 70,
  theme: 'system',
  highlightSentence: true,
  highlightWord: true,
  highlightColour: 'yellow',
  reduceMotion: false,
  focusMode: false,
  singleKeyShortcuts: true,
};

export type ViewSettingsPatch = Partial<ViewSettings>;

function clamp(value: unknown, range: { min: number; max: number }, fallback: number, step: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.round(Math.min(range.max, Math.max(range.min, value)) / step) * step;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.find((option) => option === value) ?? fallback;
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/** The settings with a patch applied: numbers are kept in range, anything of the wrong kind is ignored. */
export function applyViewPatch(settings: ViewSettings, patch: Record<string, unknown>): ViewSettings {
  return {
    font: oneOf(patch.font, READING_FONTS, settings.font),
    fontSize: clamp(patch.fontSize, FONT_SIZE, settings.fontSize, 1),
    // Rounded to tenths: repeated steps do not drift into 1.7000000001.
    lineSpacing: Math.round(clamp(patch.lineSpacing, LINE_SPACING, settings.lineSpacing, 0.1) * 10) / 10,
    columnWidth: clamp(patch.columnWidth, COLUMN_WIDTH, settings.columnWidth, 1),
    theme: oneOf(patch.theme, THEMES, settings.theme),
    highlightSentence: flag(patch.highlightSentence, settings.highlightSentence),
    highlightWord: flag(patch.highlightWord, settings.highlightWord),
    highlightColour: oneOf(patch.highlightColour, HIGHLIGHT_COLOURS, settings.highlightColour),
    reduceMotion: flag(patch.reduceMotion, settings.reduceMotion),
    focusMode: flag(patch.focusMode, settings.focusMode),
    singleKeyShortcuts: flag(patch.singleKeyShortcuts, settings.singleKeyShortcuts),
  };
}

/** Settings as stored (JSON): anything unreadable (another version's, a damaged row) falls back to the defaults. */
export function parseStoredViewSettings(raw: string | undefined): ViewSettings {
  if (raw === undefined) return DEFAULT_VIEW_SETTINGS;
  try {
    const stored = JSON.parse(raw) as unknown;
    return typeof stored === 'object' && stored !== null ? applyViewPatch(DEFAULT_VIEW_SETTINGS, stored as Record<string, unknown>) : DEFAULT_VIEW_SETTINGS;
  } catch {
    return DEFAULT_VIEW_SETTINGS;
  }
}
