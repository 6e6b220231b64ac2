/** The export formats as files and as people see them named. */

/** The endings a file of each format may have; the first is the one to suggest. */
export const FORMAT_EXTENSIONS = {
  m4b: ['.m4b', '.m4a', '.mp4'],
  mp3: ['.mp3'],
  opus: ['.opus', '.ogg'],
  flac: ['.flac'],
  wav: ['.wav'],
  epub: ['.epub'],
} as const;

/** What each format is called in a file dialog and in the window. */
export const EXPORT_FORMAT_NAMES = {
  m4b: 'M4B audiobook (AAC, chapters)',
  mp3: 'MP3 audio',
  opus: 'Opus audio (Ogg)',
  flac: 'FLAC audio (lossless)',
  wav: 'WAV audio',
  epub: 'Read-along EPUB 3',
} as const;
