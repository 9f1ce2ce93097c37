// Cognito/JWT verification benchmarks (issue 4). Every figure is a ratio to a baseline measured in
// the same run:
//  (1) CPU, RS256, warm keys: our cold path (token not cached) vs a bare node:crypto verify of the
//      same token (target >= 0.8x) and vs aws-jwt-verify on the same tokens (target >= 1.3x);
//      also jsonwebtoken with a KeyObject, jsonwebtoken with a PEM string (what passport-jwt fed by
//      jwks-rsa does per request), and our cache-hit path.
//  (2) HTTP: a @CognitoAuth() route's requests/s vs the same route unguarded, Express and Fastify,
//      with a repeated token (target >= 0.8x) and with the token cache off (every request pays the
//      full verify, as a new token per request would); and, for scale, a guard that only returns
//      true (what Nest's guard pipeline alone costs).
// Run: npm run bench -- cognito   (BENCH_SECONDS shortens it; BENCH_SKIP_HTTP=1 skips part 2)
import 'reflect-metadata';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { Controller, Get, Injectable, Module, UseGuards, type CanActivate } from '@nestjs/common';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import {
  CognitoAuthenticator,
  silentLogger,
  systemClock,
  type CognitoAuthOptions,
  type HttpRequest,
} from '../libs/gateway-auth/src';
import { CognitoAuth, GatewayAuthModule } from '../libs/gateway-auth/src/nest';
import { benchKeySource, CLIENT, jwk, mintIdTokens, POOL, publicKey } from './bench-tokens';
import { paired, report, type Measurement } from './harness';
import {
  reportRatio,
  runAutocannon,
  startNestApp,
  type LoadResult,
  type Platform,
} from './http-harness';

// jsonwebtoken ships no types here; it is passport-jwt's verifier.
const jsonwebtoken = require('jsonwebtoken') as {
  verify(token: string, key: KeyObject | string, options: { algorithms: string[] }): unknown;
};

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const TOKENS = 400;
const BARE = 'bare node:crypto RS256 verify (pre-split)';
const COLD = 'gateway-auth cold path (no token cache, warm JWKS)';
const AWS = 'aws-jwt-verify verify()';
const PEM = 'jsonwebtoken.verify with a PEM (passport-jwt + jwks-rsa)';
const HIT = 'gateway-auth cache hit (same token)';

const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;

function cognitoOptions(tokenCache: CognitoAuthOptions['tokenCache']): CognitoAuthOptions {
  return {
    userPools: [
      {
        userPoolId: POOL,
        clientIds: [CLIENT],
        jwksUri: 'https://bench.invalid/jwks.json',
        keySource: benchKeySource(),
      },
    ],
    tokenCache,
  };
}

async function cpuFigures(): Promise<void> {
  const tokens = await mintIdTokens(TOKENS);
  const parts = tokens.map((t) => {
    const dot = t.lastIndexOf('.');
    return { input: Buffer.from(t.slice(0, dot)), sig: Buffer.from(t.slice(dot + 1), 'base64url') };
  });
  const request = (token: string): HttpRequest => ({
    method: 'GET',
    path: '/me',
    rawQuery: '',
    headers: { authorization: token },
    sourceIp: '127.0.0.1',
    secure: false,
  });
  const requests = tokens.map(request);
  const shared = { api: API, clock: systemClock, logger: silentLogger };
  const cold = new CognitoAuthenticator(cognitoOptions(false), shared);
  const cached = new CognitoAuthenticator(cognitoOptions(true), shared);
  // The cold path as it happens with the cache on: each token is new, so a miss, a verify, an
  // insert and an eviction (400 tokens cycle through a one-entry cache).
  const churn = new CognitoAuthenticator(cognitoOptions({ maxEntries: 1 }), shared);
  const route = {};
  await cold.authorize(requests[0] as HttpRequest, route); // warm the JWKS
  const awsVerifier = CognitoJwtVerifier.create({
    userPoolId: POOL,
    tokenUse: 'id',
    clientId: CLIENT,
  });
  awsVerifier.cacheJwks({ keys: [jwk] } as never);
  const keyObject = createPublicKey(pem);

  let i = 0;
  const next = (): number => (i = (i + 1) % TOKENS);
  const same = request(tokens[0] as string);
  const seconds = Number(process.env.BENCH_SECONDS ?? 2);
  const bare = (): void => {
    const p = parts[next()] as { input: Buffer; sig: Buffer };
    if (!verify('sha256', p.input, keyObject, p.sig)) throw new Error('bare verify failed');
  };
  const contenders: Array<[string, () => unknown]> = [
    // authorize() is what the guard calls (synchronous when no key has to be fetched).
    [COLD, () => cold.authorize(requests[next()] as HttpRequest, route)],
    [AWS, () => awsVerifier.verify(tokens[next()] as string)],
    ['aws-jwt-verify verifySync()', () => awsVerifier.verifySync(tokens[next()] as string)],
    [
      'jsonwebtoken.verify with a KeyObject',
      () => jsonwebtoken.verify(tokens[next()] as string, keyObject, { algorithms: ['RS256'] }),
    ],
    [PEM, () => jsonwebtoken.verify(tokens[next()] as string, pem, { algorithms: ['RS256'] })],
    [
      'gateway-auth cold path, token cache on (miss + insert + evict)',
      () => churn.authorize(requests[next()] as HttpRequest, route),
    ],
    [HIT, () => cached.authorize(same, route)],
  ];
  // Two cores shared with other work: each contender runs in batches interleaved with the baseline's,
  // so load changes hit both sides of every ratio alike.
  const results: Measurement[] = [];
  let baseline: Measurement | undefined;
  const byName = new Map<string, Measurement>();
  for (const [name, fn] of contenders) {
    const [b, m] = await paired(BARE, bare, name, fn, seconds);
    baseline ??= b;
    // Scale each contender to the first baseline so the printed ratios are the paired ones.
    const scaled = {
      name,
      opsPerSecond: (m.opsPerSecond / b.opsPerSecond) * baseline.opsPerSecond,
    };
    results.push(scaled);
    byName.set(name, scaled);
  }
  report([baseline as Measurement, ...results], baseline as Measurement);
  const [awsPaired, oursPaired] = await paired(
    AWS,
    contenders[1]?.[1] as () => unknown,
    COLD,
    contenders[0]?.[1] as () => unknown,
    seconds,
  );
  console.log(
    `gateway-auth cold path vs aws-jwt-verify verify() (paired): ${(oursPaired.opsPerSecond / awsPaired.opsPerSecond).toFixed(3)}x`,
  );
  const [awsSyncPaired, oursSyncPaired] = await paired(
    'aws-jwt-verify verifySync()',
    contenders[2]?.[1] as () => unknown,
    COLD,
    contenders[0]?.[1] as () => unknown,
    seconds,
  );
  console.log(
    `gateway-auth cold path vs aws-jwt-verify verifySync() (paired): ${(oursSyncPaired.opsPerSecond / awsSyncPaired.opsPerSecond).toFixed(3)}x`,
  );
  await cold.close();
  await cached.close();
  await churn.close();
}

