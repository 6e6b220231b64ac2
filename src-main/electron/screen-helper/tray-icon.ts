/**
 * The tray icon, a 32×32 PNG (sound bars on a blue disc) kept in the code: main needs no asset
 * folder of its own in the build, and the operating system scales it for its tray.
 */
export const TRAY_ICON_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAA5ElEQVR42s2X0Q3EIAiG+34jMMJtcukqpBM4gru5gpN4NtGEa9oTbAk0+V9MI58ICMv7sy1CQdVahVWhCdsaSPeTGN0NpaoyUGr/whMAr6rIMHql2PaYAthdmiUG6UfWc9tLBIAzJ74A6EIuAM66fABwCnHm9qIIUI7XcQy4fMcYEyDTwKQA8e5pmQA9O34A4Al3C6GAAgQDgEABkpaxPwCpA4DmaQdxAazUUwRYWYVHEQBZAagIEFwAmF+BeRCap6F5IXJRis0fI/Pn2EVDYt6SuWhKXbTlLgYTF6OZi+FUfTz/AoR3LPHW2LgXAAAAAElFTkSuQmCC';
