import type { SharedServices } from '../authenticator';
import type { DecisionCache } from './decision-cache';
import { ConfigError } from '../errors';
import {
  validateMemoryCacheOptions,
  type MemoryDecisionCacheOptions,
} from './memory-cache-options';
import { MemoryDecisionCache } from './memory-decision-cache';
import { RedisDecisionCache } from './redis-decision-cache';

/**
 * Where Lambda-authorizer decisions are cached (the `cache` section of the gateway-auth options).
 * Default: in process (`@cacheable/node-cache`, no cloning).
 * @example cache: { redis: process.env.AUTHORIZER_CACHE_REDIS_URL }
 */
export interface AuthorizerCacheOptions {
  /** A Redis URL: share decisions between every task of the service. Empty/undefined: in process. */
  redis?: string;
  /** Longest a Redis read/write may take before the authorizer is invoked instead, ms. Default 200. */
  redisOperationTimeoutMs?: number;
  /** Redis key prefix. Default `gateway-auth:authorizer:`. */
  redisKeyPrefix?: string;
  /** In-process store settings. */
  memory?: MemoryDecisionCacheOptions;
  /** Any other store (then `redis`/`memory` are ignored; you close it). */
  store?: DecisionCache;
}

/**
 * The decision cache the `cache` options describe: `store` as given, else Redis when `redis` is set
 * (the optional peer dependency `ioredis`), else the in-process cache. The caller owns (closes) a
 * store it did not receive in `store`.
 * @throws ConfigError when `redis` is set and `ioredis` is not installed, or naming each invalid
 * `cache.memory` field (checked whichever store is chosen).
 */
export function createDecisionCache(
  options: AuthorizerCacheOptions,
  services: Pick<SharedServices, 'logger' | 'clock' | 'telemetry'>,
): DecisionCache {
  const issues = validateMemoryCacheOptions(options.memory);
  if (issues.length > 0) throw new ConfigError('gateway-auth options', issues);
  if (options.store) return options.store;
  if (options.redis) {
    return new RedisDecisionCache({
      redis: options.redis,
      operationTimeoutMs: options.redisOperationTimeoutMs,
      keyPrefix: options.redisKeyPrefix,
      logger: services.logger,
      clock: services.clock,
      telemetry: services.telemetry,
    });
  }
  return new MemoryDecisionCache(options.memory);
}
