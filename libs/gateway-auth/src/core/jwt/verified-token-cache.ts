/**
 * The verified-token cache of the Cognito/JWT model: a bounded, approximately least-recently-used map
 * from a token's exact text to its verification, re-validated on every hit (expiry, key still
 * trusted) without crypto.
 *
 * Why not `lru-cache` (issue 14, measured 2026-12-05, `npm run bench -- own-or-library`): with the
 * same integer key and checks, an `LRUCache` measured 0.97x, 0.98x and 1.05x this class's throughput
 * on the Fastify `@CognitoAuth()` route with a repeated token (Express 0.97x) — within 10%, but it
 * weighs 3.7 MB installed, more than the package's whole 3 MB budget (see bounded-memo.ts).
 */
import type { KeySource, VerificationKey } from './key-source';

/** What a cache entry must carry so a hit can be re-validated without crypto. */
export interface CacheableVerification {
  /** Last instant (ms since epoch, tolerance included) at which the token is still valid. */
  readonly validUntilMs: number;
  readonly key: VerificationKey;
  readonly keySource: KeySource;
}

/** One cached token: the exact text it was verified for, the verification, and its recency. */
interface Slot<T> {
  readonly token: string;
  readonly value: T;
  /** The cache's insertion counter when the slot was last (re)inserted. */
  seq: number;
}

/**
 * Characters of the token's end its map key is computed from. A token's last characters are its
 * signature's, which differ between any two tokens an issuer signs; the slot still holds the whole
 * token and a hit requires the exact same text, so two tokens sharing a key only cost a miss (a
 * forged token that does cannot displace the cached one: it fails verification and is never
 * stored). Keying by the token itself hashed the whole ~1 KB string on every request (~1 us), a
 * suffix string cost a slice and its hash; a small integer costs neither.
 */
const KEY_CHARS = 16;

/**
 * A bounded LRU of verified tokens keyed by the exact token text. A hit is returned only while the
 * injected clock is before the token's expiry and the key it was verified with is still the one its
 * source trusts for that kid (rotating a key out, or replacing it, drops its entries). A hit touches
 * no crypto.
 *
 * Recency is kept cheaply: a hit moves its entry to the newest end only when it has aged past half
 * the capacity (moving costs a delete and an insert into the map, and V8 rehashes the whole map every
 * so often; a hot token would pay that on every request). So an entry used once survives at least
 * `maxEntries / 2` further insertions, and one used at least that often is never evicted.
 */
export class VerifiedTokenCache<T extends CacheableVerification> {
  private readonly entries = new Map<number, Slot<T>>();
  /** Insertions so far (sets and moves), the recency clock of {@link Slot.seq}. */
  private seq = 0;

  constructor(readonly maxEntries = 10_000) {}

  /** The entry for `token` if still valid at `nowMs`; stale entries are removed. */
  get(token: string, nowMs: number): T | undefined {
    const key = keyOf(token);
    const slot = this.entries.get(key);
    if (slot === undefined || slot.token !== token) return undefined;
    const entry = slot.value;
    if (nowMs >= entry.validUntilMs || entry.keySource.peekKey(entry.key.kid) !== entry.key) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used goes last (Map keeps insertion order), once it is in the older half.
    if (this.seq - slot.seq > this.maxEntries >> 1) {
      slot.seq = ++this.seq;
      this.entries.delete(key);
      this.entries.set(key, slot);
    }
    return entry;
  }

  set(token: string, entry: T): void {
    const key = keyOf(token);
    this.entries.delete(key);
    this.entries.set(key, { token, value: entry, seq: ++this.seq });
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

/** A 30-bit hash (a small integer, cheap as a map key) of the token's last {@link KEY_CHARS} characters. */
function keyOf(token: string): number {
  let hash = token.length;
  for (let i = token.length - 1, end = Math.max(0, token.length - KEY_CHARS); i >= end; i--) {
    hash = (Math.imul(hash, 31) + token.charCodeAt(i)) & 0x3fffffff;
  }
  return hash;
}
