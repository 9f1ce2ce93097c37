// Memory per cached entry (issue 11, part 4): bytes of heap a process keeps for each entry of the
// Lambda-authorizer decision cache, the Cognito verified-token cache and the SigV4 signing-key
// cache, from `process.memoryUsage()` deltas (garbage collected before and after) while each cache
// is filled to its default bound through the authenticator that owns it: what a process pays per
// distinct caller, memo layers on top of the caches included. The floor is a `Map` from the same
// tokens to a two-field object (a cache entry cannot cost less than its key and a map slot);
// every figure is also a ratio to it. Each phase runs ROUNDS times; the spread is min - max.
// Authorizer rows: bytes per entry the store holds, next to what `cache.memory.maxBytes` counts
// for it (the estimate must be the larger), with the byte bound out of reach except in the last
// row, which shows the default bound (64 MiB) capping a flood of answers that share nothing.
//
// Run: npm run bench -- memory  (bench/run.js passes --expose-gc and --no-flush-bytecode: without
// the latter, V8 frees the bytecode of functions idle over a few collections, and phases would
// measure that as negative memory.) MEMORY_BENCH_ROUNDS=1 for a quick look;
// MEMORY_BENCH_ONLY=authorizer|cognito|sigv4 runs the floor and those phases only.
import { randomBytes, createHash, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { tokenAuthorizer } from '../examples/authorizers/token-authorizer';
import {
  AuthError,
  CognitoAuthenticator,
  CustomAuthorizerAuthenticator,
  IamAuthenticator,
  JwksKeySource,
  MemoryDecisionCache,
  fixedClock,
  silentLogger,
  type AuthorizerOptions,
  type HttpRequest,
  type MemoryDecisionCacheOptions,
} from '../libs/gateway-auth/src';
import { signedPetsHeaders } from './signed-pets-request';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with --expose-gc (npm run bench -- memory does)');
  process.exit(2);
}
const collect = gc;

const ROUNDS = Number(process.env.MEMORY_BENCH_ROUNDS ?? 3);
const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const NOW = Date.parse('2026-03-01T10:00:00Z');
/** The default bounds: `cache.memory.maxKeys`, Cognito `tokenCache.maxEntries`, `signingKeyCacheSize`. */
const AUTHORIZER_ENTRIES = 100_000;
const COGNITO_ENTRIES = 10_000;
const SIGV4_ENTRIES = 10_000;
/** A byte bound the phases that measure per-entry cost never reach (all their entries held). */
const UNBOUNDED_BYTES: MemoryDecisionCacheOptions = { maxBytes: 2 ** 40 };

/** What a store says it holds after a round (the authorizer's in-process store). */
interface Held {
  entries: number;
  /** The store's own estimate of those entries' bytes (`cache.memory.maxBytes` counts these). */
  estimatedBytes: number;
}

/** One round of a phase: built before the first measurement, filled between the two. */
interface Round {
  /** Sends the phase's entries; answers what the store held when it can tell. */
  fill(): Promise<Held | undefined>;
  /** Releases what the round built (after the second measurement). */
  close(): Promise<void>;
}

interface Phase {
  name: string;
  entries: number;
  /** Builds what is not per entry (authenticators, compiled credentials) outside the count. */
  prepare(entries: number): Round;
}

interface Figure {
  /** Heap bytes per entry held, one per round. */
  heap: number[];
  rss: number[];
  /** Heap bytes in all, one per round. */
  total: number[];
  held: number;
  estimate?: number;
}

function settle(): NodeJS.MemoryUsage {
  for (let i = 0; i < 4; i++) collect();
  return process.memoryUsage();
}

async function measurePhase(phase: Phase): Promise<Figure> {
  const figure: Figure = { heap: [], rss: [], total: [], held: phase.entries };
  for (let round = 0; round < ROUNDS; round++) {
    const run = phase.prepare(phase.entries);
    const before = settle();
    const held = await run.fill();
    const after = settle();
    // Buffers (signing keys) live outside the V8 heap: counted through `external`.
    const heap = after.heapUsed - before.heapUsed + (after.external - before.external);
    figure.held = held?.entries ?? phase.entries;
    figure.estimate = held && held.estimatedBytes / held.entries;
    figure.heap.push(heap / figure.held);
    figure.rss.push((after.rss - before.rss) / figure.held);
    figure.total.push(heap);
    await run.close();
  }
  return figure;
}

/** A fresh opaque token, as an HTTP parser would hand it over (its own flat string). */
function opaqueToken(chars: number): string {
  return randomBytes(Math.ceil((chars * 3) / 4))
    .toString('base64url')
    .slice(0, chars)
    .concat('');
}

