// Lambda authorizers (issue 5). CPU: the in-process decision-cache lookup in node-cache and
// @cacheable/node-cache (with and without cloning) and a cached decision through the authenticator,
// as ratios to a plain Map lookup (the floor: "a cache lookup"); the miss path's overhead over the
// authorizer's own time (an RS256 JWT-validating authorizer, and a trivial one). HTTP: a cached
// decision's route as a ratio to the same route unguarded, on Express (target >= 0.9x) and Fastify
// (target >= 0.85x): the median of five alternating rounds' ratios.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NodeCache as CacheableNodeCache } from '@cacheable/node-cache';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import LegacyNodeCache from 'node-cache';
import { tokenAuthorizer } from '../examples/authorizers/token-authorizer';
import {
  CustomAuthorizerAuthenticator,
  MemoryDecisionCache,
  fixedClock,
  silentLogger,
  type CachedDecision,
  type HttpRequest,
} from '../libs/gateway-auth/src';
import { isPending } from '../libs/gateway-auth/src/core/authenticator';
import { CustomAuthorizer, GatewayAuthModule } from '../libs/gateway-auth/src/nest';
import { measure, measureAsync, report, type Measurement } from './harness';
import {
  pairedRatio,
  reportPaired,
  runAutocannon,
  startNestApp,
  type LoadResult,
  type Platform,
} from './http-harness';

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const ARN = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod';
const ROUNDS = 2;

function best(): {
  keep(m: Measurement): void;
  all(): Measurement[];
  get(name: string): Measurement;
} {
  const map = new Map<string, Measurement>();
  return {
    keep(m) {
      const previous = map.get(m.name);
      if (!previous || m.opsPerSecond > previous.opsPerSecond) map.set(m.name, m);
    },
    all: () => [...map.values()],
    get: (name) => map.get(name) as Measurement,
  };
}

async function cacheFigures(): Promise<void> {
  const entry: CachedDecision = {
    payload: '{"principalId":"user"}',
    expiresAt: Number.MAX_SAFE_INTEGER,
    decoded: {
      kind: 'policy',
      principalId: 'user',
      context: { a: 'b', n: 1 },
      policy: { nested: [1, 2, 3] },
    },
  };
  const keys = Array.from({ length: 1000 }, (_, i) => `token-${i}-${'x'.repeat(200)}`);
  const map = new Map<string, CachedDecision>();
  const cacheable = new CacheableNodeCache<CachedDecision>({ useClones: false, checkperiod: 0 });
  const legacy = new LegacyNodeCache({ useClones: false, checkperiod: 0 });
  const legacyCloning = new LegacyNodeCache({ checkperiod: 0 });
  const cacheableCloning = new CacheableNodeCache<CachedDecision>({ checkperiod: 0 });
  const ours = new MemoryDecisionCache();
  for (const key of keys) {
    map.set(key, entry);
    cacheable.set(key, entry, 300);
    legacy.set(key, entry, 300);
    legacyCloning.set(key, entry, 300);
    cacheableCloning.set(key, entry, 300);
    await ours.set('petstore/prod/orders', key, entry, 300);
  }
  let i = 0;
  const next = (): string => keys[(i = (i + 1) % keys.length)] as string;
  const seconds = Number(process.env.BENCH_SECONDS ?? 2) / ROUNDS;
  const b = best();
  const FLOOR = 'Map#get (floor: a cache lookup)';
  for (let round = 0; round < ROUNDS; round++) {
    b.keep(measure(FLOOR, () => void map.get(next()), seconds));
    b.keep(
      measure(
        '@cacheable/node-cache get, useClones:false',
        () => void cacheable.get(next()),
        seconds,
      ),
    );
    b.keep(measure('node-cache get, useClones:false', () => void legacy.get(next()), seconds));
    b.keep(
      measure(
        'node-cache get, useClones:true (its default)',
        () => void legacyCloning.get(next()),
        seconds,
      ),
    );
    b.keep(
      measure(
        '@cacheable/node-cache get, useClones:true (its default)',
        () => void cacheableCloning.get(next()),
        seconds,
      ),
    );
    b.keep(
      measure(
        'MemoryDecisionCache.get (default store, no promise)',
        () => void ours.get('petstore/prod/orders', next()),
        seconds,
      ),
    );
  }
  report(b.all(), b.get(FLOOR));
  cacheable.close();
  legacy.close();
  legacyCloning.close();
  cacheableCloning.close();
  await ours.close();
}