/** Nest's own cost of a guard (async guard pipeline, execution context), for comparison. */
@Injectable()
class NoopGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

@Controller()
class BenchController {
  @Get('open')
  open(): { ok: boolean } {
    return { ok: true };
  }

  @UseGuards(NoopGuard)
  @Get('noop')
  noop(): { ok: boolean } {
    return { ok: true };
  }

  @CognitoAuth()
  @Get('me')
  me(): { ok: boolean } {
    return { ok: true };
  }
}

function benchModule(tokenCache: boolean): new () => unknown {
  @Module({
    imports: [
      GatewayAuthModule.forRoot({
        api: API,
        cognito: cognitoOptions(tokenCache),
        clock: systemClock,
        logger: silentLogger,
      }),
    ],
    controllers: [BenchController],
  })
  class CognitoBenchModule {}
  return CognitoBenchModule;
}

/**
 * `path`'s requests/s as a ratio to `/open` on the same app: three alternating short runs of each,
 * averaged, so load swings on the shared machine hit both sides of the ratio alike.
 */
async function ratioToOpen(url: string, path: string, token: string, label: string): Promise<void> {
  const headers = { authorization: token };
  const seconds = Math.max(1, Number(process.env.BENCH_SECONDS ?? 4) / 2);
  const rounds: Array<[LoadResult, LoadResult]> = [];
  for (let round = 0; round < 3; round++) {
    const o = await runAutocannon({ url: `${url}/open`, headers, durationSeconds: seconds });
    const g = await runAutocannon({ url: `${url}${path}`, headers, durationSeconds: seconds });
    rounds.push([o, g]);
  }
  const sum = (pick: 0 | 1): LoadResult => {
    const runs = rounds.map((r) => r[pick]);
    return {
      requestsPerSecond: runs.reduce((a, r) => a + r.requestsPerSecond, 0) / runs.length,
      total: runs.reduce((a, r) => a + r.total, 0),
      errors: runs.reduce((a, r) => a + r.errors, 0),
      timeouts: runs.reduce((a, r) => a + r.timeouts, 0),
      non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
      latencyP99Ms: Math.max(...runs.map((r) => r.latencyP99Ms)),
    };
  };
  const open = sum(0);
  const guarded = sum(1);
  if (guarded.non2xx > 0) throw new Error(`${path} refused ${guarded.non2xx} requests`);
  reportRatio(label, guarded, open, label.slice(0, label.indexOf(':')) + ' unguarded');
}

async function httpFigures(platform: Platform, token: string): Promise<void> {
  for (const tokenCache of [true, false]) {
    const app = await startNestApp(benchModule(tokenCache), platform);
    try {
      const label = tokenCache ? 'repeated token (cache hit)' : 'token cache off (full verify)';
      await ratioToOpen(app.url, '/me', token, `${platform}: GET /me @CognitoAuth(), ${label}`);
      if (tokenCache) {
        await ratioToOpen(
          app.url,
          '/noop',
          token,
          `${platform}: GET /noop, a guard returning true (Nest's guard cost)`,
        );
      }
    } finally {
      await app.close();
    }
  }
}

async function main(): Promise<void> {
  await cpuFigures();
  if (process.env.BENCH_SKIP_HTTP === '1') return;
  const [token] = await mintIdTokens(1);
  await httpFigures('express', token as string);
  await httpFigures('fastify', token as string);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
