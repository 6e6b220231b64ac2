/** The colour theme: the system's, or light or dark; kept in the page's storage across starts. */
export type Theme = 'system' | 'light' | 'dark';

const KEY = 'kokoro-reader:theme';
const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

export function savedTheme(): Theme {
  try {
    const value = localStorage.getItem(KEY);
    return THEMES.find((t) => t === value) ?? 'system';
  } catch {
    return 'system'; // Storage can be off (private windows); the system theme is a fine default.
  }
}

export function saveTheme(theme: Theme): void {
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Not remembered this time; the theme still applies.
  }
}

export function nextTheme(theme: Theme): Theme {
  return THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length] ?? 'system';
}

/** Applies a theme to the page (styles.css reads data-theme; without it the system decides). */
export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
