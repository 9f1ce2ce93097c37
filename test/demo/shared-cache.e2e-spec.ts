/**
 * Several demo tasks behind one load balancer share Lambda-authorizer decisions through Redis
 * (`AUTHORIZER_CACHE_REDIS_URL`, DESIGN §3): a token authorized by one task is a cache hit on the
 * other (LC-02), on a real redis-server. Skipped loudly when redis-server is not installed.
 */
import request from 'supertest';
import { loadDemoConfig, type HttpPlatform } from '../../apps/demo/src/config/demo-config';
import { startDemo, type RunningDemo } from '../../apps/demo/src/create-demo-app';
import { silentLogger } from 'api-gateway-auth';
import { tokenAuthorizer } from '../../examples/authorizers/token-authorizer';
import type { APIGatewayTokenAuthorizerEvent } from '../../examples/authorizers/types';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { localDemoEnv } from './demo-clients';

describeWithRedis('demo tasks sharing authorizer decisions through Redis', () => {
  let redis: RedisServer;
  const tasks: RunningDemo[] = [];
  const invocations: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    for (const platform of ['express', 'fastify'] as HttpPlatform[]) {
      const config = loadDemoConfig(
        localDemoEnv(platform, { AUTHORIZER_CACHE_REDIS_URL: redis.url }),
      );
      tasks.push(
        await startDemo(config, {
          logger: silentLogger,
          nestLogger: false,
          accessLogWrite: () => undefined,
          authorizers: {
            orders: {
              type: 'TOKEN',
              ttlSeconds: 300,
              handler: (event: APIGatewayTokenAuthorizerEvent) => {
                invocations.push(event.authorizationToken);
                // `warm-*` tokens: allowed like `allow`, used to wait for the Redis connections.
                return tokenAuthorizer(
                  event.authorizationToken.startsWith('warm-')
                    ? { ...event, authorizationToken: 'allow' }
                    : event,
                );
              },
            },
          },
        }),
      );
    }
    // Each task connects to Redis on first use and does not queue commands meanwhile (a read is a
    // miss, a write is skipped: fail open to the authorizer). Wait until a decision made on one
    // task is a hit on the other.
    const [a, b] = tasks as [RunningDemo, RunningDemo];
    for (let i = 0; i < 100; i++) {
      const token = `warm-${i}`;
      await request(a.url).get('/orders').set('Authorization', token).expect(200);
      await request(b.url).get('/orders').set('Authorization', token).expect(200);
      if (invocations.filter((t) => t === token).length === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    invocations.length = 0;
  });

  afterAll(async () => {
    await Promise.all(tasks.map((t) => t.close()));
    await redis?.kill();
  });

  it('invokes the authorizer once for a token used on both tasks and on several methods', async () => {
    const [a, b] = tasks as [RunningDemo, RunningDemo];
    await request(a.url).get('/orders').set('Authorization', 'allow').expect(200);
    await request(b.url).get('/orders').set('Authorization', 'allow').expect(200);
    await request(b.url).get('/orders/1').set('Authorization', 'allow').expect(200);
    expect(invocations).toEqual(['allow']);
  });

  it('shares Deny decisions too (LC-03), and never caches authorizer errors', async () => {
    const [a, b] = tasks as [RunningDemo, RunningDemo];
    await request(a.url).get('/orders').set('Authorization', 'deny').expect(403);
    await request(b.url).get('/orders/2').set('Authorization', 'deny').expect(403);
    await request(a.url).get('/orders').set('Authorization', 'broken').expect(500);
    await request(b.url).get('/orders').set('Authorization', 'broken').expect(500);
    expect(invocations.filter((t) => t === 'deny')).toHaveLength(1);
    expect(invocations.filter((t) => t === 'broken')).toHaveLength(2);
  });
});
