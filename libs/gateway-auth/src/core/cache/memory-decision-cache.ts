import type LegacyNodeCache from 'node-cache';
import { NodeCache as CacheableNodeCache } from '@cacheable/node-cache';
import { loadOptionalDependency } from '../optional-dependency';
import type { CachedDecision, DecisionCache } from './decision-cache';

/** Options of {@link MemoryDecisionCache}. */
export interface MemoryDecisionCacheOptions {
  /**
   * Most entries kept per authorizer; further sets are skipped (the authorizer is then invoked per request until
   * entries expire). Default 100,000.
   */
  maxKeys?: number;
  /** How often expired entries are swept, in seconds. Default 60. */
  checkPeriodSeconds?: number;
  /**
   * The backing library: `@cacheable/node-cache` (default; maintained) or the original `node-cache`
   * (unmaintained since 2020; an optional peer dependency to install). Both run with `useClones: false`: values are never copied.
   */
  engine?: 'cacheable' | 'node-cache';
}

interface SyncCache {
  get(key: string): CachedDecision | undefined;
  set(key: string, value: CachedDecision, ttl: number): boolean;
  del(key: string): number;
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
  // One cache per namespace (authorizer): lookups use the identity key as is, no concatenation.
  private readonly caches = new Map<string, SyncCache>();

  /** The `node-cache` class, loaded at construction when that engine is chosen. */
  private readonly legacy?: typeof LegacyNodeCache;

  /** @throws ConfigError when `engine: 'node-cache'` is chosen and that package is not installed. */
  constructor(private readonly options: MemoryDecisionCacheOptions = {}) {
    if (options.engine === 'node-cache') {
      this.legacy = loadOptionalDependency<typeof LegacyNodeCache>(
        'node-cache',
        'cache.memory.engine',
      );
    }
  }

  get(namespace: string, key: string): Promise<CachedDecision | undefined> {
    return Promise.resolve(this.getSync(namespace, key));
  }

  /** Synchronous lookup for the hot path (the in-process store needs no I/O). */
  getSync(namespace: string, key: string): CachedDecision | undefined {
    return this.caches.get(namespace)?.get(key);
  }

  set(namespace: string, key: string, entry: CachedDecision, ttlSeconds: number): Promise<void> {
    try {
      this.cacheFor(namespace).set(key, entry, ttlSeconds);
    } catch {
      // ECACHEFULL: the namespace is at maxKeys; not caching is the safe answer.
    }
    return Promise.resolve();
  }

  delete(namespace: string, key: string): Promise<void> {
    this.caches.get(namespace)?.del(key);
    return Promise.resolve();
  }

  flush(namespace: string): Promise<void> {
    this.caches.get(namespace)?.flushAll();
    return Promise.resolve();
  }

  close(): Promise<void> {
    for (const cache of this.caches.values()) {
      cache.flushAll();
      cache.close();
    }
    this.caches.clear();
    return Promise.resolve();
  }

  private cacheFor(namespace: string): SyncCache {
    let cache = this.caches.get(namespace);
    if (!cache) {
      const settings = {
        stdTTL: 0,
        useClones: false,
        checkperiod: this.options.checkPeriodSeconds ?? 60,
        maxKeys: this.options.maxKeys ?? 100_000,
      };
      cache = this.legacy
        ? new this.legacy(settings)
        : new CacheableNodeCache<CachedDecision>(settings);
      this.caches.set(namespace, cache);
    }
    return cache;
  }
}