/** A copy of `text` in a string of its own, as each request's header value is. */
function fresh(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

function request(headers: Record<string, string>): HttpRequest {
  return {
    method: 'GET',
    path: '/orders',
    rawQuery: '',
    headers,
    sourceIp: '203.0.113.7',
    secure: true,
  };
}

/** A Map from each token to a two-field object: the least a cache entry can cost. */
const floorPhase = (entries: number, tokenChars: number): Phase => ({
  name: `floor: Map<token, {expiresAt, value}>, ${tokenChars}-char tokens`,
  entries,
  prepare(n) {
    const map = new Map<string, { expiresAt: number; value: object }>();
    const value = {};
    return {
      fill() {
        for (let i = 0; i < n; i++) map.set(opaqueToken(tokenChars), { expiresAt: NOW + i, value });
        return Promise.resolve(undefined);
      },
      close() {
        map.clear();
        return Promise.resolve();
      },
    };
  },
});

/**
 * The Lambda-authorizer cache filled by `entries` distinct tokens that the authorizer denies (LC-03
 * caches denies), each token a miss that invokes the authorizer and caches its answer.
 */
function authorizerPhase(
  name: string,
  entries: number,
  tokenChars: number,
  handler: NonNullable<AuthorizerOptions['handler']>,
  memory: MemoryDecisionCacheOptions = UNBOUNDED_BYTES,
): Phase {
  return {
    name,
    entries,
    prepare(n) {
      const store = new MemoryDecisionCache(memory);
      const authenticator = new CustomAuthorizerAuthenticator(
        { orders: { type: 'TOKEN', handler, ttlSeconds: 300 } },
        { api: API, clock: fixedClock(NOW), logger: silentLogger },
        { store },
      );
      const route = { name: 'orders' };
      return {
        async fill() {
          for (let i = 0; i < n; i++) {
            // A refusal thrown synchronously (a cached deny) counts like a rejected promise.
            const refused = await (async () =>
              authenticator.authorize(
                request({ authorization: opaqueToken(tokenChars) }),
                route,
              ))().then(
              () => false,
              (error: unknown) =>
                error instanceof AuthError && error.responseType === 'ACCESS_DENIED',
            );
            if (!refused) throw new Error(`${name}: not a 403 deny`);
          }
          const usage = store.usage('petstore/prod/orders');
          return { entries: usage.entries, estimatedBytes: usage.bytes };
        },
        close: async () => {
          await authenticator.close();
          await store.close();
        },
      };
    },
  };
}

/** The examples' TOKEN authorizer answering its Deny policy to every token (one policy for all). */
function denyEveryone(event: { methodArn: string }): Promise<unknown> {
  return tokenAuthorizer({ type: 'TOKEN', authorizationToken: 'deny', methodArn: event.methodArn });
}

/** The same Deny, naming each caller: nothing in one answer is shared with another's. */
async function denyByName(event: {
  methodArn: string;
  authorizationToken: string;
}): Promise<unknown> {
  const answer = await denyEveryone(event);
  const id = createHash('sha256').update(event.authorizationToken).digest('hex').slice(0, 16);
  return { ...(answer as object), principalId: `user-${id}` };
}

/** Cognito: `entries` distinct ID tokens (RS256, one key), each verified once and cached. */
async function cognitoPhase(entries: number): Promise<Phase> {
  const pool = 'us-east-1_Memory1';
  const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${pool}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'memory-1', alg: 'RS256', use: 'sig' };
  const seconds = Math.floor(NOW / 1000);
  const tokens: string[] = [];
  for (let i = 0; i < entries; i++) {
    tokens.push(
      await new SignJWT({
        sub: `8f3c${i.toString(16).padStart(8, '0')}-1b2c-4d5e-8f90-0a1b2c3d4e5f`,
        'cognito:username': `user-${i}`,
        'cognito:groups': ['readers'],
        email: `user-${i}@example.com`,
        email_verified: true,
        aud: 'memory-client',
        iss: issuer,
        token_use: 'id',
        auth_time: seconds,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'memory-1' })
        .setIssuedAt(seconds)
        .setExpirationTime(seconds + 3600)
        .sign(privateKey),
    );
  }
  const keySource = new JwksKeySource({
    jwksUri: 'https://memory.invalid/jwks.json',
    algorithms: ['RS256'],
    clock: fixedClock(NOW),
    logger: silentLogger,
    fetchDocument: () => Promise.resolve({ keys: [jwk] }),
  });
  return {
    name: `Cognito verified-token cache: ID tokens (${tokens[0]?.length ?? 0} chars)`,
    entries,
    prepare(n) {
      const authenticator = new CognitoAuthenticator(
        { userPools: [{ userPoolId: pool, clientIds: ['memory-client'], keySource }] },
        { api: API, clock: fixedClock(NOW), logger: silentLogger },
      );
      return {
        async fill() {
          // The first token fetches the JWKS (one key: noise next to 10,000 entries).
          for (let i = 0; i < n; i++) {
            const token = fresh(tokens[i] as string);
            await authenticator.authorize(request({ authorization: token }), {});
          }
          return undefined;
        },
        close: () => authenticator.close(),
      };
    },
  };
}

