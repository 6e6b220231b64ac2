import type { BookmarkInfo, ReaderApi } from '../../src-shared/ipc/contract';
import type { PlaybackStore } from './playback.svelte';
import type { ReadingStore } from './reading.svelte';
import type { StatusStore } from './status.svelte';

/** Labels are a sentence's first words. */
const LABEL_WORDS = 12;

/** The open book's bookmarks: marked at the sentence being read, listed in reading order, kept in the library. */
export class BookmarksStore {
  list = $state.raw<BookmarkInfo[]>([]);
  /** The document the list is of. */
  private documentId: number | undefined;

  constructor(
    private readonly api: ReaderApi | undefined,
    private readonly reading: ReadingStore,
    private readonly playback: Pick<PlaybackStore, 'current' | 'playState' | 'play'>,
    private readonly status: StatusStore,
  ) {}

  /** Only a library document has bookmarks (a pasted text is kept first). */
  get available(): boolean {
    return this.reading.document?.libraryId !== undefined;
  }

  /** Loads the open book's bookmarks (none when no library document is open). */
  async load(): Promise<void> {
    const documentId = this.reading.document?.libraryId;
    this.documentId = documentId;
    if (documentId === undefined) {
      this.list = [];
      return;
    }
    const listed = await this.api?.invoke('bookmarks:list', { documentId });
    if (listed?.ok && this.documentId === documentId) this.list = listed.value;
  }

  /** Marks the sentence being read (or, before reading, the first of the chapter on screen). */
  async add(): Promise<BookmarkInfo | undefined> {
    const documentId = this.reading.document?.libraryId;
    const sentence = this.playback.current >= 0 ? this.playback.current : (this.reading.firstSentences[this.reading.chapter] ?? -1);
    const position = this.reading.positionOf(sentence);
    const row = this.reading.text?.sentences[sentence];
    if (!this.api || documentId === undefined || !position || !row) return undefined;
    const chapterStart = this.reading.text?.chapterStarts[row.chapter] ?? 0;
    const sentenceText = this.reading.document?.chapters[row.chapter]?.text.slice(row.start - chapterStart, row.end - chapterStart) ?? '';
    const words = sentenceText.trim().split(/\s+/u);
    const label = words.length > LABEL_WORDS ? `${words.slice(0, LABEL_WORDS).join(' ')}…` : words.join(' ');
    const added = await this.api.invoke('bookmarks:add', { documentId, ...position, label });
    if (!added.ok) {
      this.status.fail(added.error);
      return undefined;
    }
    this.status.say(`Bookmark added: “${added.value.label}”.`);
    await this.load();
    return added.value;
  }

  async remove(bookmark: BookmarkInfo): Promise<void> {
    const removed = await this.api?.invoke('bookmarks:remove', { bookmarkId: bookmark.id });
    if (removed && !removed.ok) this.status.fail(removed.error);
    else this.status.say(`Bookmark removed: “${bookmark.label}”.`);
    await this.load();
  }

  /** The sentence (index into the whole text) a bookmark marks, or -1 when the text no longer has it. */
  sentenceOf(bookmark: BookmarkInfo): number {
    const first = this.reading.firstSentences[bookmark.chapterIndex];
    if (first === undefined) return -1;
    const sentence = first + bookmark.sentenceIndex;
    return this.reading.text?.sentences[sentence]?.chapter === bookmark.chapterIndex ? sentence : -1;
  }

  /** Goes to a bookmark: reading goes on from there if it was reading, else Play starts there. */
  async jump(bookmark: BookmarkInfo): Promise<boolean> {
    const sentence = this.sentenceOf(bookmark);
    if (sentence < 0) {
      this.status.say('That place is no longer in the text: the file changed since the bookmark was made.');
      return false;
    }
    if (this.playback.playState === 'playing' || this.playback.playState === 'starting') {
      await this.playback.play(sentence);
      return true;
    }
    this.reading.showChapter(bookmark.chapterIndex);
    this.playback.current = sentence;
    this.status.say(`At the bookmark “${bookmark.label}”. Press Play to read from there.`);
    return true;
  }
}
