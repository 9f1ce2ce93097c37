import type { ConfigIssue } from '../errors';

/** Options of {@link MemoryDecisionCache} (the `cache.memory` section). */
export interface MemoryDecisionCacheOptions {
  /**
   * Most entries kept per authorizer; beyond it the oldest entry is evicted. Default 100,000.
   */
  maxKeys?: number;
  /**
   * Most bytes of heap the entries of one authorizer may hold, estimated per entry from the length
   * of its key and of its decision's JSON (an answer shared by many entries counts once); beyond
   * it the oldest entries are evicted. At least 1,048,576 (1 MiB). Default 67,108,864 (64 MiB).
   */
  maxBytes?: number;
  /** How often expired entries are swept, in seconds (0: never). Default 60. */
  checkPeriodSeconds?: number;
  /**
   * The backing library: `@cacheable/node-cache` (default; maintained) or the original `node-cache`
   * (unmaintained since 2020; an optional peer dependency to install). Both run with `useClones: false`: values are never copied.
   */
  engine?: 'cacheable' | 'node-cache';
}

/** `maxKeys` when not set. */
export const DEFAULT_MAX_KEYS = 100_000;
/** `maxBytes` when not set: 64 MiB. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** The smallest `maxBytes` accepted: below, a unit mistake is likelier than a wish. */
export const MIN_MAX_BYTES = 1024 * 1024;

/**
 * Every problem of the `cache.memory` options, each naming its field (`path` is where they sit).
 */
export function validateMemoryCacheOptions(options: unknown, path = 'cache.memory'): ConfigIssue[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return [
      {
        path,
        message: 'must be an object ({ maxKeys?, maxBytes?, checkPeriodSeconds?, engine? })',
      },
    ];
  }
  const o = options as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  if (o.maxKeys !== undefined && !(Number.isSafeInteger(o.maxKeys) && (o.maxKeys as number) >= 1)) {
    issues.push({
      path: `${path}.maxKeys`,
      message: `must be a whole number of entries, at least 1 (default ${DEFAULT_MAX_KEYS})`,
    });
  }
  if (
    o.maxBytes !== undefined &&
    !(Number.isSafeInteger(o.maxBytes) && (o.maxBytes as number) >= MIN_MAX_BYTES)
  ) {
    issues.push({
      path: `${path}.maxBytes`,
      message:
        `must be a whole number of bytes, at least ${MIN_MAX_BYTES} (1 MiB); ` +
        `e.g. ${DEFAULT_MAX_BYTES} for 64 MiB (the default)`,
    });
  }
  if (
    o.checkPeriodSeconds !== undefined &&
    !(
      typeof o.checkPeriodSeconds === 'number' &&
      Number.isFinite(o.checkPeriodSeconds) &&
      o.checkPeriodSeconds >= 0
    )
  ) {
    issues.push({
      path: `${path}.checkPeriodSeconds`,
      message:
        'must be a number of seconds, 0 or more (0: expired entries are not swept; default 60)',
    });
  }
  if (o.engine !== undefined && o.engine !== 'cacheable' && o.engine !== 'node-cache') {
    issues.push({
      path: `${path}.engine`,
      message: "must be 'cacheable' (the default) or 'node-cache'",
    });
  }
  return issues;
}
