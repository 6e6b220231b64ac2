/**
 * A memo with a size limit: when it is full, the least recently used entry makes room. Every
 * in-memory cache of the app uses it, so that none grows without bound over a long book.
 * A remembered `undefined` ("not found") counts as an entry: `has` tells it from a miss.
 */
export class BoundedCache<K, V> {
  // A Map iterates in insertion order: re-inserting a key on use keeps the least recent first.
  private readonly entries = new Map<K, V>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a cache holds at least 1 entry (limit ${limit})`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether the key is remembered; does not count as a use. */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The remembered value (now the most recently used), or undefined. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Remembers a value as the most recently used, dropping the least recently used when full. */
  set(key: K, value: V): this {
    if (!this.entries.delete(key) && this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
    return this;
  }

  /** The remembered value, or `compute(key)` remembered (also when it is undefined). */
  getOrCompute(key: K, compute: (key: K) => V): V {
    if (this.entries.has(key)) return this.get(key) as V;
    const value = compute(key);
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
