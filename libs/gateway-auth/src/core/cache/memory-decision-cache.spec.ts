import { isPending } from '../authenticator';
import { ConfigError } from '../errors';
import { createDecisionCache } from './create-decision-cache';
import type { CachedDecision, CachedPart } from './decision-cache';
import { estimateEntryBytes, estimateUnpartedBytes } from './entry-size';
import { MemoryDecisionCache } from './memory-decision-cache';

const MIB = 1024 * 1024;

describe.each(['cacheable', 'node-cache'] as const)('MemoryDecisionCache (%s)', (engine) => {
  const entry = (payload: string): CachedDecision => ({
    payload,
    expiresAt: 1,
    decoded: { compiled: true },
  });
  let cache: MemoryDecisionCache;
  beforeEach(() => {
    cache = new MemoryDecisionCache({ engine, maxKeys: 3 });
  });
  afterEach(async () => {
    await cache.close();
    jest.useRealTimers();
  });

  it('returns the stored object itself, never a clone, without a promise', async () => {
    const stored = entry('a');
    await cache.set('api/prod/orders', 'tok', stored, 300);
    const got = cache.get('api/prod/orders', 'tok');
    expect(isPending(got)).toBe(false);
    expect(got).toBe(stored);
  });

  it('separates namespaces; delete and flush act on one namespace', async () => {
    await cache.set('a', 'k1', entry('a1'), 300);
    await cache.set('a', 'k2', entry('a2'), 300);
    await cache.set('b', 'k1', entry('b1'), 300);
    expect(cache.get('b', 'k1')?.payload).toBe('b1');
    await cache.delete('a', 'k1');
    expect(cache.get('a', 'k1')).toBeUndefined();
    expect(cache.get('a', 'k2')?.payload).toBe('a2');
    await cache.flush('a');
    expect(cache.get('a', 'k2')).toBeUndefined();
    expect(cache.usage('a')).toEqual({ entries: 0, bytes: 0 });
    expect(cache.get('b', 'k1')?.payload).toBe('b1');
  });

  it('evicts the oldest entries beyond maxKeys, so new identities are still cached', async () => {
    for (let i = 0; i < 5; i++) await cache.set('a', `k${i}`, entry(String(i)), 300);
    expect(cache.get('a', 'k0')).toBeUndefined();
    expect(cache.get('a', 'k1')).toBeUndefined();
    expect(['k2', 'k3', 'k4'].map((k) => cache.get('a', k)?.payload)).toEqual(['2', '3', '4']);
    expect(cache.usage('a').entries).toBe(3);
  });

  it('counts a key set again once, as the newest', async () => {
    await cache.set('a', 'k0', entry('0'), 300);
    await cache.set('a', 'k1', entry('1'), 300);
    const before = cache.usage('a');
    await cache.set('a', 'k0', entry('0'), 300);
    expect(cache.usage('a')).toEqual(before);
    await cache.set('a', 'k2', entry('2'), 300);
    await cache.set('a', 'k3', entry('3'), 300); // evicts k1, now the oldest
    expect(cache.get('a', 'k1')).toBeUndefined();
    expect(cache.get('a', 'k0')?.payload).toBe('0');
  });

  it('counts out entries the engine expires by its own TTL', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z'), doNotFake: ['nextTick'] });
    await cache.set('a', 'k0', entry('0'), 1);
    expect(cache.usage('a').entries).toBe(1);
    jest.setSystemTime(Date.parse('2026-01-01T00:00:05Z'));
    expect(cache.get('a', 'k0')).toBeUndefined();
    expect(cache.usage('a')).toEqual({ entries: 0, bytes: 0 });
  });
});

