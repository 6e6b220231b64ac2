import type { Block } from '../../src-shared/document/model';
import { chapterFirstSentences } from '../../src-shared/document/sentence-table';
import type { FileGrant, OpenDocumentParams, OpenedDocument, ReaderApi, ReadingTextInfo } from '../../src-shared/ipc/contract';
import type { LibraryStore } from './library.svelte';
import type { StatusStore } from './status.svelte';
import type { VoicesStore } from './voices.svelte';

/** A sentence as the reading view shows it: offsets into the shown chapter's text, and its index in the whole text. */
export interface ShownSentence {
  index: number;
  start: number;
  end: number;
}

/** The chapter on screen: its text, sentences and blocks. */
export interface ChapterView {
  text: string;
  sentences: ShownSentence[];
  blocks: Block[];
  /** Where the chapter starts in the whole text (the engine's offsets are into the whole text). */
  offset: number;
}

/**
 * What is being read: a pasted text or an open document, as main holds it (an id and a table of
 * sentences, split once in main), and the chapter on screen. The renderer never splits text.
 */
export class ReadingStore {
  mode = $state<'edit' | 'read'>('edit');
  /** The text in the editor. */
  draft = $state('');
  /** The open document, if the text came from one (raw: a book is too big to proxy deeply). */
  document = $state.raw<OpenedDocument | undefined>(undefined);
  /** The text main holds for reading: the document's, or the draft as last registered. */
  text = $state.raw<(ReadingTextInfo & { pasted?: { text: string; paragraphs: Block[] } }) | undefined>(undefined);
  /** The chapter on screen. */
  chapter = $state(0);
  /** A document being opened: its name and how far the import has got (0..1). */
  opening = $state<{ name: string; fraction: number } | undefined>(undefined);

  /** Whether there is anything to read (cheap for a long draft: stops at the first letter). */
  readonly hasText: boolean = $derived(this.document !== undefined || /\S/.test(this.draft));
  /** The index of the first sentence of each chapter. */
  readonly firstSentences: number[] = $derived(this.text ? chapterFirstSentences(this.text) : []);
  readonly sentenceCount: number = $derived(this.text?.sentences.length ?? 0);
  readonly view: ChapterView | undefined = $derived.by(() => this.chapterView(this.chapter));

  constructor(
    private readonly api: ReaderApi | undefined,
    private readonly status: StatusStore,
    private readonly library: LibraryStore,
    private readonly voices: VoicesStore,
  ) {
    api?.on('document:progress', (progress) => {
      if (this.opening) this.opening = { name: this.opening.name, fraction: progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0 };
    });
  }

  /**
   * Makes sure main holds what is to be read, and shows it: the draft is registered once per
   * change (main splits it into sentences and keeps it). Undefined when there is nothing to read.
   */
  async prepare(): Promise<ReadingTextInfo | undefined> {
    if (!this.api) return undefined;
    if (this.document) {
      this.mode = 'read';
      return this.text;
    }
    if (!/\S/.test(this.draft)) {
      this.status.fail({ code: 'EMPTY_TEXT', message: 'There is no text to read.' });
      return undefined;
    }
    if (this.text?.pasted?.text !== this.draft) {
      const draft = this.draft;
      const result = await this.api.invoke('text:set', { text: draft });
      if (!result.ok) {
        this.status.fail(result.error);
        return undefined;
      }
      const { paragraphs, ...info } = result.value;
      this.text = { ...info, pasted: { text: draft, paragraphs: paragraphs.map((p) => ({ kind: 'paragraph' as const, ...p })) } };
    }
    this.chapter = 0;
    this.mode = 'read';
    return this.text;
  }

  /** The app shows its own file dialog (and grants dropped files); a browser page uses its file input. */
  get hasFileDialog(): boolean {
    return this.api?.grantFile !== undefined;
  }

  /**
   * What to send to open a File the user picked or dropped. In the app the preload turns it into
   * a handle main grants (the page never sends a path); in a browser, or for a File with no path
   * on disk, its bytes. Undefined when main refused the file itself (said in the status).
   */
  async paramsForFile(file: File): Promise<OpenDocumentParams | undefined> {
    const granted = await this.api?.grantFile?.(file);
    if (granted?.ok) return { handle: granted.value.handle };
    // A folder, a pipe or a kind the app does not open: reading its bytes would fail or hang.
    if (granted && granted.error.code !== 'FILE_NOT_CHOSEN') {
      this.status.fail(granted.error);
      return undefined;
    }
    return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  }

