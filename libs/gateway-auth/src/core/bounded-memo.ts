/** A second bound of {@link BoundedMemo}: the total weight of its keys (e.g. characters of text). */
export interface MemoWeightLimit<K> {
  /** Total weight kept before the memo is cleared. */
  maxWeight: number;
  weigh(key: K): number;
}

/**
 * A memo of values derived from request text (parsed headers, credential scopes, compiled policies),
 * bounded so hostile callers cannot grow it: when full it forgets everything and starts again. No
 * LRU bookkeeping on the hot path; a clear costs one re-derivation per distinct key. Memos whose
 * keys (and the values derived from them) can be large are also bounded by their keys' total weight.
 *
 * Why not `lru-cache` (issue 14, measured 2026-12-05, `npm run bench -- own-or-library`): on the
 * `@IamAuth()` route, whose requests read four of these memos, an `LRUCache` in their place was
 * within the noise (1.19x, 1.21x on Fastify, 1.05x on Express; rounds 0.71-1.72x), so speed does not
 * decide; but it would be the package's first runtime dependency of its kind and weighs 3.7 MB
 * installed, more than the whole 3 MB an Express-only service may take (test/package holds 2.7 MB).
 * A few dozen lines over a `Map` do the job.
 */
export class BoundedMemo<K, V> {
  private readonly entries = new Map<K, V>();
  private weight = 0;

  /**
   * @param maxEntries entries kept before the memo is cleared (at least 1).
   * @param limit a bound on the keys' total weight as well.
   */
  constructor(
    private readonly maxEntries: number,
    private readonly limit?: MemoWeightLimit<K>,
  ) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Whether `key` is remembered (its value may be `undefined`). */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Remembers `value` under `key`, clearing the memo first when it is full. */
  set(key: K, value: V): void {
    if (this.limit === undefined) {
      if (this.entries.size >= this.maxEntries && !this.entries.has(key)) this.entries.clear();
    } else if (!this.entries.has(key)) {
      const weight = this.limit.weigh(key);
      if (this.entries.size >= this.maxEntries || this.weight + weight > this.limit.maxWeight) {
        this.clear();
      }
      this.weight += weight;
    }
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }
}
