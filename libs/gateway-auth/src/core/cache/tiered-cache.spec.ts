import { AuthError } from '../errors';
import { silentLogger } from '../logger';
import { MemoryDecisionCache } from './memory-decision-cache';
import { TieredCache, type TieredCacheOptions } from './tiered-cache';

const refusal = (): AuthError =>
  new AuthError('X_REFUSED', { responseType: 'ACCESS_DENIED', message: 'no', reason: 'test' });
const outage = (): AuthError =>
  new AuthError('X_DOWN', {
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    message: null,
    reason: 'test',
    category: 'infrastructure',
  });

function cache(overrides: Partial<TieredCacheOptions<string>> = {}): TieredCache<string> {
  return new TieredCache<string>({
    name: 'test',
    maxEntries: 3,
    encode: (v) => v,
    decode: (t) => (t === 'garbage' ? undefined : t),
    refusalTtlMs: 5000,
    staleIfErrorMs: 60_000,
    logger: silentLogger,
    ...overrides,
  });
}

describe('TieredCache (verified proofs, IAM policy reads)', () => {
  it('loads once for concurrent callers, then answers in process until expiry', async () => {
    const c = cache();
    let loads = 0;
    const load = async (): Promise<{ value: string; expiresAt: number }> => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { value: `v${loads}`, expiresAt: 1000 };
    };
    const values = await Promise.all(Array.from({ length: 20 }, () => c.get('k', 0, load)));
    expect(new Set(values)).toEqual(new Set(['v1']));
    expect(c.peek('k', 999)).toBe('v1');
    expect(c.peek('k', 1000)).toBeUndefined();
    expect(await c.get('k', 1000, load)).toBe('v2');
  });

  it('remembers a refusal briefly (peek throws it), never an infrastructure failure', async () => {
    const c = cache();
    await expect(c.get('r', 0, () => Promise.reject(refusal()))).rejects.toMatchObject({
      code: 'X_REFUSED',
    });
    expect(() => c.peek('r', 4999)).toThrow(AuthError);
    expect(c.peek('r', 5000)).toBeUndefined();
    await expect(c.get('d', 0, () => Promise.reject(outage()))).rejects.toMatchObject({
      code: 'X_DOWN',
    });
    expect(c.peek('d', 1)).toBeUndefined();
    expect(await c.get('d', 1, () => Promise.resolve({ value: 'up', expiresAt: 10 }))).toBe('up');
  });

  it('answers a stale value while reloading fails, for staleIfErrorMs after expiry only', async () => {
    const c = cache();
    await c.get('p', 0, () => Promise.resolve({ value: 'old', expiresAt: 100 }));
    expect(await c.get('p', 100 + 59_999, () => Promise.reject(outage()))).toBe('old');
    await expect(c.get('p', 100 + 60_000, () => Promise.reject(outage()))).rejects.toMatchObject({
      code: 'X_DOWN',
    });
    // A refusal is not papered over by a stale value.
    await expect(c.get('p', 200, () => Promise.reject(refusal()))).rejects.toMatchObject({
      code: 'X_REFUSED',
    });
  });

  it('shares through the store: another process reads what one loaded; undecodable entries are misses', async () => {
    const shared = new MemoryDecisionCache();
    const a = cache({ shared });
    const b = cache({ shared });
    await a.get('s', 0, () => Promise.resolve({ value: 'from-a', expiresAt: 5000 }));
    expect(await b.get('s', 1, () => Promise.reject(new Error('b must not load')))).toBe('from-a');
    await shared.set('test', 'g', { payload: 'garbage', expiresAt: 5000 }, 5);
    expect(await b.get('g', 1, () => Promise.resolve({ value: 'loaded', expiresAt: 5000 }))).toBe(
      'loaded',
    );
    await shared.close();
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const c = cache();
    for (const key of ['a', 'b', 'c', 'd']) {
      await c.get(key, 0, () => Promise.resolve({ value: key, expiresAt: 100 }));
    }
    expect(c.size).toBe(3);
    expect(c.peek('a', 1)).toBeUndefined();
    expect(c.peek('d', 1)).toBe('d');
  });
});