  /** Open… in the app: main's file dialog. The chosen file's handle and name; undefined when cancelled (or failed, said in the status). */
  async chooseInDialog(): Promise<FileGrant | undefined> {
    const chosen = await this.api?.invoke('dialog:open', null);
    if (chosen && !chosen.ok) this.status.fail(chosen.error);
    return chosen?.ok ? (chosen.value ?? undefined) : undefined;
  }

  /** Opens a document; its saved settings and position are restored. Returns where to start reading, or undefined. */
  async open(params: OpenDocumentParams, name: string): Promise<{ document: OpenedDocument; sentence: number } | undefined> {
    if (!this.api) return undefined;
    this.status.clear();
    this.opening = { name, fraction: 0 };
    this.status.say(`Opening ${name}…`);
    const result = await this.api.invoke('document:open', params);
    this.opening = undefined;
    if (!result.ok) {
      this.status.fail(result.error);
      return undefined;
    }
    const document = result.value;
    this.document = document;
    this.text = document.text;
    this.voices.leaveDocument();
    const voiceNote = document.libraryId !== undefined ? await this.voices.loadForDocument(document.libraryId) : '';
    const position = document.position;
    const chapter = position ? Math.min(position.chapterIndex, document.chapters.length - 1) : 0;
    this.chapter = chapter;
    this.mode = 'read';
    const count = document.chapters.length;
    let message = `Opened “${document.title}”: ${count} ${count === 1 ? 'chapter' : 'chapters'}.`;
    let sentence = -1;
    if (position && this.firstSentences[chapter] !== undefined) {
      const global = (this.firstSentences[chapter] ?? 0) + position.sentenceIndex;
      if (global < this.sentenceCount && this.text.sentences[global]?.chapter === chapter) {
        sentence = global;
        message += ' Press Play to continue where you stopped.';
      }
    }
    this.status.say(voiceNote ? `${message} ${voiceNote}` : message);
    void this.library.load();
    return { document, sentence };
  }

  async cancelOpen(): Promise<void> {
    await this.api?.invoke('document:cancel', null);
  }

  /**
   * Makes the text editable. A book's chapter becomes pasted text (its blocks would no longer
   * match), so the window asks first; the book stays in the library.
   */
  edit(): void {
    if (this.document) {
      this.draft = this.view?.text ?? '';
      this.document = undefined;
      this.text = undefined;
      this.voices.leaveDocument();
    }
    this.mode = 'edit';
    // What the footer said was about the reading that just ended.
    this.status.clear();
  }

  /** Shows a text as pasted text, ready to read (an open document closes; it stays in the library). */
  async paste(text: string): Promise<ReadingTextInfo | undefined> {
    if (this.document) {
      this.document = undefined;
      this.text = undefined;
      this.voices.leaveDocument();
    }
    this.draft = text;
    return this.prepare();
  }

  showChapter(index: number): void {
    if (this.text && index >= 0 && index < this.text.chapterStarts.length) this.chapter = index;
  }

  /** The chapter a sentence of the whole text is in. */
  chapterOf(sentence: number): number {
    return this.text?.sentences[sentence]?.chapter ?? this.chapter;
  }

  /** Where a sentence is, as the library keeps positions: chapter, sentence within it, offset in its text. */
  positionOf(sentence: number): { chapterIndex: number; sentenceIndex: number; charOffset: number } | undefined {
    const row = this.text?.sentences[sentence];
    if (!row) return undefined;
    const chapterStart = this.text?.chapterStarts[row.chapter] ?? 0;
    return { chapterIndex: row.chapter, sentenceIndex: sentence - (this.firstSentences[row.chapter] ?? 0), charOffset: row.start - chapterStart };
  }

  private chapterView(chapter: number): ChapterView | undefined {
    const text = this.text;
    if (!text) return undefined;
    const offset = text.chapterStarts[chapter] ?? 0;
    const first = this.firstSentences[chapter] ?? 0;
    const end = this.firstSentences[chapter + 1] ?? text.sentences.length;
    const sentences: ShownSentence[] = [];
    for (let index = first; index < end; index++) {
      const row = text.sentences[index];
      if (row) sentences.push({ index, start: row.start - offset, end: row.end - offset });
    }
    const shown = this.document?.chapters[chapter];
    if (shown) return { text: shown.text, sentences, blocks: shown.blocks, offset };
    return { text: text.pasted?.text ?? '', sentences, blocks: text.pasted?.paragraphs ?? [], offset };
  }
}
