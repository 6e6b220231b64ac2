import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ImportedDocument } from '../../src-shared/document/model';
import { documentSentenceTable } from '../../src-shared/document/sentence-table';
import type { SentenceTable } from '../../src-shared/document/sentence-table';
import type { CoverImage } from '../../src-shared/export/types';
import { documentWordCount } from '../../src-shared/document/words';
import { AppError } from '../../src-shared/errors/catalogue';
import type { BookmarkInfo, LibraryEntry, PositionParams, VoicePrefs, VoicePrefsChange } from '../../src-shared/ipc/contract';
import { Debouncer } from './library/debouncer';
import type { Library } from './library/index';
import type { LibraryDocument, ReadingPosition } from './library/documents';
import type { Handlers } from './handlers';
import { resolveVoice } from './speech-request';
import type { VoiceInfo } from '../../src-shared/speech/types';

/** The library as the renderer uses it: recent documents, reading positions, voice preferences. */
export class LibraryService {
  /** One debouncer per document, so switching books never drops the last position of the first. */
  private readonly savers = new Map<number, Debouncer<[ReadingPosition]>>();

  constructor(readonly library: Library) {}

  readonly handlers: Pick<
    Handlers,
    'library:recent' | 'library:position' | 'library:remove' | 'library:list' | 'library:cover' | 'bookmarks:list' | 'bookmarks:add' | 'bookmarks:remove' | 'prefs:get' | 'prefs:set'
  > = {
    'library:recent': () => Promise.resolve(this.recent()),
    'library:list': () => Promise.resolve(this.list()),
    'library:cover': (params) => Promise.resolve(this.coverUrl(params.documentId)),
    'bookmarks:list': (params) => Promise.resolve(this.library.bookmarks.list(params.documentId)),
    'bookmarks:add': (params) =>
      Promise.resolve<BookmarkInfo>(this.library.bookmarks.add(params.documentId, { chapterIndex: params.chapterIndex, sentenceIndex: params.sentenceIndex, charOffset: params.charOffset }, params.label)),
    'bookmarks:remove': (params) => {
      this.library.bookmarks.remove(params.bookmarkId);
      return Promise.resolve(null);
    },
    'library:position': (params) => {
      this.savePosition(params);
      return Promise.resolve(null);
    },
    'library:remove': (params) => Promise.resolve({ removed: this.remove(params.documentId) }),
    'prefs:get': (params) => Promise.resolve(this.prefs(params?.documentId)),
    'prefs:set': (params) => Promise.resolve(this.setPrefs(params)),
  };

  prefs(documentId?: number): VoicePrefs {
    const preferences = this.library.preferences;
    const known = documentId !== undefined && Number.isInteger(documentId) && this.library.documents.get(documentId) !== undefined;
    const effective = preferences.effective(known ? documentId : undefined);
    return { voice: effective.voice, speed: effective.speed, starred: preferences.starredVoices(), forDocument: effective.overridden.length > 0 };
  }

  setPrefs(change: VoicePrefsChange): VoicePrefs {
    const preferences = this.library.preferences;
    if (typeof change.star === 'string') preferences.star(change.star);
    if (typeof change.unstar === 'string') preferences.unstar(change.unstar);
    const patch = { ...(typeof change.voice === 'string' ? { voice: change.voice } : {}), ...(typeof change.speed === 'number' ? { speed: change.speed } : {}) };
    if (change.documentId !== undefined) {
      if (change.clearDocument) preferences.setOverride(change.documentId, {});
      else if (Object.keys(patch).length > 0) preferences.setOverride(change.documentId, { ...preferences.getOverride(change.documentId), ...patch });
    } else if (Object.keys(patch).length > 0) {
      preferences.setDefaults(patch);
    }
    return this.prefs(change.documentId);
  }

