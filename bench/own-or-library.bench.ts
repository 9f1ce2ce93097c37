// Hand-written pieces against what a library or Node offers, on the guarded route each one serves
// (issue 14 item 3): "where the library is within 10% on the route, use it".
//  (a) HmacSha256Key (prepared pads, one-shot crypto.hash) vs node:crypto createHmac, @IamAuth().
//  (b) BoundedMemo (SigV4 parse memos, the caller's route decisions) vs lru-cache, @IamAuth().
//  (c) VerifiedTokenCache vs lru-cache (same integer key and checks), @CognitoAuth() repeated token.
// Each pair runs in one process on one app: the class's methods are switched between rounds, so
// both sides share the process, the JIT state and the machine's load. Server CPU per request with
// the load in a separate process; each round's library/ours ratio, then the median and the range.
// Run: npm run bench -- own-or-library   (BENCH_ROUNDS pairs, default 6; BENCH_PLATFORMS; BENCH_SWAPS)
import 'reflect-metadata';
import { createHmac } from 'node:crypto';
import { Controller, Get, Module } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { silentLogger, systemClock } from '../libs/gateway-auth/src';
import { BoundedMemo } from '../libs/gateway-auth/src/core/bounded-memo';
import {
  VerifiedTokenCache,
  type CacheableVerification,
} from '../libs/gateway-auth/src/core/jwt/verified-token-cache';
import { CognitoAuth, GatewayAuthModule, IamAuth } from '../libs/gateway-auth/src/nest';
import { HmacSha256Key } from '../libs/gateway-auth/src/core/sigv4/hmac-sha256';
import { benchKeySource, CLIENT, mintIdTokens, POOL } from './bench-tokens';
import { serverCpuPerRequest, startNestApp, type Platform } from './http-harness';
import { BENCH_CALLER, signedPetsHeaders } from './signed-pets-request';

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };

/** A class's methods as ours, and as the library-backed replacement. */
interface Swap {
  name: string;
  route: string;
  apply(which: 'ours' | 'library'): void;
}

function swapMethods<T extends object>(
  proto: T,
  library: Partial<Record<keyof T, unknown>>,
): Swap['apply'] {
  const ours = Object.fromEntries(
    Object.keys(library).map((name) => [name, proto[name as keyof T]]),
  );
  return (which) => Object.assign(proto, which === 'ours' ? ours : library);
}

// (a) createHmac with the raw key, as verify-signature.ts does for an unprepared key.
const hmac: Swap = {
  name: 'HMAC: createHmac vs HmacSha256Key',
  route: 'pets',
  apply: swapMethods(HmacSha256Key.prototype, {
    hex(this: HmacSha256Key, message: string): string {
      return createHmac('sha256', this.key).update(message).digest('hex');
    },
  }),
};

// (b) An LRUCache per memo, with BoundedMemo's bound; `undefined` values (a remembered "nothing")
// are boxed, as lru-cache does not store them.
const NONE = Symbol('none');
type MemoInternals = { maxEntries: number; lru?: LRUCache<object | string, object | symbol> };
const lruOf = (memo: unknown): LRUCache<object | string, object | symbol> => {
  const m = memo as MemoInternals;
  return (m.lru ??= new LRUCache<object | string, object | symbol>({ max: m.maxEntries }));
};
const memo: Swap = {
  name: 'memo: lru-cache vs BoundedMemo',
  route: 'pets',
  apply: swapMethods(BoundedMemo.prototype, {
    get(this: unknown, key: string): unknown {
      const value = lruOf(this).get(key);
      return value === NONE ? undefined : value;
    },
    has(this: unknown, key: string): boolean {
      return lruOf(this).has(key);
    },
    set(this: unknown, key: string, value: unknown): void {
      lruOf(this).set(key, value === undefined ? NONE : (value as object));
    },
  }),
};

