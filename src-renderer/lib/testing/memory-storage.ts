/** The page's storage, as a browser has it (the specs run in Node, which has none). */
export class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

/** Puts a fresh `localStorage` on the global object; returns it. */
export function installMemoryStorage(): MemoryStorage {
  const storage = new MemoryStorage();
  (globalThis as { localStorage?: unknown }).localStorage = storage;
  return storage;
}

export function uninstallMemoryStorage(): void {
  delete (globalThis as { localStorage?: unknown }).localStorage;
}
