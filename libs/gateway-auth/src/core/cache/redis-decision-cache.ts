import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import { loadOptionalDependency } from '../optional-dependency';
import {
  noopTelemetry,
  type AuthTelemetry,
  type DependencyCall,
} from '../telemetry/auth-telemetry';
import type { CachedDecision, DecisionCache } from './decision-cache';

/**
 * The commands {@link RedisDecisionCache} sends. An `ioredis` client (`Redis` or `Cluster`) is one;
 * the package's types do not depend on `ioredis` being installed.
 */
export interface RedisClient {
  readonly status: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, expiryMode: 'EX', seconds: number): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
  scan(
    cursor: string,
    matchOption: 'MATCH',
    pattern: string,
    countOption: 'COUNT',
    count: number,
  ): Promise<[cursor: string, keys: string[]]>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
  ping(): Promise<unknown>;
}

/** Options of {@link RedisDecisionCache}. */
export interface RedisDecisionCacheOptions {
  /**
   * `redis://[:password@]host:port[/db]` / `rediss://...` (TLS, e.g. ElastiCache in-transit
   * encryption): a client is created with the optional peer dependency `ioredis`. Or an ioredis
   * client you own (`Redis` or `Cluster`).
   */
  redis: string | RedisClient;
  /** Prefix of every key. Default `gateway-auth:authorizer:`. */
  keyPrefix?: string;
  /**
   * Longest a cache read or write may take, in milliseconds, before the request falls back to
   * invoking the authorizer. Default 200.
   */
  operationTimeoutMs?: number;
  /** Connection timeout in milliseconds. Default 1000. */
  connectTimeoutMs?: number;
  /**
   * Extra options of the ioredis client created from a URL (its `RedisOptions`: TLS, sentinels...).
   * Ours win for timeouts and queueing.
   */
  redisOptions?: object;
  /** Where Redis failures are reported (rate-limited). Default: silent. */
  logger?: Logger;
  /** Clock for log rate limiting. Default: the system clock. */
  clock?: Clock;
  /** Where commands are traced and timed, and failures counted. Default: nothing recorded. */
  telemetry?: AuthTelemetry;
}

const GET: DependencyCall = Object.freeze({ kind: 'redis', operation: 'GET' });
const SET: DependencyCall = Object.freeze({ kind: 'redis', operation: 'SET' });
const PING: DependencyCall = Object.freeze({ kind: 'redis', operation: 'PING' });

/** What a Redis health check found. */
export interface RedisHealth {
  healthy: boolean;
  /** ioredis connection status (`ready`, `connecting`, `reconnecting`, `end`...). */
  status: string;
  /** Round trip of the PING, ms, when it answered. */
  latencyMs?: number;
  error?: string;
}

/**
 * A decision cache in Redis, so every task behind the load balancer shares authorizer decisions.
 * Keys are `{prefix}{namespace}:{sha256(identity)}` — tokens never appear in Redis keys. Built to
 * fail open to the authorizer, never to an allow: commands are not queued while disconnected, are
 * not retried and time out after `operationTimeoutMs`; a failed read is a miss (the authorizer is
 * invoked), a failed write is skipped, and both are logged (at most once per 10 s).
 * @see https://github.com/redis/ioredis
 */
export class RedisDecisionCache implements DecisionCache {
  private readonly client: RedisClient;
  private readonly ownsClient: boolean;
  private readonly prefix: string;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly telemetry: AuthTelemetry;
  private lastLogAt = Number.NEGATIVE_INFINITY;

  constructor(options: RedisDecisionCacheOptions) {
    this.prefix = options.keyPrefix ?? 'gateway-auth:authorizer:';
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.telemetry = options.telemetry ?? noopTelemetry;
    const timeoutMs = options.operationTimeoutMs ?? 200;
    if (typeof options.redis === 'string') {
      this.ownsClient = true;
      const RedisConstructor = loadOptionalDependency<typeof Redis>('ioredis', 'cache.redis');
      this.client = new RedisConstructor(options.redis, {
        ...(options.redisOptions as RedisOptions | undefined),
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: timeoutMs,
        connectTimeout: options.connectTimeoutMs ?? 1000,
        disconnectTimeout: 100,
        retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
      });
    } else {
      this.ownsClient = false;
      this.client = options.redis;
    }
    this.client.on('error', (error: Error) => {
      this.telemetry.dependencyError('redis', 'connection', error);
      this.report('redis connection error', error);
    });
  }

  async get(namespace: string, key: string): Promise<CachedDecision | undefined> {
    let text: string | null;
    try {
      const redisKey = this.redisKey(namespace, key);
      text = await this.telemetry.call(GET, () => this.client.get(redisKey));
    } catch (error) {
      this.report('authorizer cache read failed; invoking the authorizer', error);
      return undefined;
    }
    if (text === null) return undefined;
    const separator = text.indexOf(':');
    const expiresAt = Number(text.slice(0, separator));
    if (separator < 1 || !Number.isFinite(expiresAt)) return undefined;
    return { expiresAt, payload: text.slice(separator + 1) };
  }

  async set(
    namespace: string,
    key: string,
    entry: CachedDecision,
    ttlSeconds: number,
  ): Promise<void> {
    try {
      const redisKey = this.redisKey(namespace, key);
      await this.telemetry.call(SET, () =>
        this.client.set(
          redisKey,
          `${entry.expiresAt}:${entry.payload}`,
          'EX',
          Math.max(1, Math.ceil(ttlSeconds)),
        ),
      );
    } catch (error) {
      this.report('authorizer cache write failed', error);
    }
  }

  async delete(namespace: string, key: string): Promise<void> {
    await this.client.del(this.redisKey(namespace, key));
  }

  async flush(namespace: string): Promise<void> {
    const pattern = `${escapeGlob(this.prefix + namespace)}:*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length > 0) await this.client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  /**
   * Health check: a PING within `timeoutMs` (default the operation timeout). Never throws. While
   * Redis is down, authorization still works (every miss invokes the authorizer), so this belongs
   * to dependency reporting, not to a task's readiness (docs/observability.md).
   */
  async ping(timeoutMs = 1000): Promise<RedisHealth> {
    const status = this.client.status;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.telemetry.call(PING, () => this.client.ping()),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no PONG within ${timeoutMs} ms`)), timeoutMs);
          timer.unref();
        }),
      ]);
      return { healthy: true, status, latencyMs: performance.now() - started };
    } catch (error) {
      return {
        healthy: false,
        status,
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves once connected (for start-up checks and tests); rejects after `timeoutMs`. */
  async waitUntilReady(timeoutMs = 5000): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new Error(`Redis not ready after ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    if (!this.ownsClient) return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private redisKey(namespace: string, key: string): string {
    return `${this.prefix}${namespace}:${createHash('sha256').update(key).digest('base64url')}`;
  }

  private report(message: string, error: unknown): void {
    const now = this.clock.now();
    if (now - this.lastLogAt < 10_000) return;
    this.lastLogAt = now;
    this.logger.log('error', 'authorizer-cache', {
      message,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