describe.each(['cacheable', 'node-cache'] as const)(
  'MemoryDecisionCache maxBytes (%s)',
  (engine) => {
    /** An entry holding its own answer and a compiled policy, as the authorizer's entries do. */
    const answer = (
      bytes: number,
      policy: CachedPart = { value: {}, bytes: 0 },
    ): CachedDecision => {
      const decoded = {};
      return {
        payload: '{}',
        expiresAt: 1,
        decoded,
        parts: [{ value: decoded, bytes }, policy],
      };
    };
    let cache: MemoryDecisionCache;
    afterEach(async () => {
      await cache.close();
    });

    it('evicts the oldest while the estimated bytes would exceed maxBytes', async () => {
      cache = new MemoryDecisionCache({ engine, maxBytes: MIB });
      const third = Math.floor(MIB / 3) - estimateEntryBytes('k0');
      for (let i = 0; i < 5; i++) await cache.set('a', `k${i}`, answer(third), 300);
      expect(cache.usage('a').entries).toBe(3);
      expect(cache.usage('a').bytes).toBeLessThanOrEqual(MIB);
      expect(['k0', 'k1'].map((k) => cache.get('a', k))).toEqual([undefined, undefined]);
      expect(cache.get('a', 'k4')).toBeDefined();
    });

    it('counts a part held by many entries once, and frees it with its last holder', async () => {
      cache = new MemoryDecisionCache({ engine, maxBytes: MIB });
      const shared = answer(MIB / 2);
      let keys = 0;
      for (let i = 0; i < 100; i++) {
        await cache.set('a', `k${i}`, shared, 300);
        keys += estimateEntryBytes(`k${i}`);
      }
      expect(cache.usage('a')).toEqual({ entries: 100, bytes: MIB / 2 + keys });
      // Distinct answers of the same size do not fit twice.
      await cache.set('a', 'other', answer(MIB / 2), 300);
      expect(cache.usage('a').entries).toBe(1);
      expect(cache.get('a', 'k99')).toBeUndefined();
      await cache.delete('a', 'other');
      expect(cache.usage('a')).toEqual({ entries: 0, bytes: 0 });
    });

    it('counts a compiled policy shared by different answers once', async () => {
      cache = new MemoryDecisionCache({ engine, maxBytes: MIB });
      const policy: CachedPart = { value: {}, bytes: 100_000 };
      await cache.set('a', 'alice', answer(1000, policy), 300);
      await cache.set('a', 'bob', answer(1000, policy), 300);
      expect(cache.usage('a').bytes).toBe(
        100_000 + 2 * 1000 + estimateEntryBytes('alice') + estimateEntryBytes('bob'),
      );
      await cache.delete('a', 'alice');
      expect(cache.usage('a').bytes).toBe(100_000 + 1000 + estimateEntryBytes('bob'));
    });

    it('does not cache an entry larger than the whole bound', async () => {
      cache = new MemoryDecisionCache({ engine, maxBytes: MIB });
      await cache.set('a', 'small', answer(100), 300);
      await cache.set('a', 'huge', answer(MIB), 300);
      expect(cache.get('a', 'huge')).toBeUndefined();
      expect(cache.get('a', 'small')).toBeDefined();
    });

    it('estimates entries without parts from their JSON', async () => {
      cache = new MemoryDecisionCache({ engine, maxBytes: MIB });
      const text: CachedDecision = { payload: 'x'.repeat(1000), expiresAt: 1 };
      await cache.set('a', 'k', text, 300);
      expect(cache.usage('a').bytes).toBe(estimateEntryBytes('k') + estimateUnpartedBytes(text));
      expect(estimateUnpartedBytes({ ...text, decoded: {} })).toBeGreaterThan(
        10 * estimateUnpartedBytes(text),
      );
    });
  },
);

describe('cache.memory options', () => {
  it.each([
    [{ maxBytes: 64 }, 'cache.memory.maxBytes', /at least 1048576 \(1 MiB\)/],
    [{ maxBytes: MIB + 0.5 }, 'cache.memory.maxBytes', /whole number of bytes/],
    [{ maxBytes: '64MB' }, 'cache.memory.maxBytes', /67108864 for 64 MiB \(the default\)/],
    [{ maxKeys: 0 }, 'cache.memory.maxKeys', /at least 1/],
    [{ checkPeriodSeconds: -1 }, 'cache.memory.checkPeriodSeconds', /0 or more/],
    [{ engine: 'lru' }, 'cache.memory.engine', /'cacheable'.*'node-cache'/],
  ])('refuses %j at construction, naming the field', (memory, path, message) => {
    let thrown: unknown;
    try {
      new MemoryDecisionCache(memory as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues).toEqual([
      { path, message: expect.stringMatching(message) as string },
    ]);
  });

  it('lists every problem at once', () => {
    expect(() => new MemoryDecisionCache({ maxBytes: 1, maxKeys: -1 })).toThrow(
      /2 problems[\s\S]*cache\.memory\.maxKeys[\s\S]*cache\.memory\.maxBytes/,
    );
  });

  it('is checked even when decisions go to Redis (a wrong value is never silently kept)', () => {
    expect(() =>
      createDecisionCache(
        { redis: 'redis://127.0.0.1:1', memory: { maxBytes: 1000 } },
        { logger: { log: () => undefined }, clock: { now: () => 0 } },
      ),
    ).toThrow(/cache\.memory\.maxBytes/);
  });

  it('accepts the documented values', async () => {
    const cache = new MemoryDecisionCache({
      maxBytes: 64 * MIB,
      maxKeys: 10,
      checkPeriodSeconds: 0,
    });
    await cache.close();
  });
});