/** SigV4: `entries` distinct access keys, each signing one request that is verified (and cached). */
async function sigV4Phase(entries: number): Promise<Phase> {
  const date = new Date(NOW);
  const credentials = Array.from({ length: entries }, (_, i) => ({
    accessKeyId: `AKIAMEMORY${i.toString().padStart(10, '0')}`,
    secretAccessKey: `memory-secret-${i.toString().padStart(26, '0')}`,
    principal: { arn: `arn:aws:iam::111122223333:user/user-${i}` },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/GET/pets',
          },
        ],
      },
    ],
  }));
  const signed: Array<Record<string, string>> = [];
  for (const c of credentials) signed.push(await signedPetsHeaders(c, 'api.example.com', date));
  return {
    name: 'SigV4 signing-key cache: one key per access key (+ parse memo, caller access)',
    entries,
    prepare(n) {
      // Built here: the credentials (their compiled policies) are the service's, not per entry.
      const authenticator = new IamAuthenticator(
        { credentials },
        { api: API, clock: fixedClock(NOW), logger: silentLogger },
      );
      return {
        async fill() {
          for (let i = 0; i < n; i++) {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(signed[i] as Record<string, string>)) {
              headers[name.toLowerCase()] = fresh(value);
            }
            await authenticator.authorize(
              {
                method: 'GET',
                path: '/pets',
                rawQuery: 'limit=10&sort=name',
                headers,
                sourceIp: '10.0.0.1',
                secure: true,
              },
              {},
            );
          }
          return undefined;
        },
        close: () => authenticator.close(),
      };
    },
  };
}

function range(values: readonly number[]): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max || Math.round(min) === Math.round(max)
    ? `${Math.round(min)}`
    : `${Math.round(min)} - ${Math.round(max)}`;
}

async function main(): Promise<void> {
  const floor = floorPhase(AUTHORIZER_ENTRIES, 43);
  // MEMORY_BENCH_ONLY=authorizer (or cognito, sigv4) runs the floor and the phases named so.
  const only = process.env.MEMORY_BENCH_ONLY;
  const wanted = (name: string): boolean => only === undefined || name.includes(only);
  const phases: Phase[] = [floor];
  if (wanted('authorizer')) {
    phases.push(
      authorizerPhase(
        'authorizer cache: one Deny policy for all, 43-char tokens',
        AUTHORIZER_ENTRIES,
        43,
        denyEveryone,
      ),
      authorizerPhase(
        'authorizer cache: one Deny policy for all, 1,024-char tokens',
        AUTHORIZER_ENTRIES,
        1024,
        denyEveryone,
      ),
      authorizerPhase(
        'authorizer cache: a Deny naming each caller, 43-char tokens',
        AUTHORIZER_ENTRIES,
        43,
        denyByName,
      ),
      authorizerPhase(
        'authorizer cache, default bounds: a Deny naming each caller, 1,024-char tokens',
        AUTHORIZER_ENTRIES,
        1024,
        denyByName,
        {},
      ),
    );
  }
  if (wanted('cognito')) phases.push(await cognitoPhase(COGNITO_ENTRIES));
  if (wanted('sigv4')) phases.push(await sigV4Phase(SIGV4_ENTRIES));
  console.log(
    `B/entry: (heapUsed + external) delta / entries held, min - max over ${ROUNDS} rounds; ` +
      'estimate: what cache.memory.maxBytes counts per entry; RSS delta for reference',
  );
  let floorBytes = 0;
  for (const phase of phases) {
    const figure = await measurePhase(phase);
    const median = [...figure.heap].sort((a, b) => a - b)[figure.heap.length >> 1] as number;
    if (phase === floor) floorBytes = median;
    const mib = figure.total.map((bytes) => bytes / 2 ** 20);
    console.log(
      `${phase.name.padEnd(80)} ${figure.held.toLocaleString('en-US').padStart(7)} held ` +
        `${range(figure.heap).padStart(11)} B/entry ${(median / floorBytes).toFixed(1).padStart(5)}x floor` +
        `${figure.estimate === undefined ? '' : `  estimate ${Math.round(figure.estimate)} B/entry`}` +
        `  total ${range(mib)} MiB  RSS ${range(figure.rss)} B/entry`,
    );
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
