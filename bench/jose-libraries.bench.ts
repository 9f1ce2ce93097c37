// Our JOSE decoding and signature verification against two well-kept libraries (issue 14 item 3):
// `aws-jwt-verify` (synchronous `verifySync()`, our key source behind its `JwksCache`) and `jose`
// (`jwtVerify()`, our key source as its key resolver). Each does what the library would replace:
// decode, signature, exp/iss/aud/token_use, then the claims as strings for the handler (COG-07).
//  (1) CPU per new token, in paired batches (CPU time, median of per-batch ratios) against ours.
//  (2) A guarded route with a new token per request: four Nest routes of one app that differ only in
//      the guard's verify step (none, ours, aws-jwt-verify, jose), and the real @CognitoAuth() route
//      with its token cache off. Server CPU per request with the load in a separate process, rounds
//      interleaved (open, ours, aws, jose, cognito, open, ...), median and range over rounds.
// Run: npm run bench -- jose   (BENCH_SECONDS per CPU figure, BENCH_ROUNDS, BENCH_PLATFORMS)
import 'reflect-metadata';
import { verify, type KeyObject } from 'node:crypto';
import {
  Controller,
  Get,
  Module,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { JwkWithKid, JwksCache } from 'aws-jwt-verify/jwk';
import { JwksNotAvailableInCacheError } from 'aws-jwt-verify/error';
import { jwtVerify } from 'jose';
import { silentLogger, systemClock } from '../libs/gateway-auth/src';
import { BearerTokenVerifier } from '../libs/gateway-auth/src/core/jwt/bearer-token-verifier';
import { stringifyClaimsInPlace } from '../libs/gateway-auth/src/core/jwt/claim-rules';
import { JwtIssuers } from '../libs/gateway-auth/src/core/jwt/jwt-issuers';
import type { KeySource, VerificationKey } from '../libs/gateway-auth/src/core/jwt/key-source';
import { CognitoAuth, GatewayAuthModule } from '../libs/gateway-auth/src/nest';
import { benchKeySource, CLIENT, ISS, mintIdTokens, POOL } from './bench-tokens';
import { paired, report, type Measurement } from './harness';
import { serverCpuPerRequest, startNestApp, type Platform } from './http-harness';

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const TOKENS = 400;

/** One key source for every contender: what each library is given is what ours reads. */
const keySource = benchKeySource();
const cognitoOptions = {
  userPools: [{ userPoolId: POOL, clientIds: [CLIENT], keySource }],
  tokenCache: false as const,
};

/** aws-jwt-verify's JWKS cache answered from our key source (the JWK exported once per key). */
class KeySourceJwksCache implements JwksCache {
  private readonly jwks = new WeakMap<VerificationKey, JwkWithKid>();

  constructor(private readonly source: KeySource) {}

  getCachedJwk(_uri: string, jwt: { header: { kid?: string } }): JwkWithKid {
    const key = this.source.peekKey(jwt.header.kid ?? '');
    if (key === undefined) throw new JwksNotAvailableInCacheError('no such key');
    return this.jwkOf(key);
  }

  async getJwk(_uri: string, jwt: { header: { kid?: string } }): Promise<JwkWithKid> {
    return this.jwkOf(await this.source.getKey(jwt.header.kid ?? ''));
  }

  addJwks(): void {}

  getJwks(): never {
    throw new Error('not used');
  }

  private jwkOf(key: VerificationKey): JwkWithKid {
    let found = this.jwks.get(key);
    if (found === undefined) {
      const exported = key.keyObject.export({ format: 'jwk' });
      found = { ...exported, kty: 'RSA', kid: key.kid, alg: 'RS256', use: 'sig' };
      this.jwks.set(key, found);
    }
    return found;
  }
}

/** Each contender: the token's claims as strings, or a promise of them; throws when refused. */
type Check = (token: string) => Record<string, string> | Promise<Record<string, string>>;

const ours = new BearerTokenVerifier({
  issuers: new JwtIssuers(cognitoOptions, {
    api: API,
    clock: systemClock,
    logger: silentLogger,
  }),
  mode: 'rest',
  toleranceSeconds: 0,
  maxTokenLength: 10_240,
  cache: undefined,
});
const awsVerifier = CognitoJwtVerifier.create(
  { userPoolId: POOL, tokenUse: 'id', clientId: CLIENT },
  { jwksCache: new KeySourceJwksCache(keySource) },
);
const joseKey = async (header: { kid?: string }): Promise<KeyObject> =>
  (keySource.peekKey(header.kid ?? '') ?? (await keySource.getKey(header.kid ?? ''))).keyObject;

const CHECKS: Record<'ours' | 'aws' | 'jose', Check> = {
  ours: (token) => {
    const verified = ours.verify(token, systemClock.now());
    if (verified instanceof Promise) throw new Error('ours: key not held');
    return verified.claims;
  },
  aws: (token) => stringifyClaimsInPlace(awsVerifier.verifySync(token), 'rest'),
  jose: (token) =>
    jwtVerify(token, joseKey, { issuer: ISS, audience: CLIENT, algorithms: ['RS256'] }).then(
      ({ payload }) => stringifyClaimsInPlace(payload as Record<string, unknown>, 'rest'),
    ),
};
const NAMES = {
  ours: 'gateway-auth (decode-jwt + verify-signature + claim rules)',
  aws: 'aws-jwt-verify verifySync(), our keys as its JwksCache',
  jose: 'jose jwtVerify(), our keys as its resolver',
} as const;

async function cpuFigures(tokens: readonly string[]): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const parts = tokens.map((t) => {
    const dot = t.lastIndexOf('.');
    return { input: Buffer.from(t.slice(0, dot)), sig: Buffer.from(t.slice(dot + 1), 'base64url') };
  });
  const keyObject = (await keySource.getKey('bench-1')).keyObject;
  let i = 0;
  const next = (): string => tokens[(i = (i + 1) % tokens.length)] as string;
  const bare = (): void => {
    const p = parts[(i = (i + 1) % tokens.length)] as { input: Buffer; sig: Buffer };
    if (!verify('sha256', p.input, keyObject, p.sig)) throw new Error('bare verify failed');
  };
  const results: Measurement[] = [];
  let base: Measurement | undefined;
  for (const name of ['ours', 'aws', 'jose'] as const) {
    const check = CHECKS[name];
    const [b, m] = await paired(
      'bare RS256 verify',
      bare,
      NAMES[name],
      () => check(next()),
      seconds,
    );
    base ??= b;
    results.push({ ...m, opsPerSecond: (m.opsPerSecond / b.opsPerSecond) * base.opsPerSecond });
  }
  report([base as Measurement, ...results], base as Measurement);
  for (const name of ['aws', 'jose'] as const) {
    const check = CHECKS[name];
    const [o, l] = await paired(
      'ours',
      () => CHECKS.ours(next()),
      name,
      () => check(next()),
      seconds,
    );
    const [q1, q3] = l.quartiles ?? [Number.NaN, Number.NaN];
    console.log(
      `${NAMES[name]} per new token, paired with ours: ${(l.opsPerSecond / o.opsPerSecond).toFixed(3)}x ours (quartiles of the batch ratios ${q1.toFixed(3)}-${q3.toFixed(3)})`,
    );
  }
}