// (c) The same integer key and validity checks as VerifiedTokenCache, lru-cache's recency.
type TokenCacheInternals = { maxEntries: number; lru?: LRUCache<number, TokenSlot> };
type TokenSlot = { token: string; value: CacheableVerification };
const tokenLru = (cache: unknown): LRUCache<number, TokenSlot> => {
  const c = cache as TokenCacheInternals;
  return (c.lru ??= new LRUCache<number, TokenSlot>({ max: c.maxEntries }));
};
function keyOf(token: string): number {
  let hash = token.length;
  for (let i = token.length - 1, end = Math.max(0, token.length - 16); i >= end; i--) {
    hash = (Math.imul(hash, 31) + token.charCodeAt(i)) & 0x3fffffff;
  }
  return hash;
}
const tokens: Swap = {
  name: 'token cache: lru-cache vs VerifiedTokenCache',
  route: 'me',
  apply: swapMethods(VerifiedTokenCache.prototype, {
    get(this: unknown, token: string, nowMs: number): CacheableVerification | undefined {
      const lru = tokenLru(this);
      const key = keyOf(token);
      const slot = lru.get(key);
      if (slot === undefined || slot.token !== token) return undefined;
      const entry = slot.value;
      if (nowMs >= entry.validUntilMs || entry.keySource.peekKey(entry.key.kid) !== entry.key) {
        lru.delete(key);
        return undefined;
      }
      return entry;
    },
    set(this: unknown, token: string, entry: CacheableVerification): void {
      tokenLru(this).set(keyOf(token), { token, value: entry });
    },
  }),
};

@Controller()
class BenchController {
  @IamAuth()
  @Get('pets')
  pets(): { ok: boolean } {
    return { ok: true };
  }

  @CognitoAuth()
  @Get('me')
  me(): { ok: boolean } {
    return { ok: true };
  }
}

@Module({
  imports: [
    GatewayAuthModule.forRoot({
      api: API,
      iam: { credentials: [BENCH_CALLER] },
      cognito: {
        userPools: [
          {
            userPoolId: POOL,
            clientIds: [CLIENT],
            keySource: benchKeySource(),
          },
        ],
      },
      clock: systemClock,
      logger: silentLogger,
    }),
  ],
  controllers: [BenchController],
})
class BenchModule {}

async function compare(
  platform: Platform,
  url: string,
  swap: Swap,
  /** Fresh headers for each measurement (a SigV4 signature expires after five minutes). */
  headers: () => Promise<Record<string, string>>,
): Promise<void> {
  const request = async (): Promise<
    Array<{ method: 'GET'; path: string; headers: Record<string, string> }>
  > => [{ method: 'GET', path: `/${swap.route}?limit=10&sort=name`, headers: await headers() }];
  const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
  const cpu = { ours: [] as number[], library: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    // Alternate which side goes first, so a trend in the machine's load favours neither.
    const order = round % 2 === 0 ? (['ours', 'library'] as const) : (['library', 'ours'] as const);
    for (const which of order) {
      swap.apply(which);
      const requests = await request();
      await serverCpuPerRequest(url, requests, 2000); // re-optimise after the switch
      cpu[which].push(await serverCpuPerRequest(url, requests));
    }
  }
  swap.apply('ours');
  const ratios = cpu.ours.map((us, k) => us / (cpu.library[k] as number)).sort((a, b) => a - b);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
  console.log(
    `${`${platform}: ${swap.name} (/${swap.route})`.padEnd(66)} server CPU ${median(cpu.library).toFixed(1)} vs ${median(cpu.ours).toFixed(1)} µs/request; ` +
      `library throughput per CPU-second ${median(ratios).toFixed(3)}x ours (rounds ${(ratios[0] ?? 0).toFixed(3)}-${(ratios[ratios.length - 1] ?? 0).toFixed(3)})`,
  );
}

/** BENCH_SWAPS=hmac,memo,token runs those comparisons only (matched against each name). */
function chosen(swap: Swap): boolean {
  const only = process.env.BENCH_SWAPS;
  return only === undefined || only.split(',').some((word) => swap.name.includes(word));
}

async function main(): Promise<void> {
  const platforms = (process.env.BENCH_PLATFORMS ?? 'express,fastify').split(',');
  const [token] = await mintIdTokens(1);
  for (const platform of ['express', 'fastify'] as const) {
    if (!platforms.includes(platform)) continue;
    const app = await startNestApp(BenchModule, platform);
    try {
      const host = new URL(app.url).host;
      const signed = (): Promise<Record<string, string>> =>
        signedPetsHeaders(BENCH_CALLER, host, new Date());
      for (const swap of [hmac, memo].filter(chosen)) {
        await compare(platform, app.url, swap, signed);
      }
      if (chosen(tokens)) {
        await compare(platform, app.url, tokens, () =>
          Promise.resolve({ authorization: token as string }),
        );
      }
    } finally {
      await app.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
