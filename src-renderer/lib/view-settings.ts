import type { ReadingFont, ViewSettings } from '../../src-shared/view-settings';
import { applyTheme } from './theme';

/** The font stacks behind the font choices: fonts every system has, no downloads. */
export const FONT_STACKS: Record<ReadingFont, string> = {
  sans: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  serif: "Charter, 'Bitstream Charter', 'Sitka Text', Cambria, Georgia, 'DejaVu Serif', serif",
  mono: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace",
};

export const FONT_NAMES: Record<ReadingFont, string> = { sans: 'Sans-serif', serif: 'Serif', mono: 'Monospace' };

/**
 * Puts the settings on the page: the reading view's type and column as CSS variables, the
 * highlight and motion choices as data attributes (styles.css reads them), and the theme.
 */
export function applyViewSettings(settings: ViewSettings, root: HTMLElement = document.documentElement): void {
  root.style.setProperty('--reading-font', FONT_STACKS[settings.font]);
  root.style.setProperty('--reading-size', `${settings.fontSize}px`);
  root.style.setProperty('--reading-line', String(settings.lineSpacing));
  root.style.setProperty('--reading-width', `${settings.columnWidth}ch`);
  root.dataset.highlightSentence = settings.highlightSentence ? 'on' : 'off';
  root.dataset.highlightWord = settings.highlightWord ? 'on' : 'off';
  root.dataset.highlightColour = settings.highlightColour;
  root.dataset.reduceMotion = settings.reduceMotion ? 'on' : 'off';
  applyTheme(settings.theme);
}

/** No smooth scrolling: the person asked for less motion, here or in the system's settings. */
export function motionReduced(): boolean {
  return document.documentElement.dataset.reduceMotion === 'on' || (globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false);
}

/** Scrolling as the motion setting allows: smooth, or at once. */
export function scrollBehavior(): ScrollBehavior {
  return motionReduced() ? 'auto' : 'smooth';
}
