import type { CachedDecision } from './decision-cache';
import { MemoryDecisionCache } from './memory-decision-cache';

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
  });

  it('returns the stored object itself, never a clone', async () => {
    const stored = entry('a');
    await cache.set('api/prod/orders', 'tok', stored, 300);
    expect(cache.getSync('api/prod/orders', 'tok')).toBe(stored);
    await expect(cache.get('api/prod/orders', 'tok')).resolves.toBe(stored);
  });

  it('separates namespaces; delete and flush act on one namespace', async () => {
    await cache.set('a', 'k1', entry('a1'), 300);
    await cache.set('a', 'k2', entry('a2'), 300);
    await cache.set('b', 'k1', entry('b1'), 300);
    expect(cache.getSync('b', 'k1')?.payload).toBe('b1');
    await cache.delete('a', 'k1');
    expect(cache.getSync('a', 'k1')).toBeUndefined();
    expect(cache.getSync('a', 'k2')?.payload).toBe('a2');
    await cache.flush('a');
    expect(cache.getSync('a', 'k2')).toBeUndefined();
    expect(cache.getSync('b', 'k1')?.payload).toBe('b1');
  });

  it('skips writes beyond maxKeys instead of throwing', async () => {
    for (let i = 0; i < 5; i++) await cache.set('a', `k${i}`, entry(String(i)), 300);
    expect(cache.getSync('a', 'k2')?.payload).toBe('2');
    expect(cache.getSync('a', 'k4')).toBeUndefined();
  });
});
