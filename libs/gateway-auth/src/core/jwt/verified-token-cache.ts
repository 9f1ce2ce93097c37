import type { KeySource, VerificationKey } from './key-source';

/** What a cache entry must carry so a hit can be re-validated without crypto. */
export interface CacheableVerification {
  /** Last instant (ms since epoch, tolerance included) at which the token is still valid. */
  readonly validUntilMs: number;
  readonly key: VerificationKey;
  readonly keySource: KeySource;
}

/**
 * A bounded LRU of verified tokens keyed by the exact token text. A hit is returned only while the
 * injected clock is before the token's expiry and the key it was verified with is still the one its
 * source trusts for that kid (rotating a key out, or replacing it, drops its entries). A hit touches
 * no crypto.
 */
export class VerifiedTokenCache<T extends CacheableVerification> {
  private readonly entries = new Map<string, T>();

  constructor(readonly maxEntries = 10_000) {}

  /** The entry for `token` if still valid at `nowMs`; stale entries are removed. */
  get(token: string, nowMs: number): T | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.validUntilMs || entry.keySource.peekKey(entry.key.kid) !== entry.key) {
      this.entries.delete(token);
      return undefined;
    }
    // Most recently used goes last (Map keeps insertion order).
    this.entries.delete(token);
    this.entries.set(token, entry);
    return entry;
  }

  set(token: string, entry: T): void {
    this.entries.delete(token);
    this.entries.set(token, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