  /**
   * Records an opened document and gives back where reading stopped last time. A document with no
   * file (bytes from a browser, a kept pasted text) is kept whole, so the library can open it again.
   */
  registerOpened(
    document: ImportedDocument,
    sourcePath: string | null,
    extras: { table?: SentenceTable; cover?: CoverImage | undefined } = {},
  ): { documentId: number; position?: ReadingPosition } {
    const hash = createHash('sha256');
    for (const chapter of document.chapters) hash.update(chapter.text).update('\u0000');
    const table = extras.table ?? documentSentenceTable(document);
    const chapterSentences = document.chapters.map(() => 0);
    const chapterChars = document.chapters.map(() => 0);
    for (const row of table.sentences) {
      chapterSentences[row.chapter] = (chapterSentences[row.chapter] ?? 0) + 1;
      chapterChars[row.chapter] = (chapterChars[row.chapter] ?? 0) + row.end - row.start;
    }
    const documents = this.library.documents;
    const opened = documents.open({
      title: document.title,
      author: document.author,
      sourcePath,
      contentHash: hash.digest('hex'),
      format: document.format,
      wordCount: documentWordCount(document),
      chapterSentences,
      chapterChars,
    });
    const id = opened.document.id;
    if (sourcePath === null && (opened.match === 'new' || !documents.withContent().has(id))) documents.keepContent(id, gzipSync(JSON.stringify(document)));
    if (extras.cover && extras.cover.data.length <= MAX_COVER_BYTES) documents.setCover(id, extras.cover);
    const position = opened.position && clampPosition(opened.position, document);
    return position ? { documentId: opened.document.id, position } : { documentId: opened.document.id };
  }

  /** The file a document was opened from: null when it came as bytes, undefined when it is not in the library. */
  pathOf(documentId: number): string | null | undefined {
    return this.library.documents.get(documentId)?.sourcePath;
  }

  /** The documents opened last, and whether each opens again (and so can be exported). */
  recent(): LibraryEntry[] {
    const kept = this.library.documents.withContent();
    return this.library.documents.recent(20).map((doc) => ({ ...this.entry(doc), canReopen: doc.sourcePath !== null || kept.has(doc.id) }));
  }

  /** Every document, with what the Library view shows: author, length, cover, whether it opens again. */
  list(): LibraryEntry[] {
    const documents = this.library.documents;
    const covers = documents.withCovers();
    const kept = documents.withContent();
    return documents.all().map((doc) => ({
      ...this.entry(doc),
      ...(doc.author ? { author: doc.author } : {}),
      chapterSentences: doc.chapterSentences,
      chapterChars: doc.chapterChars,
      hasCover: covers.has(doc.id),
      canReopen: doc.sourcePath !== null || kept.has(doc.id),
    }));
  }

  private entry(doc: LibraryDocument): LibraryEntry {
    const position = this.library.documents.getPosition(doc.id);
    return {
      documentId: doc.id,
      title: doc.title,
      fileName: doc.sourcePath === null ? null : basename(doc.sourcePath),
      format: doc.format,
      lastOpenedAt: doc.lastOpenedAt,
      wordCount: doc.wordCount,
      ...(position ? { position: { chapterIndex: position.chapterIndex, sentenceIndex: position.sentenceIndex, charOffset: position.charOffset } } : {}),
    };
  }

  coverUrl(documentId: number): string | null {
    const cover = this.library.documents.cover(documentId);
    return cover ? `data:${cover.mediaType};base64,${Buffer.from(cover.data).toString('base64')}` : null;
  }

  /** The document the library keeps whole (one with no file), if it keeps it. */
  storedDocument(documentId: number): ImportedDocument | undefined {
    const content = this.library.documents.content(documentId);
    return content && (JSON.parse(gunzipSync(content).toString('utf8')) as ImportedDocument);
  }

  /** Keeps a pasted text as a library document (one chapter, its paragraphs as blocks). */
  keepText(table: SentenceTable, title: string | undefined): { documentId: number } {
    const text = table.text;
    const named = title?.trim() || firstWords(text);
    if (named === '') throw AppError.of('EMPTY_TEXT');
    const blocks = (table.paragraphs ?? [{ start: 0, end: text.length }]).map((p) => ({ kind: 'paragraph' as const, start: p.start, end: p.end }));
    const document: ImportedDocument = { title: named, format: 'text', chapters: [{ title: named, order: 0, text, blocks }] };
    return { documentId: this.registerOpened(document, null, { table }).documentId };
  }

