/**
 * A memo of values derived from request text (parsed headers, credential scopes, compiled policies),
 * bounded so hostile callers cannot grow it: when full it forgets everything and starts again. No
 * LRU bookkeeping on the hot path; a clear costs one re-derivation per distinct key.
 */
export class BoundedMemo<K, V> {
  private readonly entries = new Map<K, V>();

  /** @param maxEntries entries kept before the memo is cleared (at least 1). */
  constructor(private readonly maxEntries: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Whether `key` is remembered (its value may be `undefined`). */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Remembers `value` under `key`, clearing the memo first when it is full. */
  set(key: K, value: V): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