/** A guard whose only work is one contender's verify step on the `authorization` header. */
function guardFor(check: Check): CanActivate {
  return {
    canActivate(context: ExecutionContext): boolean | Promise<boolean> {
      const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
      const claims = check(request.headers.authorization ?? '');
      return claims instanceof Promise ? claims.then(() => true) : true;
    },
  };
}

@Controller()
class BenchController {
  @Get('open')
  open(): { ok: boolean } {
    return { ok: true };
  }

  @UseGuards(guardFor(CHECKS.ours))
  @Get('ours')
  ours(): { ok: boolean } {
    return { ok: true };
  }

  @UseGuards(guardFor(CHECKS.aws))
  @Get('aws')
  aws(): { ok: boolean } {
    return { ok: true };
  }

  @UseGuards(guardFor(CHECKS.jose))
  @Get('jose')
  jose(): { ok: boolean } {
    return { ok: true };
  }

  @CognitoAuth()
  @Get('cognito')
  cognito(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({
  imports: [
    GatewayAuthModule.forRoot({
      api: API,
      cognito: cognitoOptions,
      clock: systemClock,
      logger: silentLogger,
    }),
  ],
  controllers: [BenchController],
})
class BenchModule {}

const ROUTES = ['open', 'ours', 'aws', 'jose', 'cognito'] as const;

async function httpFigures(platform: Platform, tokens: readonly string[]): Promise<void> {
  const app = await startNestApp(BenchModule, platform);
  try {
    const requests = tokens.map((token) => ({
      method: 'GET' as const,
      headers: { authorization: token },
    }));
    const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
    const cpu = new Map<string, number[]>(ROUTES.map((r) => [r, []]));
    for (const route of ROUTES) await serverCpuPerRequest(`${app.url}/${route}`, requests, 2000);
    for (let round = 0; round < rounds; round++) {
      for (const route of ROUTES) {
        cpu.get(route)?.push(await serverCpuPerRequest(`${app.url}/${route}`, requests));
      }
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
    // Each round's ratio to ours in the same round (load swings cancel), then the median.
    const toOurs = (route: string): number[] =>
      (cpu.get(route) ?? []).map((us, k) => (cpu.get('ours')?.[k] ?? 0) / us);
    for (const route of ROUTES) {
      const us = cpu.get(route) ?? [];
      const ratios = toOurs(route);
      console.log(
        `${`${platform}: GET /${route}, a new token per request`.padEnd(56)} server CPU ${median(us).toFixed(1).padStart(6)} µs/request (${Math.min(...us).toFixed(1)}-${Math.max(...us).toFixed(1)})` +
          (route === 'ours' || route === 'open'
            ? ''
            : `  throughput per CPU-second ${median(ratios).toFixed(3)}x ours (rounds ${ratios.map((r) => r.toFixed(3)).join(', ')})`),
      );
    }
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const tokens = await mintIdTokens(TOKENS);
  await keySource.getKey('bench-1');
  for (const token of tokens.slice(0, 3)) {
    for (const check of Object.values(CHECKS)) await check(token); // every contender accepts them
  }
  if (process.env.BENCH_SKIP_CPU !== '1') await cpuFigures(tokens);
  if (process.env.BENCH_SKIP_HTTP === '1') return;
  const platforms = (process.env.BENCH_PLATFORMS ?? 'express,fastify').split(',');
  for (const platform of ['express', 'fastify'] as const) {
    if (platforms.includes(platform)) await httpFigures(platform, tokens);
  }
  keySource.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