  savePosition(params: PositionParams): void {
    const { documentId } = params;
    if (!Number.isInteger(documentId) || !this.library.documents.get(documentId)) throw AppError.of('DOCUMENT_NOT_FOUND', `(${String(documentId)})`);
    let saver = this.savers.get(documentId);
    if (!saver) {
      saver = new Debouncer((position: ReadingPosition) => this.library.documents.savePosition(documentId, position), { delayMs: 1500 });
      this.savers.set(documentId, saver);
    }
    saver.schedule({ chapterIndex: params.chapterIndex, sentenceIndex: params.sentenceIndex, charOffset: params.charOffset });
    if (params.flush) saver.flush();
  }

  remove(documentId: number): boolean {
    this.savers.get(documentId)?.cancel();
    this.savers.delete(documentId);
    return this.library.documents.remove(documentId);
  }

  /** The user's named blends as voices, when every voice in them is installed. */
  blendVoices(installed: readonly VoiceInfo[]): VoiceInfo[] {
    const out: VoiceInfo[] = [];
    for (const blend of this.library.preferences.listBlends()) {
      try {
        out.push({ id: resolveVoice(blend.spec, installed), engine: 'kokoro', name: `${blend.name} (blend)`, language: 'en' });
      } catch {
        // A blend of voices that are not installed (no Kokoro model) is not offered.
      }
    }
    return out;
  }

  /** Saves a named blend after checking every voice in it is installed. */
  saveBlend(name: string, formula: string, installed: readonly VoiceInfo[]): VoiceInfo {
    const id = resolveVoice(formula, installed);
    if (!id.startsWith('kokoro:') || !/[*+]/.test(id)) throw AppError.of('INVALID_VOICE_BLEND', '(a blend mixes Kokoro voices, like af_heart*0.6+bf_emma*0.4)');
    const blend = this.library.preferences.saveBlend(name, id.slice('kokoro:'.length));
    return { id, engine: 'kokoro', name: `${blend.name} (blend)`, language: 'en' };
  }

  /** Deletes the saved blend listed as this voice id; false when no blend is listed so. */
  deleteBlend(voiceId: string, installed: readonly VoiceInfo[]): boolean {
    const blend = this.library.preferences.listBlends().find((b) => {
      try {
        return resolveVoice(b.spec, installed) === voiceId;
      } catch {
        // A blend of voices that are not installed is not listed, so it is not the one meant.
        return false;
      }
    });
    return blend ? this.library.preferences.deleteBlend(blend.name) : false;
  }

  /** Saves what is pending and closes the databases (app quit). */
  close(): void {
    try {
      for (const saver of this.savers.values()) {
        try {
          saver.flush();
        } catch {
          // One book's position failing to save (a busy database) must not lose the others'.
        }
      }
    } finally {
      this.library.close();
    }
  }
}

/** Covers are shown small; a bigger image is not kept in the library file. */
const MAX_COVER_BYTES = 2 * 1024 * 1024;

/** A title for a kept pasted text: its first line, cut at a word within 60 characters. */
function firstWords(text: string): string {
  const line = (text.trim().split('\n')[0] ?? '').replace(/\s+/gu, ' ').trim();
  if (line.length <= 60) return line;
  const cut = line.slice(0, 59);
  const space = cut.lastIndexOf(' ');
  return `${space > 20 ? cut.slice(0, space) : cut}…`;
}

/** A saved position may point past the end of a document whose file changed; keep it inside. */
function clampPosition(position: ReadingPosition, document: ImportedDocument): ReadingPosition {
  const chapterIndex = Math.min(Math.max(0, position.chapterIndex), Math.max(0, document.chapters.length - 1));
  return { chapterIndex, sentenceIndex: Math.max(0, position.sentenceIndex), charOffset: Math.max(0, position.charOffset) };
}