async function authenticatorFigures(): Promise<void> {
  const clock = fixedClock(Date.parse('2026-03-01T10:00:00Z'));
  const shared = { api: API, clock, logger: silentLogger };
  // A realistic authorizer: validates an RS256 JWT against a local key set (what an Auth0/Okta
  // authorizer does once its JWKS is cached) and returns a stage-wide policy.
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = createLocalJWKSet({
    keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }],
  });
  const jwt = await new SignJWT({ scope: 'pets:read' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer('https://idp.example.com/')
    .setAudience('pets')
    .setSubject('alice')
    .setIssuedAt(Math.floor(clock.now() / 1000))
    .setExpirationTime(Math.floor(clock.now() / 1000) + 3600)
    .sign(privateKey);
  const jwtAuthorizer = async (event: { authorizationToken: string; methodArn: string }) => {
    const { payload } = await jwtVerify(event.authorizationToken.slice(7), jwks, {
      issuer: 'https://idp.example.com/',
      audience: 'pets',
      currentDate: new Date(clock.now()),
    });
    return {
      principalId: payload.sub as string,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*` }],
      },
      context: { scope: payload.scope as string },
    };
  };
  const tokenEvent = {
    type: 'TOKEN' as const,
    authorizationToken: `Bearer ${jwt}`,
    methodArn: `${ARN}/GET/pets`,
  };
  const request = (token: string): HttpRequest => ({
    method: 'GET',
    path: '/pets',
    rawQuery: '',
    headers: { authorization: token, host: 'api.example.com', 'user-agent': 'bench/1.0' },
    sourceIp: '10.0.0.1',
    secure: true,
  });
  const authenticator = new CustomAuthorizerAuthenticator(
    {
      jwtMiss: { type: 'TOKEN', handler: jwtAuthorizer, ttlSeconds: 0 },
      jwtCached: { type: 'TOKEN', handler: jwtAuthorizer, ttlSeconds: 300 },
      trivialMiss: { type: 'TOKEN', handler: tokenAuthorizer, ttlSeconds: 0 },
    },
    shared,
  );
  const jwtRequest = request(`Bearer ${jwt}`);
  const allowRequest = request('allow');
  const allowEvent = {
    type: 'TOKEN' as const,
    authorizationToken: 'allow',
    methodArn: `${ARN}/GET/pets`,
  };
  await authenticator.authorize(jwtRequest, { name: 'jwtCached' });
  // One caller on ten routes in turn: the decisions beyond an answer's first route.
  const routeRequests = Array.from({ length: 10 }, (_, i) => ({
    ...jwtRequest,
    path: `/pets/${i}`,
  }));
  for (const r of routeRequests) await authenticator.authorize(r, { name: 'jwtCached' });
  if (isPending(authenticator.authorize(jwtRequest, { name: 'jwtCached' }))) {
    throw new Error('a cached decision must be answered without a promise');
  }
  let route = 0;
  const nextRoute = (): HttpRequest => routeRequests[(route = (route + 1) % 10)] as HttpRequest;

  const seconds = Number(process.env.BENCH_SECONDS ?? 2) / ROUNDS;
  const b = best();
  const JWT_OWN = 'JWT authorizer called directly (its own time)';
  const TRIVIAL_OWN = 'trivial authorizer called directly (its own time)';
  for (let round = 0; round < ROUNDS; round++) {
    b.keep(
      await measureAsync(JWT_OWN, async () => void (await jwtAuthorizer(tokenEvent)), seconds),
    );
    b.keep(
      await measureAsync(
        'miss: authorize() with the JWT authorizer, TTL 0',
        async () => {
          await authenticator.authorize(jwtRequest, { name: 'jwtMiss' });
        },
        seconds,
      ),
    );
    b.keep(
      await measureAsync(
        'hit: await authorize() with the JWT authorizer cached',
        async () => {
          await authenticator.authorize(jwtRequest, { name: 'jwtCached' });
        },
        seconds,
      ),
    );
    // The same hit as an adapter sees it: answered without a promise (isPending false).
    b.keep(
      measure(
        'hit: authorize() answered synchronously, JWT authorizer cached',
        () => void authenticator.authorize(jwtRequest, { name: 'jwtCached' }),
        seconds,
      ),
    );
    b.keep(
      measure(
        'hit: authorize() answered synchronously, ten routes in turn',
        () => void authenticator.authorize(nextRoute(), { name: 'jwtCached' }),
        seconds,
      ),
    );
    b.keep(
      await measureAsync(
        TRIVIAL_OWN,
        async () => void (await tokenAuthorizer(allowEvent)),
        seconds,
      ),
    );
    b.keep(
      await measureAsync(
        'miss: authorize() with the trivial authorizer, TTL 0',
        async () => {
          await authenticator.authorize(allowRequest, { name: 'trivialMiss' });
        },
        seconds,
      ),
    );
  }
  report(b.all(), b.get(JWT_OWN));
  const own = b.get(JWT_OWN).opsPerSecond;
  const miss = b.get('miss: authorize() with the JWT authorizer, TTL 0').opsPerSecond;
  const trivialOwn = b.get(TRIVIAL_OWN).opsPerSecond;
  const trivialMiss = b.get('miss: authorize() with the trivial authorizer, TTL 0').opsPerSecond;
  console.log(
    `miss path = ${(own / miss).toFixed(3)}x the JWT authorizer's own time ` +
      `(overhead ${((1 / miss - 1 / own) * 1e6).toFixed(1)} µs per call; with a trivial authorizer ` +
      `${((1 / trivialMiss - 1 / trivialOwn) * 1e6).toFixed(1)} µs)`,
  );
  await authenticator.close();
}

@Controller()
class BenchController {
  @Get('open')
  open(): { ok: boolean } {
    return { ok: true };
  }

  @CustomAuthorizer('orders')
  @Get('pets')
  pets(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({
  imports: [
    GatewayAuthModule.forRoot({
      api: API,
      authorizers: { orders: { type: 'TOKEN', handler: tokenAuthorizer, ttlSeconds: 300 } },
      logger: silentLogger,
    }),
  ],
  controllers: [BenchController],
})
class BenchModule {}

/** Main-thread busy time per request (event-loop utilisation; autocannon runs in a worker). */
async function measured(
  options: Parameters<typeof runAutocannon>[0],
): Promise<LoadResult & { busyMicrosPerRequest: number }> {
  const before = performance.eventLoopUtilization();
  const result = await runAutocannon(options);
  const { active } = performance.eventLoopUtilization(before);
  return { ...result, busyMicrosPerRequest: (active * 1000) / Math.max(1, result.total) };
}

async function httpFigures(platform: Platform): Promise<void> {
  const app = await startNestApp(BenchModule, platform);
  try {
    const headers = { authorization: 'allow' };
    // Five alternating rounds, the median of each round's ratio (see pairedRatio).
    const seconds = Number(process.env.BENCH_SECONDS ?? 5) / 2;
    const paired = await pairedRatio(
      () => measured({ url: `${app.url}/open`, headers, durationSeconds: seconds }),
      () => measured({ url: `${app.url}/pets`, headers, durationSeconds: seconds }),
    );
    const o = paired.baseline;
    const g = paired.measured;
    reportPaired(
      `${platform}: GET /pets with @CustomAuthorizer() (cached decision)`,
      paired,
      `${platform} unguarded`,
    );
    // Throughput swings with machine load; the server's CPU per request does not (much).
    console.log(
      `${platform}: server busy time per request: unguarded ${o.busyMicrosPerRequest.toFixed(1)} µs, ` +
        `guarded ${g.busyMicrosPerRequest.toFixed(1)} µs → CPU-bound ratio ` +
        `${(o.busyMicrosPerRequest / g.busyMicrosPerRequest).toFixed(3)}x`,
    );
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_CPU !== '1') {
    await cacheFigures();
    await authenticatorFigures();
  }
  if (process.env.BENCH_SKIP_HTTP === '1') return;
  await httpFigures('express');
  await httpFigures('fastify');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
