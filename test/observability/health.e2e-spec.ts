/**
 * The demo's @nestjs/terminus health endpoints (issue 15), over Express and Fastify, against a
 * local JWKS endpoint and a real redis-server:
 * - `/health/ready` is up while JWKS keys are cached, also with the JWKS endpoint down (and tokens
 *   signed with a cached key still verify); down when no key could ever be fetched;
 * - `/health/dependencies` reports Redis down (503) when redis-server dies, while `/health` and
 *   `/health/ready` stay up and Lambda-authorized routes keep working (the cache fails open to the
 *   authorizer, never to an allow).
 */
import { SignJWT } from 'jose';
import { loadDemoConfig, type HttpPlatform } from '../../apps/demo/src/config/demo-config';
import { startDemo, type RunningDemo } from '../../apps/demo/src/create-demo-app';
import { fixedClock, silentLogger } from 'api-gateway-auth';
import { startJwksServer, type JwksServer } from '../cognito/helpers/jwks-server';
import { newKey, type TestKey } from '../cognito/helpers/tokens';
import { localDemoEnv } from '../demo/demo-clients';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server';

const POOL = 'us-east-1_Health01';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;

interface Health {
  status: string;
  info?: Record<string, { status: string } & Record<string, unknown>>;
  error?: Record<string, { status: string } & Record<string, unknown>>;
  details: Record<string, { status: string } & Record<string, unknown>>;
}

async function health(url: string): Promise<{ status: number; body: Health }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Health };
}

function idToken(key: TestKey, kid = key.kid): Promise<string> {
  return new SignJWT({ token_use: 'id', aud: 'democlient', sub: 'alice' })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key.privateKey);
}

describeWithRedis('demo health endpoints (terminus)', () => {
  describe.each(['express', 'fastify'] as HttpPlatform[])('on %s', (platform) => {
    let jwks: JwksServer;
    let redis: RedisServer;
    let demo: RunningDemo;
    let key: TestKey;
    const clock = fixedClock(Date.now());

    beforeAll(async () => {
      key = newKey('health-kid');
      jwks = await startJwksServer([key.jwk]);
      redis = await startRedisServer();
      const config = loadDemoConfig(
        localDemoEnv(platform, {
          COGNITO_USER_POOL_ID: POOL,
          COGNITO_ISSUER: ISSUER,
          COGNITO_JWKS_URI: jwks.url,
          AUTHORIZER_CACHE_REDIS_URL: redis.url,
          ACCESS_LOG_FORMAT: 'off',
        }),
      );
      demo = await startDemo(config, { logger: silentLogger, nestLogger: false, clock });
    });

    afterAll(async () => {
      await demo?.close();
      await redis?.stop();
      await jwks?.close();
    });

    it('is ready once the JWKS keys are cached; every dependency up', async () => {
      const ready = await health(`${demo.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body.details.jwks).toMatchObject({
        status: 'up',
        sources: [expect.objectContaining({ jwksUri: jwks.url, healthy: true, cachedKeys: 1 })],
      });
      // The Redis connection opens in the background: give it a moment on a loaded machine.
      let all = await health(`${demo.url}/health/dependencies`);
      for (let i = 0; i < 50 && all.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        all = await health(`${demo.url}/health/dependencies`);
      }
      expect(all.status).toBe(200);
      expect(all.body.details).toMatchObject({
        jwks: { status: 'up' },
        redis: { status: 'up', connection: 'ready' },
        authorizers: { status: 'up' },
      });
    });

    it('stays ready with the JWKS endpoint down while keys are cached (and tokens still verify)', async () => {
      jwks.behaviour = { kind: 'status', status: 503 };
      // Past the refetch interval, a token with an unknown kid makes the source try the endpoint.
      clock.advance(11_000);
      const rotated = await fetch(`${demo.url}/pets`, {
        headers: { authorization: await idToken(key, 'rotated-kid') },
      });
      expect(rotated.status).toBe(401);
      const ready = await health(`${demo.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body.details.jwks).toMatchObject({
        status: 'up',
        sources: [expect.objectContaining({ healthy: true, cachedKeys: 1, lastError: 'HTTP 503' })],
      });
      const pets = await fetch(`${demo.url}/pets`, {
        headers: { authorization: await idToken(key) },
      });
      expect(pets.status).toBe(200);
      jwks.behaviour = { kind: 'ok' };
    });

    it('reports Redis down on /health/dependencies only; the authorizer still decides', async () => {
      await redis.kill();
      const all = await health(`${demo.url}/health/dependencies`);
      expect(all.status).toBe(503);
      expect(all.body.status).toBe('error');
      expect(all.body.error?.redis).toMatchObject({ status: 'down' });
      expect(all.body.details.jwks?.status).toBe('up');
      expect((await health(`${demo.url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${demo.url}/health`)).status).toBe(200);
      const allowed = await fetch(`${demo.url}/orders`, { headers: { authorization: 'allow' } });
      expect(allowed.status).toBe(200);
      const denied = await fetch(`${demo.url}/orders`, { headers: { authorization: 'deny' } });
      expect(denied.status).toBe(403);
      await redis.restart();
    });
  });

  it('is not ready when no JWKS key could ever be fetched', async () => {
    const jwks = await startJwksServer([]);
    jwks.behaviour = { kind: 'status', status: 500 };
    const config = loadDemoConfig(
      localDemoEnv('express', {
        COGNITO_USER_POOL_ID: POOL,
        COGNITO_ISSUER: ISSUER,
        COGNITO_JWKS_URI: jwks.url,
        ACCESS_LOG_FORMAT: 'off',
      }),
    );
    const demo = await startDemo(config, { logger: silentLogger, nestLogger: false });
    try {
      const ready = await health(`${demo.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body.error?.jwks).toMatchObject({
        status: 'down',
        sources: [expect.objectContaining({ cachedKeys: 0, lastError: 'HTTP 500' })],
      });
      expect((await fetch(`${demo.url}/health`)).status).toBe(200);
    } finally {
      await demo.close();
      await jwks.close();
    }
  });
});
