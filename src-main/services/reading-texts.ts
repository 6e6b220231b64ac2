import { AppError } from '../../src-shared/errors/catalogue';
import type { ReadingTextInfo } from '../../src-shared/ipc/contract';
import type { SentenceTable } from '../../src-shared/document/sentence-table';
import type { ClientContext } from './handlers';

/**
 * Which of a client's texts a new one replaces: each window has one open document, one pasted
 * text, and one sample (a voice's preview, a word from the pronunciations) that leaves the other two be.
 */
export type TextKind = 'document' | 'pasted' | 'sample';

interface HeldText {
  owner: string;
  kind: TextKind;
  table: SentenceTable;
}

/**
 * The texts main holds for reading, by id. A renderer registers a text once (by opening a
 * document or setting pasted text), gets its sentence table, and from then on refers to it by
 * id: the text is never sent back, nor split into sentences again.
 */
export class ReadingTexts {
  private readonly texts = new Map<string, HeldText>();
  private nextId = 1;

  /** Holds a text for a client, in place of its previous text of the same kind. */
  add(client: ClientContext, kind: TextKind, table: SentenceTable): ReadingTextInfo {
    for (const [id, held] of this.texts) if (held.owner === client.id && held.kind === kind) this.texts.delete(id);
    const textId = `t${this.nextId++}`;
    this.texts.set(textId, { owner: client.id, kind, table });
    return { textId, sentences: table.sentences, chapterStarts: table.chapterStarts };
  }

  /** A client's text; another client's id, or one replaced since, is TEXT_NOT_FOUND. */
  get(client: ClientContext, textId: string): SentenceTable {
    const held = this.texts.get(textId);
    if (!held || held.owner !== client.id) throw AppError.of('TEXT_NOT_FOUND', `(${textId})`);
    return held.table;
  }

  /** A client went away: its texts go with it. */
  drop(client: ClientContext): void {
    for (const [id, held] of this.texts) if (held.owner === client.id) this.texts.delete(id);
  }
}
