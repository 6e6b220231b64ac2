// The normaliser's public types (index.ts exports them).

import type { TextRange } from '../segment';

export type Punct = '.' | ',' | '?' | '!' | ';' | ':';

export interface NormalizedWord {
  /** One speakable word (may contain a hyphen or apostrophe: "twenty-four", "don't"). */
  text: string;
  /** Source span [start, end) this word was read from; several words may share one span. */
  start: number;
  end: number;
  /** Punctuation that follows this word, for prosody. */
  punct?: Punct;
  /** A letter to be said by name ("F" of "FBI"). */
  spelled?: boolean;
}

export interface NormalizeOptions {
  locale?: 'en-US' | 'en-GB';
  /** Only normalise this range of `text` (offsets stay relative to `text`). */
  range?: TextRange;
  /**
   * The sentences of `text` as the caller already has them (offsets relative to `text`, as
   * `segmentSentences` gives them: from a sentence's first character to just after its last).
   * Given, the text is not split again; left out, it is split with `segmentSentences`.
   */
  sentences?: readonly TextRange[];
}

export interface NormalizeResult {
  words: NormalizedWord[];
}
