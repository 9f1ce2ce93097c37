// JWKS under faults (issue 4 item 5): a local JWKS server made slow, down, wrong, empty, oversized or
// rotating, with its hits counted. Every failure answers 401 (fail closed); cached keys keep serving
// while the endpoint is down; unknown kids cost at most one fetch per refetch interval.
import { randomUUID } from 'node:crypto';
import {
  AuthError,
  fixedClock,
  GatewayAuth,
  type CognitoAuthOptions,
  type HttpRequest,
  type Logger,
} from 'api-gateway-auth';
import { startJwksServer, type JwksServer } from './helpers/jwks-server';
import { mint, newKey } from './helpers/tokens';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const NOW_S = NOW / 1000;
const POOL = 'us-east-1_Faults1';
const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const key1 = newKey('key-1');
const key2 = newKey('key-2');

const claims = {
  sub: 'u',
  aud: 'client-a',
  iss: ISS,
  token_use: 'id',
  iat: NOW_S - 10,
  exp: NOW_S + 7200,
};

describe('JWKS under faults', () => {
  let server: JwksServer;
  let auth: GatewayAuth;
  let clock: ReturnType<typeof fixedClock>;
  let logs: Array<{ event: string; fields?: Readonly<Record<string, unknown>> }>;

  const start = (jwks: CognitoAuthOptions['jwks'] = {}): void => {
    clock = fixedClock(NOW);
    logs = [];
    const logger: Logger = { log: (_level, event, fields) => logs.push({ event, fields }) };
    auth = new GatewayAuth({
      api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
      clock,
      logger,
      cognito: {
        userPools: [
          { userPoolId: POOL, clientIds: ['client-a'], jwksUri: `${server.url}/jwks.json` },
        ],
        jwks: { timeoutMs: 300, refetchIntervalSeconds: 10, ...jwks },
      },
    });
  };

  const status = async (token: string): Promise<number> => {
    const req: HttpRequest = {
      method: 'GET',
      path: '/pets',
      rawQuery: '',
      headers: { authorization: token },
      sourceIp: '127.0.0.1',
      secure: false,
    };
    try {
      await auth.authorize(req, { model: 'cognito', options: {} });
      return 200;
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return auth.render(error).statusCode;
    }
  };

  beforeEach(async () => {
    server = await startJwksServer([key1.jwk]);
  });
  afterEach(async () => {
    await auth.close();
    await server.close();
  });

  it('fetches once for many requests, once for concurrent cold requests (single flight)', async () => {
    start();
    const token = await mint(key1, claims);
    const others = await Promise.all(
      Array.from({ length: 20 }, (_, i) => mint(key1, { ...claims, sub: `u${i}` })),
    );
    expect(await Promise.all(others.map(status))).toEqual(others.map(() => 200));
    for (let i = 0; i < 50; i++) expect(await status(token)).toBe(200);
    expect(server.hits).toBe(1);
  });

  it.each([
    ['down (connection reset)', { kind: 'reset' } as const],
    ['500', { kind: 'status', status: 500 } as const],
    ['404', { kind: 'status', status: 404 } as const],
    ['invalid JSON', { kind: 'body', body: '{"keys": [' } as const],
    ['not a key set', { kind: 'body', body: '{"kids": []}' } as const],
    ['empty key set', { kind: 'body', body: '{"keys": []}' } as const],
    [
      'only symmetric keys',
      { kind: 'body', body: '{"keys":[{"kty":"oct","kid":"key-1","k":"AAAA"}]}' } as const,
    ],
    ['slow beyond the timeout', { kind: 'slow', delayMs: 3000 } as const],
  ])(
    '%s: 401, logged with the reason, retried only after the interval',
    async (_name, behaviour) => {
      start();
      server.behaviour = behaviour;
      const token = await mint(key1, claims);
      expect(await status(token)).toBe(401);
      const hitsAfterFirst = server.hits;
      expect(hitsAfterFirst).toBe(1);
      expect(
        logs.some((l) => l.event === 'jwks.fetch_failed' && typeof l.fields?.reason === 'string'),
      ).toBe(true);
      const decision = logs.find((l) => l.event === 'authorization');
      expect(decision?.fields).toMatchObject({ status: 401, errorCode: 'JWKS_UNAVAILABLE' });
      expect(JSON.stringify(logs)).not.toContain(token);
      // Within the interval: refused without a fetch.
      expect(await status(token)).toBe(401);
      expect(server.hits).toBe(hitsAfterFirst);
      // After it, and with the endpoint healthy again: fetched and accepted.
      server.behaviour = { kind: 'ok' };
      clock.advance(10_000);
      expect(await status(token)).toBe(200);
      expect(server.hits).toBe(hitsAfterFirst + 1);
    },
  );

  it('refuses a JWKS larger than maxResponseBytes', async () => {
    start({ maxResponseBytes: 1000 });
    server.keys = [
      key1.jwk,
      ...Array.from({ length: 20 }, (_, i) => ({ ...key2.jwk, kid: `pad-${i}` })),
    ];
    expect(await status(await mint(key1, claims))).toBe(401);
  });

  it('keeps serving cached keys while the endpoint is down, refreshing in the background', async () => {
    start({ maxAgeSeconds: 60 });
    const token = await mint(key1, claims);
    expect(await status(token)).toBe(200);
    server.behaviour = { kind: 'status', status: 503 };
    clock.advance(120_000);
    const fresh = await mint(key1, { ...claims, sub: 'other' }); // not in the token cache
    expect(await status(fresh)).toBe(200);
    expect(await status(token)).toBe(200);
    await new Promise((r) => setTimeout(r, 50)); // let the background refresh finish
    expect(server.hits).toBe(2);
    expect(await status(await mint(key1, { ...claims, sub: 'third' }))).toBe(200);
  });

  it('rotation: a new kid triggers one refetch per interval; a removed key stops verifying', async () => {
    start();
    const old = await mint(key1, claims);
    expect(await status(old)).toBe(200);
    expect(server.hits).toBe(1);
    server.keys = [key1.jwk, key2.jwk];
    const rotated = await mint(key2, claims);
    // Just fetched: the new kid is refused without a fetch until the interval passes.
    expect(await status(rotated)).toBe(401);
    expect(server.hits).toBe(1);
    clock.advance(10_000);
    expect(await status(rotated)).toBe(200);
    expect(server.hits).toBe(2);
    // key-1 rotated out: the cached verification of `old` is dropped with it.
    server.keys = [key2.jwk];
    clock.advance(10_000);
    expect(await status(await mint(key1, { ...claims, kid: 'x' }, { kid: 'key-unknown' }))).toBe(
      401,
    );
    expect(server.hits).toBe(3);
    expect(await status(old)).toBe(401);
  });

  it('a flood of random kids costs at most one fetch per interval', async () => {
    start();
    expect(await status(await mint(key1, claims))).toBe(200);
    const flood = await Promise.all(
      Array.from({ length: 300 }, () => mint(key1, claims, { kid: randomUUID() })),
    );
    for (let second = 0; second < 30; second++) {
      for (const token of flood.slice(second * 10, second * 10 + 10)) {
        expect(await status(token)).toBe(401);
      }
      clock.advance(1000);
    }
    // 30 s of flood with a 10 s interval: at most 3 more fetches.
    expect(server.hits).toBeLessThanOrEqual(1 + 3);
    expect(server.hits).toBeGreaterThanOrEqual(2);
  });

  it('never follows jku/x5u headers', async () => {
    start();
    const attacker = await startJwksServer([{ ...key2.jwk, kid: 'key-1' }]);
    try {
      const token = await mint({ ...key2, kid: 'key-1' }, claims, {
        jku: `${attacker.url}/jwks.json`,
        x5u: `${attacker.url}/cert.pem`,
      });
      expect(await status(token)).toBe(401);
      expect(attacker.hits).toBe(0);
    } finally {
      await attacker.close();
    }
  });
});
