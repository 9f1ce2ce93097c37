// The Redis decision cache against a real redis-server (started on a free port; skipped loudly when
// the binary is missing): decisions shared between tasks, TTL by the injected clock and in Redis,
// isolation between identities and authorizers, single flight, invalidate/flush, a slow Redis and a
// Redis killed mid-run — requests are still answered correctly, never allowed by accident, never hung.
import Redis from 'ioredis';
import { tokenAuthorizer } from '../../examples/authorizers/token-authorizer';
import {
  CustomAuthorizerAuthenticator,
  RedisDecisionCache,
  fixedClock,
  silentLogger,
  type HttpRequest,
  type Logger,
} from 'api-gateway-auth';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { API, call, startAuthorizerApp, type RunningApp } from './authorizer-test-app';

const request = (token: string, path = '/pets'): HttpRequest => ({
  method: 'GET',
  path,
  rawQuery: '',
  headers: { authorization: token },
  sourceIp: '198.51.100.1',
  secure: true,
});

/** The example authorizer, counted per token (a test double of the Lambda function, not our code). */
function countingAuthorizer() {
  const calls: string[] = [];
  const handler = async (event: { authorizationToken: string; methodArn: string }) => {
    calls.push(event.authorizationToken);
    await new Promise((resolve) => setImmediate(resolve));
    return tokenAuthorizer({ type: 'TOKEN', ...event });
  };
  return { calls, handler };
}

describeWithRedis('Redis decision cache (real redis-server)', () => {
  let redis: RedisServer;
  let admin: Redis;
  const clock = fixedClock(Date.parse('2026-01-01T00:00:00Z'));
  const open: Array<{ close(): Promise<void> }> = [];

  async function task(
    authorizerName = 'orders',
    handler = countingAuthorizer().handler,
    logger: Logger = silentLogger,
    operationTimeoutMs = 200,
  ) {
    const store = new RedisDecisionCache({ redis: redis.url, logger, clock, operationTimeoutMs });
    await store.waitUntilReady();
    const authenticator = new CustomAuthorizerAuthenticator(
      { [authorizerName]: { type: 'TOKEN', handler, ttlSeconds: 300 } },
      { api: API, clock, logger },
      { store },
    );
    open.push(authenticator, store);
    return authenticator;
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      disconnectTimeout: 100,
    });
    await admin.connect();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
    if (admin.status === 'ready') await admin.flushall();
  });
  afterAll(async () => {
    await admin.quit().catch(() => admin.disconnect());
    await redis.stop();
  });

  it('shares decisions between tasks: the second task does not invoke', async () => {
    const counted = countingAuthorizer();
    const a = await task('orders', counted.handler);
    const b = await task('orders', counted.handler);
    expect(await a.authorize(request('allow'), { name: 'orders' })).toMatchObject({
      principalId: 'user',
    });
    expect(await b.authorize(request('allow', '/owners'), { name: 'orders' })).toMatchObject({
      principalId: 'user',
      authorizer: { stringKey: 'stringval' },
    });
    expect(counted.calls).toEqual(['allow']);
  });

  it('stores no token in Redis keys and sets the TTL in Redis (LC-01)', async () => {
    const a = await task();
    await a.authorize(request('allow'), { name: 'orders' });
    const keys = await admin.keys('*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^gateway-auth:authorizer:petstore\/prod\/orders:[A-Za-z0-9_-]{43}$/);
    expect(keys[0]).not.toContain('allow');
    const ttl = await admin.ttl(keys[0] as string);
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('expires by the injected clock even while Redis still holds the entry', async () => {
    const counted = countingAuthorizer();
    const a = await task('orders', counted.handler);
    await a.authorize(request('allow'), { name: 'orders' });
    clock.advance(299_000);
    await a.authorize(request('allow'), { name: 'orders' });
    expect(counted.calls).toHaveLength(1);
    clock.advance(1_000);
    await a.authorize(request('allow'), { name: 'orders' });
    expect(counted.calls).toHaveLength(2);
  });

  it('isolates identities and authorizers; caches denies (LC-03)', async () => {
    const counted = countingAuthorizer();
    const orders = await task('orders', counted.handler);
    const billing = await task('billing', counted.handler);
    await orders.authorize(request('allow'), { name: 'orders' });
    await expect(async () =>
      orders.authorize(request('deny'), { name: 'orders' }),
    ).rejects.toMatchObject({
      code: 'AUTHORIZER_DENIED',
    });
    await expect(async () =>
      orders.authorize(request('deny'), { name: 'orders' }),
    ).rejects.toMatchObject({
      code: 'AUTHORIZER_DENIED',
    });
    await billing.authorize(request('allow'), { name: 'billing' });
    expect(counted.calls).toEqual(['allow', 'deny', 'allow']);
  });

  it('1,000 concurrent requests with one new token → exactly one invocation', async () => {
    const counted = countingAuthorizer();
    const a = await task('orders', counted.handler);
    const results = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) =>
        a.authorize(request('allow', `/pets/${i}`), { name: 'orders' }),
      ),
    );
    expect(results.every((r) => r.type === 'CUSTOM' && r.principalId === 'user')).toBe(true);
    expect(counted.calls).toHaveLength(1);
  });

  it('invalidate() and flush() remove entries from Redis', async () => {
    const counted = countingAuthorizer();
    const a = await task('orders', counted.handler);
    await a.authorize(request('allow'), { name: 'orders' });
    // A deny, cached as well (LC-03); a refusal thrown synchronously is caught the same.
    await (async () => a.authorize(request('deny'), { name: 'orders' }))().catch(() => undefined);
    expect(await admin.dbsize()).toBe(2);
    await a.invalidate('orders', ['allow']);
    expect(await admin.dbsize()).toBe(1);
    await a.flush('orders');
    expect(await admin.dbsize()).toBe(0);
  });

  it('a slow Redis: reads time out and the authorizer decides (bounded, correct)', async () => {
    const counted = countingAuthorizer();
    const a = await task('orders', counted.handler, silentLogger, 100);
    await a.authorize(request('allow'), { name: 'orders' });
    expect(counted.calls).toHaveLength(1);
    const blocker = new Redis(redis.url, { lazyConnect: true, disconnectTimeout: 100 });
    try {
      await blocker.connect();
      await blocker.call('CLIENT', 'PAUSE', '500');
      expect(await a.authorize(request('allow'), { name: 'orders' })).toMatchObject({
        principalId: 'user',
      });
      await expect(async () =>
        a.authorize(request('deny'), { name: 'orders' }),
      ).rejects.toMatchObject({
        code: 'AUTHORIZER_DENIED',
      });
      // Both decided by the authorizer: the cached "allow" could not be read in time.
      expect(counted.calls).toEqual(['allow', 'allow', 'deny']);
    } finally {
      await blocker.quit().catch(() => blocker.disconnect());
    }
  });

  it('Redis killed mid-run: every request still answered correctly, errors logged', async () => {
    const counted = countingAuthorizer();
    const records: Array<Record<string, unknown>> = [];
    const logger: Logger = {
      log: (level, event, fields) => records.push({ level, event, ...fields }),
    };
    const a = await task('orders', counted.handler, logger);
    const outcomes: string[] = [];
    const one = async (token: string, i: number): Promise<void> => {
      try {
        const context = await a.authorize(request(token, `/pets/${i}`), { name: 'orders' });
        outcomes.push(`${token}:${context.type === 'CUSTOM' ? context.principalId : '?'}`);
      } catch (error) {
        outcomes.push(`${token}:${(error as { code?: string }).code}`);
      }
    };
    for (let i = 0; i < 20; i++) await Promise.all([one('allow', i), one('deny', i)]);
    await redis.kill();
    for (let i = 20; i < 60; i++) await Promise.all([one('allow', i), one('deny', i)]);
    await redis.restart();
    for (let i = 60; i < 80; i++) await Promise.all([one('allow', i), one('deny', i)]);
    expect(outcomes).toHaveLength(160);
    expect(outcomes.filter((o) => o === 'allow:user')).toHaveLength(80);
    expect(outcomes.filter((o) => o === 'deny:AUTHORIZER_DENIED')).toHaveLength(80);
    // While Redis was down, requests fell back to the authorizer.
    expect(counted.calls.length).toBeGreaterThan(2);
    expect(records.some((r) => r.level === 'error' && r.event === 'authorizer-cache')).toBe(true);
  });
});

