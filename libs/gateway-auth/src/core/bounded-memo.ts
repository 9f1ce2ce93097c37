/**
 * A memo of values derived from request text (parsed headers, credential scopes, compiled policies),
 * bounded so hostile callers cannot grow it: when full it forgets everything and starts again. No
 * LRU bookkeeping on the hot path; a clear costs one re-derivation per distinct key.
 *
 * Why not `lru-cache` (issue 14, measured 2026-12-05, `npm run bench -- own-or-library`): on the
 * `@IamAuth()` route, whose requests read four of these memos, an `LRUCache` in their place was
 * within the noise (1.19x, 1.21x on Fastify, 1.05x on Express; rounds 0.71-1.72x), so speed does not
 * decide; but it would be the package's first runtime dependency of its kind and weighs 3.7 MB
 * installed, more than the whole 3 MB an Express-only service may take (test/package holds 2.7 MB).
 * Thirty lines over a `Map` do the job.
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
