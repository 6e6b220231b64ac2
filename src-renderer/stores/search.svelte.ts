import { findMatches, firstMatchFrom, MAX_MATCHES, stepMatch } from '../../src-shared/text/find';
import type { TextMatch } from '../../src-shared/text/find';
import type { PlaybackStore } from './playback.svelte';
import type { ReadingStore } from './reading.svelte';

/** A match as the reading view marks it: offsets in the shown chapter's text. */
export interface ShownMatch {
  start: number;
  end: number;
  current: boolean;
}

/**
 * Find in the open text: the query, every match in reading order, and the one shown. Moving to a
 * match shows its chapter; while reading stops, it also becomes where Play starts.
 */
export class SearchStore {
  open = $state(false);
  query = $state('');
  /** Index into `matches` of the match shown, -1 for none. */
  current = $state(-1);

  /** Every match of the query in the open text (a book's chapters, or the pasted text). */
  readonly matches: TextMatch[] = $derived.by(() => (this.open ? findMatches(this.chapterTexts(), this.query) : []));
  /** The matches in the chapter on screen, for the reading view to mark. */
  readonly shown: ShownMatch[] = $derived.by(() => {
    const chapter = this.reading.chapter;
    const out: ShownMatch[] = [];
    this.matches.forEach((m, i) => {
      if (m.chapter === chapter) out.push({ start: m.start, end: m.end, current: i === this.current });
    });
    return out;
  });
  /** "3 of 12", "No matches", or "" before anything is typed. */
  readonly summary: string = $derived.by(() => {
    if (this.query.trim() === '') return '';
    const count = this.matches.length;
    if (count === 0) return 'No matches';
    const total = count >= MAX_MATCHES ? `${MAX_MATCHES}+` : String(count);
    return this.current >= 0 ? `${this.current + 1} of ${total}` : `${total} ${count === 1 ? 'match' : 'matches'}`;
  });

  constructor(
    private readonly reading: ReadingStore,
    private readonly playback: Pick<PlaybackStore, 'current' | 'playState'>,
  ) {}

  /** Shows the find bar (its field takes the focus); the text can be searched only while it is shown as text. */
  show(): boolean {
    if (this.reading.mode !== 'read' || !this.reading.view) return false;
    this.open = true;
    return true;
  }

  close(): void {
    this.open = false;
    this.current = -1;
  }

  /** A new query: the first match from the place being read (or the chapter on screen) is shown. */
  setQuery(query: string): void {
    this.query = query;
    const from = this.fromPlace();
    this.current = firstMatchFrom(this.matches, from.chapter, from.offset);
    this.reveal();
  }

  next(): void {
    this.current = stepMatch(this.matches.length, this.current, 1);
    this.reveal();
  }

  previous(): void {
    this.current = stepMatch(this.matches.length, this.current, -1);
    this.reveal();
  }

  /** The sentence (an index into the whole text) a match is in, or -1. */
  sentenceOf(match: TextMatch): number {
    const text = this.reading.text;
    if (!text) return -1;
    const at = (text.chapterStarts[match.chapter] ?? 0) + match.start;
    // Sentences are in text order: the last one starting at or before the match.
    let low = 0;
    let high = text.sentences.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((text.sentences[mid]?.start ?? Infinity) <= at) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }

  private reveal(): void {
    const match = this.matches[this.current];
    if (!match) return;
    if (this.reading.chapter !== match.chapter) this.reading.showChapter(match.chapter);
    // Reading goes on where it is; stopped, Play starts at the match.
    if (this.playback.playState === 'idle') {
      const sentence = this.sentenceOf(match);
      if (sentence >= 0) this.playback.current = sentence;
    }
  }

  private fromPlace(): { chapter: number; offset: number } {
    const text = this.reading.text;
    const row = text?.sentences[this.playback.current];
    if (text && row && row.chapter === this.reading.chapter) return { chapter: row.chapter, offset: row.start - (text.chapterStarts[row.chapter] ?? 0) };
    return { chapter: this.reading.chapter, offset: 0 };
  }

  private chapterTexts(): string[] {
    const { document, text } = this.reading;
    if (document) return document.chapters.map((c) => c.text);
    return text?.pasted ? [text.pasted.text] : [];
  }
}
