import { AuthError } from '../errors';
import type { Logger } from '../logger';
import type { DecisionCache } from './decision-cache';
import { SingleFlight } from './single-flight';

/** What a load answers: the value and how long it stays fresh. */
export interface Loaded<T> {
  value: T;
  /** Epoch ms (injected clock) after which the value must be loaded again. */
  expiresAt: number;
}

/** Options of {@link TieredCache}. */
export interface TieredCacheOptions<T> {
  /** Namespace in the shared store, and the name in logs. */
  name: string;
  /** Most values kept in process; the oldest is dropped beyond. */
  maxEntries: number;
  /** A store shared by every task (Redis); values are written there as `encode` text. */
  shared?: DecisionCache;
  encode(value: T): string;
  /** The value back from the shared store's text; `undefined` when it is not one (a miss). */
  decode(text: string): T | undefined;
  /** How long a refusal (an `AuthError` of category `client`) is remembered, ms. 0: never. */
  refusalTtlMs: number;
  /**
   * How long after expiry a value may still be answered when loading it again fails with an
   * infrastructure error (stale-if-error), ms. 0: never.
   */
  staleIfErrorMs: number;
  logger: Logger;
}

interface Entry<T> {
  value: T | undefined;
  refusal: AuthError | undefined;
  expiresAt: number;
}

/**
 * A bounded in-process cache in front of an optional shared store, with one load per key at a
 * time (single flight), refusals remembered briefly, infrastructure failures never remembered, and
 * stale values answered for a bounded time when a reload fails (stale-if-error). Keys must already
 * be hashes of anything secret: they are kept in memory and (hashed again) in the shared store.
 */
export class TieredCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly flights = new SingleFlight<T>();

  constructor(private readonly options: TieredCacheOptions<T>) {}

  /**
   * The value held in process for `key` while fresh at `nowMs`, for the synchronous hot path.
   * @throws AuthError the remembered refusal, while it is remembered.
   */
  peek(key: string, nowMs: number): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || nowMs >= entry.expiresAt) return undefined;
    if (entry.refusal !== undefined) throw entry.refusal;
    return entry.value;
  }

  /**
   * The value for `key`: in process, else from the shared store, else from `load` (one at a time
   * per key; concurrent callers share it).
   * @throws AuthError from `load` (a refusal is then remembered for `refusalTtlMs`).
   */
  async get(key: string, nowMs: number, load: () => Promise<Loaded<T>>): Promise<T> {
    const held = this.peek(key, nowMs);
    if (held !== undefined) return held;
    return this.flights.run(key, async () => {
      const shared = await this.readShared(key, nowMs);
      if (shared !== undefined) return shared;
      try {
        const loaded = await load();
        this.remember(key, {
          value: loaded.value,
          refusal: undefined,
          expiresAt: loaded.expiresAt,
        });
        await this.writeShared(key, loaded, nowMs);
        return loaded.value;
      } catch (error) {
        return this.onFailure(key, nowMs, error);
      }
    });
  }

  /** Forgets everything held in process. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private onFailure(key: string, nowMs: number, error: unknown): T {
    if (error instanceof AuthError && error.category === 'client') {
      if (this.options.refusalTtlMs > 0) {
        this.remember(key, {
          value: undefined,
          refusal: error,
          expiresAt: nowMs + this.options.refusalTtlMs,
        });
      }
      throw error;
    }
    const stale = this.entries.get(key);
    if (
      stale?.value !== undefined &&
      this.options.staleIfErrorMs > 0 &&
      nowMs < stale.expiresAt + this.options.staleIfErrorMs
    ) {
      this.options.logger.log('warn', 'gateway-auth.cache.stale', {
        cache: this.options.name,
        message: 'reload failed; answering the previous value (stale-if-error)',
        error: error instanceof Error ? error.message : String(error),
      });
      return stale.value;
    }
    throw error;
  }

  private remember(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  private async readShared(key: string, nowMs: number): Promise<T | undefined> {
    const shared = this.options.shared;
    if (shared === undefined) return undefined;
    const entry = await shared.get(this.options.name, key);
    if (entry === undefined || nowMs >= entry.expiresAt) return undefined;
    const value = this.options.decode(entry.payload);
    if (value === undefined) return undefined;
    this.remember(key, { value, refusal: undefined, expiresAt: entry.expiresAt });
    return value;
  }

  private async writeShared(key: string, loaded: Loaded<T>, nowMs: number): Promise<void> {
    const shared = this.options.shared;
    if (shared === undefined) return;
    const ttlSeconds = Math.ceil((loaded.expiresAt - nowMs) / 1000);
    if (ttlSeconds < 1) return;
    await shared.set(
      this.options.name,
      key,
      { payload: this.options.encode(loaded.value), expiresAt: loaded.expiresAt },
      Math.min(ttlSeconds, 3600),
    );
  }
}
