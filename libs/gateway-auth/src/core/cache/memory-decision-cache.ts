import type LegacyNodeCache from 'node-cache';
import { NodeCache as CacheableNodeCache } from '@cacheable/node-cache';
import { ConfigError } from '../errors';
import { loadOptionalDependency } from '../optional-dependency';
import type { CachedDecision, DecisionCache } from './decision-cache';
import { estimateEntryBytes, estimateUnpartedBytes } from './entry-size';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_KEYS,
  validateMemoryCacheOptions,
  type MemoryDecisionCacheOptions,
} from './memory-cache-options';

export type { MemoryDecisionCacheOptions } from './memory-cache-options';

/** How many entries one namespace (authorizer) holds, and their estimated bytes. */
export interface MemoryCacheUsage {
  entries: number;
  /** Estimated heap bytes (see `cache.memory.maxBytes`). */
  bytes: number;
}

interface SyncCache {
  get(key: string): CachedDecision | undefined;
  set(key: string, value: CachedDecision, ttl: number): boolean;
  del(key: string): number;
  flushAll(): void;
  close(): void;
  on(event: 'del', listener: (key: string, value: CachedDecision) => void): unknown;
}

/** One namespace's entries and what they are estimated to cost. */
interface Namespace {
  readonly cache: SyncCache;
  /** The keys in insertion order: the first is the oldest, evicted first. */
  readonly order: Set<string>;
  /** Estimated bytes of the entries and of the distinct parts they hold. */
  bytes: number;
  /** How many entries hold each part ({@link CachedDecision.parts}): a shared part counts once. */
  readonly holders: Map<object, number>;
}

/**
 * The in-process decision cache (the default). Entries are held by reference — never cloned —
 * because a clone per hit costs more than the whole rest of a cached decision; callers must treat
 * returned entries as read-only. Expiry follows the entry's `expiresAt` (injected clock) and the
 * library's TTL only reclaims memory.
 *
 * Bounded per namespace twice: `maxKeys` entries and `maxBytes` estimated bytes (an entry's key
 * and slot, plus each distinct part of what entries hold — an authorizer's answer, its compiled
 * policy — once however many entries hold it); a write beyond either
 * evicts the oldest entries first, so callers flooding the cache with new identities cannot stop
 * others' decisions from being cached, nor grow memory whatever the decisions' size.
 * @see https://github.com/jaredwray/cacheable/tree/main/packages/node-cache
 */
export class MemoryDecisionCache implements DecisionCache {
  // One cache per namespace (authorizer): lookups use the identity key as is, no concatenation.
  private readonly namespaces = new Map<string, Namespace>();
  /** The `node-cache` class, loaded at construction when that engine is chosen. */
  private readonly legacy?: typeof LegacyNodeCache;
  private readonly maxKeys: number;
  private readonly maxBytes: number;

  /**
   * @throws ConfigError naming each invalid option (`cache.memory.<field>`), or when
   * `engine: 'node-cache'` is chosen and that package is not installed.
   */
  constructor(private readonly options: MemoryDecisionCacheOptions = {}) {
    const issues = validateMemoryCacheOptions(options);
    if (issues.length > 0) throw new ConfigError('gateway-auth options', issues);
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (options.engine === 'node-cache') {
      this.legacy = loadOptionalDependency<typeof LegacyNodeCache>(
        'node-cache',
        'cache.memory.engine',
      );
    }
  }

  /** The entry, answered without a promise (the in-process store needs no I/O: the hot path). */
  get(namespace: string, key: string): CachedDecision | undefined {
    return this.namespaces.get(namespace)?.cache.get(key);
  }

  /** Stores the entry, evicting the oldest while either bound would be exceeded. */
  set(namespace: string, key: string, entry: CachedDecision, ttlSeconds: number): Promise<void> {
    const entryBytes = estimateEntryBytes(key);
    // Larger than the whole bound even alone: not cached (the authorizer decides each time).
    if (entryBytes + this.addedBytes(undefined, entry) > this.maxBytes) return Promise.resolve();
    const space = this.namespaceFor(namespace);
    // A key set again is counted afresh, as the newest.
    if (space.order.has(key)) this.remove(space, key);
    while (
      space.order.size >= this.maxKeys ||
      space.bytes + entryBytes + this.addedBytes(space, entry) > this.maxBytes
    ) {
      const oldest = space.order.values().next();
      if (oldest.done === true) break;
      this.remove(space, oldest.value);
    }
    space.cache.set(key, entry, ttlSeconds);
    space.order.add(key);
    space.bytes += entryBytes;
    this.hold(space, entry);
    return Promise.resolve();
  }

