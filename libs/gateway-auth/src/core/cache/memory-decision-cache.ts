import LegacyNodeCache from 'node-cache';
import { NodeCache as CacheableNodeCache } from '@cacheable/node-cache';
import type { CachedDecision, DecisionCache } from './decision-cache';

/** Options of {@link MemoryDecisionCache}. */
export interface MemoryDecisionCacheOptions {
  /**
   * Most entries kept; further sets are skipped (the authorizer is then invoked per request until
   * entries expire). Default 100,000.
   */
  maxKeys?: number;
  /** How often expired entries are swept, in seconds. Default 60. */
  checkPeriodSeconds?: number;
  /**
   * The backing library: `@cacheable/node-cache` (default; maintained) or the original `node-cache`
   * (unmaintained since 2020). Both run with `useClones: false`: values are never copied.
   */
  engine?: 'cacheable' | 'node-cache';
}

interface SyncCache {
  get(key: string): CachedDecision | undefined;
  set(key: string, value: CachedDecision, ttl: number): boolean;
  del(key: string): number;
  keys(): string[];
  flushAll(): void;
  close(): void;
}

/**
 * The in-process decision cache (the default). Entries are held by reference — never cloned —
 * because a clone per hit costs more than the whole rest of a cached decision; callers must treat
 * returned entries as read-only. Expiry follows the entry's `expiresAt` (injected clock) and the
 * library's TTL only reclaims memory.
 * @see https://github.com/jaredwray/cacheable/tree/main/packages/node-cache
 */
export class MemoryDecisionCache implements DecisionCache {
  private readonly cache: SyncCache;

  constructor(options: MemoryDecisionCacheOptions = {}) {
    const settings = {
      stdTTL: 0,
      useClones: false,
      checkperiod: options.checkPeriodSeconds ?? 60,
      maxKeys: options.maxKeys ?? 100_000,
    };
    this.cache =
      options.engine === 'node-cache'
        ? new LegacyNodeCache(settings)
        : new CacheableNodeCache<CachedDecision>(settings);
  }

  get(namespace: string, key: string): Promise<CachedDecision | undefined> {
    return Promise.resolve(this.getSync(namespace, key));
  }

  /** Synchronous lookup for the hot path (the in-process store needs no I/O). */
  getSync(namespace: string, key: string): CachedDecision | undefined {
    return this.cache.get(namespace + '\u0000' + key);
  }

  set(namespace: string, key: string, entry: CachedDecision, ttlSeconds: number): Promise<void> {
    try {
      this.cache.set(namespace + '\u0000' + key, entry, ttlSeconds);
    } catch {
      // ECACHEFULL: the store is at maxKeys; not caching is the safe answer.
    }
    return Promise.resolve();
  }

  delete(namespace: string, key: string): Promise<void> {
    this.cache.del(namespace + '\u0000' + key);
    return Promise.resolve();
  }

  flush(namespace: string): Promise<void> {
    const prefix = namespace + '\u0000';
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.del(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.cache.flushAll();
    this.cache.close();
    return Promise.resolve();
  }
}
