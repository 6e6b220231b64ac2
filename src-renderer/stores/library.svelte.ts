import type { LibraryEntry, PositionParams, ReaderApi } from '../../src-shared/ipc/contract';

/** The documents opened before, and where reading stopped in them (when the app keeps a library). */
export class LibraryStore {
  /** Newest first; only entries with a file the app can open again. */
  recent = $state.raw<LibraryEntry[]>([]);

  constructor(private readonly api: ReaderApi | undefined) {}

  async load(): Promise<void> {
    const recent = await this.api?.invoke('library:recent', null);
    if (recent?.ok) this.recent = recent.value.filter((entry) => entry.fileName !== null);
  }

  /** Whether the app has the file a library document came from (so it can read it again, to export it). */
  hasFile(documentId: number): boolean {
    return this.recent.some((entry) => entry.documentId === documentId);
  }

  /** Forgets a document: its reading position and its cached audio go with it. */
  async remove(entry: LibraryEntry): Promise<void> {
    await this.api?.invoke('library:remove', { documentId: entry.documentId });
    await this.load();
  }

  /** Remembers where reading is (the app waits for a quiet moment unless `flush`). */
  savePosition(position: PositionParams): void {
    void this.api?.invoke('library:position', position);
  }
}