  delete(namespace: string, key: string): Promise<void> {
    const space = this.namespaces.get(namespace);
    if (space) this.remove(space, key);
    return Promise.resolve();
  }

  flush(namespace: string): Promise<void> {
    const space = this.namespaces.get(namespace);
    if (space) {
      space.cache.flushAll();
      space.order.clear();
      space.holders.clear();
      space.bytes = 0;
    }
    return Promise.resolve();
  }

  /** Entries held for `namespace` and their estimated bytes (for monitoring and tests). */
  usage(namespace: string): MemoryCacheUsage {
    const space = this.namespaces.get(namespace);
    return { entries: space?.order.size ?? 0, bytes: space?.bytes ?? 0 };
  }

  close(): Promise<void> {
    for (const space of this.namespaces.values()) {
      space.cache.flushAll();
      space.cache.close();
    }
    this.namespaces.clear();
    return Promise.resolve();
  }

  /** The bytes of what `entry` holds that no entry of `space` holds yet (all of it without one). */
  private addedBytes(space: Namespace | undefined, entry: CachedDecision): number {
    if (entry.parts === undefined) return estimateUnpartedBytes(entry);
    let bytes = 0;
    for (const part of entry.parts) if (!space?.holders.has(part.value)) bytes += part.bytes;
    return bytes;
  }

  /** Counts what a newly stored entry holds: each part the first time an entry holds it. */
  private hold(space: Namespace, entry: CachedDecision): void {
    if (entry.parts === undefined) {
      space.bytes += estimateUnpartedBytes(entry);
      return;
    }
    for (const part of entry.parts) {
      const holders = space.holders.get(part.value) ?? 0;
      if (holders === 0) space.bytes += part.bytes;
      space.holders.set(part.value, holders + 1);
    }
  }

  /** Counts out what a departing entry held: each part when its last holder goes. */
  private release(space: Namespace, entry: CachedDecision): void {
    if (entry.parts === undefined) {
      space.bytes -= estimateUnpartedBytes(entry);
      return;
    }
    for (const part of entry.parts) {
      const holders = space.holders.get(part.value) ?? 1;
      if (holders > 1) {
        space.holders.set(part.value, holders - 1);
      } else {
        space.holders.delete(part.value);
        space.bytes -= part.bytes;
      }
    }
  }

  /** Deletes `key` from the engine; its 'del' event counts it out ({@link forget}). */
  private remove(space: Namespace, key: string): void {
    space.cache.del(key);
    // Neither engine drops an entry without its 'del' event; should one, the key still leaves the
    // order (an eviction loop must progress) and its bytes are counted out.
    if (space.order.delete(key)) space.bytes -= estimateEntryBytes(key);
  }

  /** Counts an entry out when the engine deletes it (evicted, deleted, or expired by its TTL). */
  private forget(space: Namespace, key: string, entry: CachedDecision): void {
    if (!space.order.delete(key)) return;
    space.bytes -= estimateEntryBytes(key);
    this.release(space, entry);
  }

  private namespaceFor(namespace: string): Namespace {
    let space = this.namespaces.get(namespace);
    if (!space) {
      const settings = {
        stdTTL: 0,
        useClones: false,
        checkperiod: this.options.checkPeriodSeconds ?? 60,
        // The bounds are kept here (evicting the oldest); the engines' own would refuse writes.
        maxKeys: -1,
      };
      const cache: SyncCache = this.legacy
        ? new this.legacy(settings)
        : new CacheableNodeCache<CachedDecision>(settings);
      const created: Namespace = { cache, order: new Set(), bytes: 0, holders: new Map() };
      cache.on('del', (key, value) => this.forget(created, key, value));
      this.namespaces.set(namespace, created);
      space = created;
    }
    return space;
  }
}