describeWithRedis('Redis decision cache shared by two Nest tasks (Express and Fastify)', () => {
  let redis: RedisServer;
  let tasks: RunningApp[] = [];
  let stores: RedisDecisionCache[] = [];
  const calls: string[] = [];
  const handler = async (event: { authorizationToken: string; methodArn: string }) => {
    calls.push(event.authorizationToken);
    return tokenAuthorizer({ type: 'TOKEN', ...event });
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    // One store per task, as two processes would have; wait until both are connected.
    stores = [
      new RedisDecisionCache({ redis: redis.url }),
      new RedisDecisionCache({ redis: redis.url }),
    ];
    await Promise.all(stores.map((s) => s.waitUntilReady()));
    tasks = [
      await startAuthorizerApp('express', {
        authorizers: { token: { type: 'TOKEN', handler } },
        cache: { store: stores[0] },
      }),
      await startAuthorizerApp('fastify', {
        authorizers: { token: { type: 'TOKEN', handler } },
        cache: { store: stores[1] },
      }),
    ];
  });
  afterAll(async () => {
    await Promise.all(tasks.map((t) => t.close()));
    await Promise.all(stores.map((s) => s.close()));
    await redis.stop();
  });

  it('a decision made by one task is used by the other; with Redis gone both still answer', async () => {
    const [a, b] = tasks as [RunningApp, RunningApp];
    const headers = { authorization: 'allow' };
    expect((await call(`${a.url}/pets`, { headers })).status).toBe(200);
    expect((await call(`${b.url}/pets/3`, { headers })).status).toBe(200);
    expect(calls).toEqual(['allow']);
    await redis.kill();
    expect((await call(`${a.url}/pets`, { headers })).status).toBe(200);
    expect((await call(`${b.url}/pets`, { headers: { authorization: 'deny' } })).status).toBe(403);
    expect(calls).toEqual(['allow', 'allow', 'deny']);
  });
});
