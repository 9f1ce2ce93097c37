// The verified-token LRU: bounded, expiry re-checked with the caller's clock on every hit, and an
// entry dies with the key it was verified with (issue 4 item 6).
import { generateKeyPairSync } from 'node:crypto';
import type { KeySource, VerificationKey } from './key-source';
import { VerifiedTokenCache, type CacheableVerification } from './verified-token-cache';

const keyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;

class MapKeySource implements KeySource {
  readonly keys = new Map<string, VerificationKey>();
  getKey(kid: string): Promise<VerificationKey> {
    const key = this.keys.get(kid);
    return key ? Promise.resolve(key) : Promise.reject(new Error('unknown'));
  }
  peekKey(kid: string): VerificationKey | undefined {
    return this.keys.get(kid);
  }
}

function setup(maxEntries = 3): {
  cache: VerifiedTokenCache<CacheableVerification>;
  source: MapKeySource;
  entry: (validUntilMs: number) => CacheableVerification;
} {
  const source = new MapKeySource();
  const key: VerificationKey = { kid: 'k', algorithms: ['ES256'], keyObject };
  source.keys.set('k', key);
  return {
    cache: new VerifiedTokenCache(maxEntries),
    source,
    entry: (validUntilMs) => ({ validUntilMs, key, keySource: source }),
  };
}

describe('VerifiedTokenCache', () => {
  it('returns an entry until its validUntil instant, then drops it', () => {
    const { cache, entry } = setup();
    cache.set('t', entry(1000));
    expect(cache.get('t', 999)).toBeDefined();
    expect(cache.get('t', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops entries whose key was rotated out or replaced under the same kid', () => {
    const { cache, source, entry } = setup();
    cache.set('a', entry(10_000));
    source.keys.set('k', { kid: 'k', algorithms: ['ES256'], keyObject });
    expect(cache.get('a', 0)).toBeUndefined();
    const fresh = entry(10_000);
    cache.set('b', fresh);
    source.keys.delete('k');
    expect(cache.get('b', 0)).toBeUndefined();
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const { cache, entry } = setup(3);
    for (const t of ['a', 'b', 'c']) cache.set(t, entry(10_000));
    expect(cache.get('a', 0)).toBeDefined(); // a is now the most recent
    cache.set('d', entry(10_000));
    expect(cache.size).toBe(3);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBeDefined();
    expect(cache.get('c', 0)).toBeDefined();
    expect(cache.get('d', 0)).toBeDefined();
  });

  it('keeps an entry used within the newer half for at least maxEntries / 2 more insertions', () => {
    const { cache, entry } = setup(4);
    for (const t of ['a', 'b', 'c', 'd']) cache.set(t, entry(10_000));
    expect(cache.get('c', 0)).toBeDefined(); // young: not moved (no map churn on hot tokens)
    cache.set('e', entry(10_000));
    cache.set('f', entry(10_000));
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('c', 0)).toBeDefined(); // now in the older half: moved to the newest end
    cache.set('g', entry(10_000));
    cache.set('h', entry(10_000));
    expect(cache.get('c', 0)).toBeDefined();
    expect(cache.get('d', 0)).toBeUndefined();
    expect(cache.size).toBe(4);
  });

  it('keys by the exact token text', () => {
    const { cache, entry } = setup();
    cache.set('abc', entry(10_000));
    expect(cache.get('abc ', 0)).toBeUndefined();
    expect(cache.get('ABC', 0)).toBeUndefined();
  });

  it('never serves a token for another that shares its last characters', () => {
    const { cache, entry } = setup();
    const tail = 's'.repeat(64);
    const first = entry(10_000);
    cache.set(`a.${tail}`, first);
    expect(cache.get(`b.${tail}`, 0)).toBeUndefined();
    expect(cache.get(`a.${tail}`, 0)).toBe(first);
    const second = entry(10_000);
    cache.set(`b.${tail}`, second); // takes the slot: the first token now misses, never crosses
    expect(cache.get(`a.${tail}`, 0)).toBeUndefined();
    expect(cache.get(`b.${tail}`, 0)).toBe(second);
  });
});
