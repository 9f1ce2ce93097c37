// The Cognito/JWT authenticator through the core facade: API Gateway's rules (COG-02..07, HJWT-02..05)
// and a hostile-token corpus where every kind is refused with 401 and nothing crashes. Valid tokens
// are minted with jose; hostile ones are assembled by hand.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  b64,
  hmacSigned,
  mint,
  newKey,
  rawSigned,
  StaticKeySource,
  type TestKey,
} from '../../../../../test/cognito/helpers/tokens';
import { fixedClock } from '../clock';
import { AuthError } from '../errors';
import { GatewayAuth, type GatewayAuthOptions } from '../gateway-auth';
import type { HttpRequest } from '../http-request';
import { silentLogger } from '../logger';
import type { CognitoAuthContext } from '../auth-context';
import { isPending } from '../authenticator';
import {
  CognitoAuthenticator,
  type CognitoAuthOptions,
  type CognitoRouteOptions,
} from './cognito-authenticator';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const NOW_S = NOW / 1000;
const POOL = 'us-east-1_AbCdEf123';
const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const CLIENT = 'client-a';
const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };

const key = newKey('key-1');
const otherKey = newKey('key-1'); // same kid, different key
const ecKey = newKey('ec-1', 'ec');
const cookbook = JSON.parse(
  readFileSync(
    join(__dirname, '../../../../../test/fixtures/jwt/jose-cookbook/3_4.rsa_private_key.json'),
    'utf8',
  ),
) as Record<string, unknown>;

const idClaims = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  sub: 'user-1',
  'cognito:username': 'alice',
  'cognito:groups': ['admins', 'readers'],
  email_verified: true,
  aud: CLIENT,
  iss: ISS,
  token_use: 'id',
  auth_time: NOW_S - 60,
  iat: NOW_S - 60,
  exp: NOW_S + 3600,
  ...over,
});
const accessClaims = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  sub: 'user-1',
  client_id: CLIENT,
  iss: ISS,
  token_use: 'access',
  scope: 'pets/read openid',
  iat: NOW_S - 60,
  exp: NOW_S + 3600,
  ...over,
});

function request(headers: Record<string, string | string[]>): HttpRequest {
  return {
    method: 'GET',
    path: '/pets',
    rawQuery: '',
    headers,
    sourceIp: '203.0.113.9',
    secure: true,
  };
}

function build(
  cognito: Partial<CognitoAuthOptions> = {},
  extra: Partial<GatewayAuthOptions> = {},
): { auth: GatewayAuth; keys: StaticKeySource; clock: ReturnType<typeof fixedClock> } {
  const keys = new StaticKeySource([key, ecKey]);
  const clock = fixedClock(NOW);
  const auth = new GatewayAuth({
    api: API,
    clock,
    logger: silentLogger,
    cognito: {
      userPools: [{ userPoolId: POOL, clientIds: [CLIENT], keySource: keys }],
      ...cognito,
    },
    ...extra,
  });
  return { auth, keys, clock };
}

interface Outcome {
  status: number;
  body: string;
  headers: Record<string, string>;
  code?: string;
}

async function call(
  auth: GatewayAuth,
  token: string | undefined,
  route: CognitoRouteOptions = {},
  headers: Record<string, string | string[]> = {},
): Promise<Outcome> {
  const h = token === undefined ? headers : { authorization: token, ...headers };
  try {
    const ctx = await auth.authorize(request(h), { model: 'cognito', options: route });
    return { status: 200, body: JSON.stringify(ctx), headers: {} };
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const r = auth.render(error);
    return { status: r.statusCode, body: r.body, headers: r.headers, code: error.code };
  }
}

describe('CognitoAuthenticator (REST mode, COG-*)', () => {
  const { auth, keys, clock } = build();
  afterAll(() => auth.close());
  beforeEach(() => clock.set(NOW));

  it('accepts an ID token on a route without scopes and exposes string claims (COG-02, COG-07)', async () => {
    const res = await call(auth, await mint(key, idClaims()));
    expect(res.status).toBe(200);
    const ctx = JSON.parse(res.body) as { type: string; claims: Record<string, string> };
    expect(ctx.type).toBe('COGNITO_USER_POOLS');
    expect(ctx.claims).toMatchObject({
      sub: 'user-1',
      'cognito:groups': 'admins,readers',
      email_verified: 'true',
      exp: String(NOW_S + 3600),
    });
  });

  it('accepts "Bearer <token>" (Q-COG-1 default) and a custom header', async () => {
    expect((await call(auth, `Bearer ${await mint(key, idClaims())}`)).status).toBe(200);
    const custom = build({ tokenSource: { header: 'X-Id-Token', bearer: 'forbidden' } });
    const token = await mint(key, idClaims());
    expect((await call(custom.auth, undefined, {}, { 'x-id-token': token })).status).toBe(200);
    expect(
      (await call(custom.auth, undefined, {}, { 'x-id-token': `Bearer ${token}` })).status,
    ).toBe(401);
    await custom.auth.close();
  });

  it('requires an access token holding one of the route scopes (COG-03)', async () => {
    const route = { scopes: ['pets/write', 'pets/read'] };
    expect((await call(auth, await mint(key, accessClaims()), route)).status).toBe(200);
    const wrongScope = await call(
      auth,
      await mint(key, accessClaims({ scope: 'pets/delete' })),
      route,
    );
    expect(wrongScope).toMatchObject({ status: 401, body: '{"message":"Unauthorized"}' });
    expect(wrongScope.code).toBe('TOKEN_INSUFFICIENT_SCOPE');
    expect((await call(auth, await mint(key, idClaims()), route)).status).toBe(401);
    expect((await call(auth, await mint(key, accessClaims()))).status).toBe(401);
  });

  it('answers an expired token with COG-06 "The incoming token has expired"', async () => {
    const res = await call(auth, await mint(key, idClaims({ exp: NOW_S - 1 })));
    expect(res).toMatchObject({
      status: 401,
      body: '{"message":"The incoming token has expired"}',
    });
    expect(res.headers['x-amzn-ErrorType']).toBe('UnauthorizedException');
  });

  it('checks exp at the boundary with the injected clock, also for cached tokens', async () => {
    const token = await mint(key, idClaims({ exp: NOW_S + 10 }));
    expect((await call(auth, token)).status).toBe(200);
    clock.set(NOW + 9_999);
    expect((await call(auth, token)).status).toBe(200);
    clock.set(NOW + 10_000);
    expect((await call(auth, token)).status).toBe(401);
  });

  it('drops cached verifications when the key is rotated out', async () => {
    const rotating = build();
    const token = await mint(key, idClaims());
    expect((await call(rotating.auth, token)).status).toBe(200);
    rotating.keys.remove('key-1');
    expect((await call(rotating.auth, token)).status).toBe(401);
    await rotating.auth.close();
  });

  it('applies groups per route with a 403 (not an API Gateway feature)', async () => {
    const token = await mint(key, idClaims());
    expect((await call(auth, token, { groups: ['admins'] })).status).toBe(200);
    const denied = await call(auth, token, { groups: ['owners'] });
    expect(denied).toMatchObject({
      status: 403,
      body: '{"Message":"User is not authorized to access this resource"}',
    });
  });

  it('applies identityValidationExpression to aud (COG-04): access tokens then always fail', async () => {
    const strict = build({ identityValidationExpression: '^client-a$' });
    expect((await call(strict.auth, await mint(key, idClaims()))).status).toBe(200);
    const route = { scopes: ['pets/read'] };
    expect((await call(strict.auth, await mint(key, accessClaims()), route)).status).toBe(401);
    await strict.auth.close();
  });

  it('accepts any app client only when clientIds is explicitly null', async () => {
    const open = build({ userPools: [{ userPoolId: POOL, clientIds: null, keySource: keys }] });
    expect((await call(open.auth, await mint(key, idClaims({ aud: 'client-z' })))).status).toBe(
      200,
    );
    expect((await call(auth, await mint(key, idClaims({ aud: 'client-z' })))).status).toBe(401);
    await open.auth.close();
    expect(() => build({ userPools: [{ userPoolId: POOL } as never] })).toThrow(
      /cognito\.userPools\[0\]\.clientIds: required/,
    );
  });

  it('serves several user pools', async () => {
    const pool2 = 'eu-west-1_Zz9';
    const multi = build({
      userPools: [
        { userPoolId: POOL, clientIds: [CLIENT], keySource: keys },
        { userPoolId: pool2, clientIds: ['client-b'], keySource: keys },
      ],
    });
    const iss2 = `https://cognito-idp.eu-west-1.amazonaws.com/${pool2}`;
    expect(
      (await call(multi.auth, await mint(key, idClaims({ iss: iss2, aud: 'client-b' })))).status,
    ).toBe(200);
    expect((await call(multi.auth, await mint(key, idClaims({ iss: iss2 })))).status).toBe(401);
    await multi.auth.close();
  });

  it('combines with a resource policy per RP-03 Table A (explicit deny wins; silence allows)', async () => {
    const arn = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod';
    const withPolicy = build(
      {},
      {
        resourcePolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 'execute-api:Invoke',
              Resource: `${arn}/GET/pets`,
              Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
            },
          ],
        },
      },
    );
    const res = await call(withPolicy.auth, await mint(key, idClaims()));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({
      Message:
        'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:petstore/prod/GET/pets with an explicit deny in a resource-based policy',
    });
    await withPolicy.auth.close();
  });
});

describe('CognitoAuthenticator.authorize (synchronous hot path)', () => {
  function direct(cognito: Partial<CognitoAuthOptions> = {}): {
    cognito: CognitoAuthenticator;
    keys: StaticKeySource;
  } {
    const keys = new StaticKeySource([key, ecKey]);
    const cognitoAuth = new CognitoAuthenticator(
      { userPools: [{ userPoolId: POOL, clientIds: [CLIENT], keySource: keys }], ...cognito },
      { api: API, clock: fixedClock(NOW), logger: silentLogger },
    );
    return { cognito: cognitoAuth, keys };
  }

  /** What `authorize` did: returned a value, returned a promise, or threw synchronously. */
  async function outcome(
    run: () => unknown,
  ): Promise<{ how: 'value' | 'promise' | 'throw'; result?: unknown; code?: string }> {
    let out: unknown;
    try {
      out = run();
    } catch (error) {
      return { how: 'throw', code: (error as AuthError).code, result: error };
    }
    if (!isPending(out)) return { how: 'value', result: out };
    try {
      return { how: 'promise', result: await out };
    } catch (error) {
      return { how: 'promise', code: (error as AuthError).code, result: error };
    }
  }

  it('answers a verified-token cache hit, and a token whose key is held, without a promise', async () => {
    const { cognito } = direct();
    const token = await mint(key, idClaims());
    const first = await outcome(() => cognito.authorize(request({ authorization: token }), {}));
    expect(first.how).toBe('value'); // the key is held by the source: nothing to await
    const hit = await outcome(() => cognito.authorize(request({ authorization: token }), {}));
    expect(hit.how).toBe('value');
    expect(hit.result).toEqual(first.result);
    // Claims are stringified once per verified token and shared by its hits.
    expect((hit.result as CognitoAuthContext).claims).toBe(
      (first.result as CognitoAuthContext).claims,
    );
    await expect(async () =>
      cognito.authorize(request({ authorization: token }), {}),
    ).resolves.toEqual(hit.result);
    await cognito.close();
  });

  it('reads only the token header and the source IP of the request', async () => {
    const { cognito } = direct();
    const token = await mint(key, idClaims());
    const untouchable = (name: string) => ({
      get(): never {
        throw new Error(`read ${name}`);
      },
    });
    const lean = (): HttpRequest =>
      Object.defineProperties(
        { method: 'GET', path: '/pets', rawQuery: '', headers: { authorization: token } },
        {
          sourceIp: { get: () => '203.0.113.9' },
          secure: untouchable('secure'),
          body: untouchable('body'),
          pathParameters: untouchable('pathParameters'),
          rawHeaders: untouchable('rawHeaders'),
          protocol: untouchable('protocol'),
        },
      ) as unknown as HttpRequest;
    expect(cognito.authorize(lean(), {})).toMatchObject({ sourceIp: '203.0.113.9' });
    expect(cognito.authorize(lean(), {})).toMatchObject({ sourceIp: '203.0.113.9' }); // a hit
    await cognito.close();
  });

  it('returns a promise only while a key has to be fetched', async () => {
    const keys = new StaticKeySource([key]);
    let fetched = false;
    const lazy = {
      getKey: (kid: string) => {
        fetched = true;
        return keys.getKey(kid);
      },
      peekKey: (kid: string) => (fetched ? keys.peekKey(kid) : undefined),
    };
    const cognito = new CognitoAuthenticator(
      { userPools: [{ userPoolId: POOL, clientIds: [CLIENT], keySource: lazy }] },
      { api: API, clock: fixedClock(NOW), logger: silentLogger },
    );
    const token = await mint(key, idClaims());
    const first = await outcome(() => cognito.authorize(request({ authorization: token }), {}));
    expect(first.how).toBe('promise');
    expect(first.code).toBeUndefined();
    expect(
      (await outcome(() => cognito.authorize(request({ authorization: token }), {}))).how,
    ).toBe('value');
    await cognito.close();
  });

  it('verifies a token whose key was being fetched while other tokens were verified', async () => {
    const late = newKey('key-late');
    const keys = new StaticKeySource([key]);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const lazy = {
      getKey: async (kid: string) => {
        await held;
        keys.set(late);
        return keys.getKey(kid);
      },
      peekKey: (kid: string) => keys.peekKey(kid),
    };
    const cognito = new CognitoAuthenticator(
      {
        userPools: [{ userPoolId: POOL, clientIds: [CLIENT], keySource: lazy }],
        tokenCache: false,
      },
      { api: API, clock: fixedClock(NOW), logger: silentLogger },
    );
    const pending = cognito.authorize(request({ authorization: await mint(late, idClaims()) }), {});
    expect(pending).toBeInstanceOf(Promise);
    // Decoded and verified meanwhile: nothing of theirs may leak into the waiting token.
    for (let i = 0; i < 3; i++) {
      const other = await mint(key, idClaims({ sub: `other-${i}` }));
      expect(cognito.authorize(request({ authorization: other }), {})).toMatchObject({
        claims: { sub: `other-${i}` },
      });
    }
    release();
    await expect(pending).resolves.toMatchObject({ claims: { sub: 'user-1' } });
    await cognito.close();
  });

  it('builds the claims from the payload in place: own strings only, frozen, __proto__ kept as data', async () => {
    const { cognito } = direct();
    const h = { alg: 'RS256', kid: 'key-1' };
    const claims = JSON.stringify(idClaims({ nested: { a: [1, 2] }, nil: null }));
    const payload = `{"__proto__":{"polluted":true},${claims.slice(1)}`;
    const token = rawSigned(b64(h), b64(payload), key);
    const ctx = cognito.authorize(request({ authorization: token }), {}) as CognitoAuthContext;
    expect(Object.getPrototypeOf(ctx.claims)).toBe(Object.prototype);
    expect(Object.isFrozen(ctx.claims)).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(ctx.claims, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(ctx.claims, '__proto__')?.value).toBe(
      '{"polluted":true}',
    );
    expect((ctx.claims as { polluted?: unknown }).polluted).toBeUndefined();
    expect(ctx.claims).toMatchObject({
      'cognito:groups': 'admins,readers',
      iat: String(NOW_S - 60),
      nested: '{"a":[1,2]}',
      nil: 'null',
    });
    for (const value of Object.values(ctx.claims)) expect(typeof value).toBe('string');
    // A cache hit hands out the same frozen object, and the route rules still see aud and token_use.
    const again = cognito.authorize(request({ authorization: token }), {}) as CognitoAuthContext;
    expect(again.claims).toBe(ctx.claims);
    await cognito.close();
  });

  it('refuses an access token with an array aud under identityValidationExpression, every time (COG-04)', async () => {
    const { cognito } = direct({ identityValidationExpression: '^client-a$' });
    // Its claims would render aud as "client-a", which the expression matches: the rules read aud as
    // signed (an array), on a miss and on a cache hit alike.
    const token = await mint(key, accessClaims({ aud: [CLIENT] }));
    const route = { scopes: ['pets/read'] };
    for (let i = 0; i < 2; i++) {
      expect(
        (await outcome(() => cognito.authorize(request({ authorization: token }), route))).code,
      ).toBe('TOKEN_IDENTITY_VALIDATION');
    }
    await cognito.close();
  });

  it('refuses synchronously when nothing is awaited, the same on a verified-token cache hit', async () => {
    const { cognito } = direct();
    const cases: Array<[string, Record<string, string | string[]>, CognitoRouteOptions]> = [
      ['missing header', {}, {}],
      ['header twice', { authorization: ['a.b.c', 'a.b.c'] }, {}],
      ['garbage', { authorization: '%%%.$$$.###' }, {}],
      ['expired', { authorization: await mint(key, idClaims({ exp: NOW_S - 1 })) }, {}],
      ['wrong audience', { authorization: await mint(key, idClaims({ aud: 'client-b' })) }, {}],
      ['tampered', { authorization: (await mint(key, idClaims())).slice(0, -4) + 'AAAA' }, {}],
      [
        'id token on a scoped route',
        { authorization: await mint(key, idClaims()) },
        { scopes: ['pets/read'] },
      ],
      ['group denied', { authorization: await mint(key, idClaims()) }, { groups: ['owners'] }],
      ['unknown kid', { authorization: await mint({ ...key, kid: 'key-404' }, idClaims()) }, {}],
    ];
    for (const [name, headers, route] of cases) {
      // Twice: the second call of a valid token is a cache hit, whose route rules must still refuse
      // with the same error.
      const first = await outcome(() => cognito.authorize(request(headers), route));
      expect(first.code).toBeDefined();
      expect(first.result).toBeInstanceOf(AuthError);
      for (const found of [
        first,
        await outcome(() => cognito.authorize(request(headers), route)),
      ]) {
        expect([name, found.code]).toEqual([name, first.code]);
        expect(found.result).toEqual(first.result);
        // Only the unknown kid goes through the key source's (asynchronous) getKey.
        expect([name, found.how]).toEqual([name, name === 'unknown kid' ? 'promise' : 'throw']);
      }
    }
    await cognito.close();
  });

  it('reads the Bearer prefix as /^bearer +/i, and nothing else', async () => {
    const { cognito } = direct();
    const token = await mint(key, idClaims());
    const status = async (value: string): Promise<string | undefined> =>
      (await outcome(() => cognito.authorize(request({ authorization: value }), {}))).code;
    expect(await status(`Bearer ${token}`)).toBeUndefined();
    expect(await status(`bEaReR   ${token}`)).toBeUndefined();
    expect(await status(`  BEARER ${token}  `)).toBeUndefined();
    expect(await status(`Bearer\t${token}`)).toBe('TOKEN_MALFORMED');
    expect(await status(`Bearer${token}`)).toBe('TOKEN_MALFORMED');
    expect(await status(`Bearerx ${token}`)).toBe('TOKEN_MALFORMED');
    expect(await status('Bearer ')).toBe('TOKEN_MALFORMED'); // trimmed to "Bearer": not a prefix
    expect(await status('   ')).toBe('TOKEN_MISSING');
    const required = direct({ tokenSource: { bearer: 'required' } }).cognito;
    expect(
      (await outcome(() => required.authorize(request({ authorization: token }), {}))).code,
    ).toBe('TOKEN_MALFORMED');
    expect(
      (await outcome(() => required.authorize(request({ authorization: `bearer ${token}` }), {})))
        .code,
    ).toBeUndefined();
    await required.close();
    await cognito.close();
  });
});

describe('CognitoAuthenticator options for open questions', () => {
  it('scopeMismatchStatus: 403 answers Forbidden instead of 401 (Q-COG-2)', async () => {
    const { auth } = build({ scopeMismatchStatus: 403 });
    const res = await call(auth, await mint(key, accessClaims({ scope: 'x/y' })), {
      scopes: ['pets/read'],
    });
    expect(res).toMatchObject({ status: 403, body: '{"message":"Forbidden"}' });
    await auth.close();
  });

  it('resourcePolicyRequiresAllow: a silent resource policy refuses, an Allow admits (Q-RP-1)', async () => {
    const arn = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod';
    const policy = (resource: string) => ({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: resource },
      ],
    });
    const silent = build(
      { resourcePolicyRequiresAllow: true },
      { resourcePolicy: policy(`${arn}/GET/other`) },
    );
    const res = await call(silent.auth, await mint(key, idClaims()));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toEqual({
      Message:
        'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:petstore/prod/GET/pets',
    });
    const tableA = build({}, { resourcePolicy: policy(`${arn}/GET/other`) });
    expect((await call(tableA.auth, await mint(key, idClaims()))).status).toBe(200);
    const allowed = build(
      { resourcePolicyRequiresAllow: true },
      { resourcePolicy: policy(`${arn}/GET/pets`) },
    );
    expect((await call(allowed.auth, await mint(key, idClaims()))).status).toBe(200);
    await Promise.all([silent.auth.close(), tableA.auth.close(), allowed.auth.close()]);
  });
});

describe('CognitoAuthenticator (HTTP API mode, HJWT-*)', () => {
  const issuer = 'https://idp.example.com/';
  const keys = new StaticKeySource([key]);
  const auth = new GatewayAuth({
    api: API,
    clock: fixedClock(NOW),
    logger: silentLogger,
    cognito: {
      mode: 'http',
      issuers: [
        {
          issuer,
          jwksUri: 'https://idp.example.com/jwks',
          audiences: ['api://pets'],
          keySource: keys,
        },
      ],
    },
  });
  afterAll(() => auth.close());
  const claims = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    sub: 'svc',
    iss: issuer,
    aud: ['api://pets', 'other'],
    scp: ['pets/read'],
    iat: NOW_S,
    exp: NOW_S + 60,
    ...over,
  });

  it('accepts aud as an array, scp scopes, and ignores token_use (HJWT-02, HJWT-04)', async () => {
    const res = await call(auth, await mint(key, claims({ token_use: 'id' })), {
      scopes: ['pets/read'],
    });
    expect(res.status).toBe(200);
    const ctx = JSON.parse(res.body) as {
      type: string;
      scopes: string[];
      claims: Record<string, string>;
    };
    expect(ctx.type).toBe('JWT');
    expect(ctx.scopes).toEqual(['pets/read']);
    expect(ctx.claims.aud).toBe('[api://pets other]');
  });

  it('uses client_id only when aud is absent', async () => {
    expect(
      (await call(auth, await mint(key, claims({ aud: undefined, client_id: 'api://pets' }))))
        .status,
    ).toBe(200);
    expect(
      (await call(auth, await mint(key, claims({ aud: 'x', client_id: 'api://pets' })))).status,
    ).toBe(401);
  });

  it('answers 401 with www-authenticate, and 403 Forbidden on a scope mismatch (HJWT-03/04)', async () => {
    const bad = await call(auth, await mint(key, claims({ aud: 'nope' })));
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toBe(
      'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
    );
    const scope = await call(auth, await mint(key, claims()), { scopes: ['pets/write'] });
    expect(scope).toMatchObject({ status: 403, body: '{"message":"Forbidden"}' });
    expect(scope.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });
});

describe('hostile token corpus: every kind is refused with 401, none crashes', () => {
  const { auth } = build({ clockToleranceSeconds: 0 });
  afterAll(() => auth.close());
  const h = { alg: 'RS256', kid: 'key-1' };
  const good = () => rawSigned(b64(h), b64(idClaims()), key);
  const pubPem = key.publicKey.export({ format: 'pem', type: 'spki' });
  const cookbookKey: TestKey = {
    kid: 'key-1',
    publicKey: createPublicKey({ key: { ...cookbook, d: undefined }, format: 'jwk' } as never),
    privateKey: require('node:crypto').createPrivateKey({ key: cookbook, format: 'jwk' }),
    jwk: {},
  };
  const swap = (token: string, i: number, seg: string): string => {
    const p = token.split('.');
    p[i] = seg;
    return p.join('.');
  };

  const corpus: Array<[string, () => string | Promise<string>, CognitoRouteOptions?]> = [
    [
      'alg none, empty signature',
      () => `${b64({ alg: 'none', kid: 'key-1' })}.${b64(idClaims())}.`,
    ],
    ['alg none with a signature', () => swap(good(), 0, b64({ alg: 'none', kid: 'key-1' }))],
    ['alg NONE (case)', () => `${b64({ alg: 'NONE', kid: 'key-1' })}.${b64(idClaims())}.`],
    [
      'alg rs256 (lower case)',
      () => rawSigned(b64({ alg: 'rs256', kid: 'key-1' }), b64(idClaims()), key),
    ],
    [
      'HS256 keyed with the public PEM',
      () =>
        hmacSigned(
          b64({ alg: 'HS256', kid: 'key-1' }),
          b64(idClaims()),
          Buffer.from(pubPem as string),
        ),
    ],
    [
      'HS256 keyed with the JWK n',
      () =>
        hmacSigned(
          b64({ alg: 'HS256', kid: 'key-1' }),
          b64(idClaims()),
          Buffer.from(String(key.jwk.n), 'base64url'),
        ),
    ],
    ['PS256 where only RS256 is allowed', () => mint(key, idClaims(), {}, 'PS256')],
    [
      'ES256 token naming the RSA kid',
      () => mint({ ...ecKey, kid: 'key-1' }, idClaims(), {}, 'ES256'),
    ],
    ['RS256 token naming the EC kid', () => mint({ ...key, kid: 'ec-1' }, idClaims())],
    ['unknown kid', () => mint({ ...key, kid: 'key-404' }, idClaims())],
    ['another key with the same kid', () => mint(otherKey, idClaims())],
    ['RFC 7520 key with the same kid', () => mint(cookbookKey, idClaims())],
    ['embedded jwk header (attacker key)', () => mint(otherKey, idClaims(), { jwk: otherKey.jwk })],
    [
      'jku header to an attacker JWKS',
      () => mint(otherKey, idClaims(), { jku: 'http://127.0.0.1:1/jwks.json' }),
    ],
    ['x5u header', () => mint(otherKey, idClaims(), { x5u: 'http://127.0.0.1:1/cert.pem' })],
    ['kid missing', () => rawSigned(b64({ alg: 'RS256' }), b64(idClaims()), key)],
    ['kid not a string', () => rawSigned(b64({ alg: 'RS256', kid: 7 }), b64(idClaims()), key)],
    ['kid path traversal', () => mint({ ...key, kid: '../../etc/passwd' }, idClaims())],
    ['kid 10 kB long', () => mint({ ...key, kid: 'k'.repeat(10_000) }, idClaims())],
    [
      'crit header',
      () => rawSigned(b64({ ...h, crit: ['exp'], exp: NOW_S + 60 }), b64(idClaims()), key),
    ],
    [
      'b64:false with crit',
      () => rawSigned(b64({ ...h, b64: false, crit: ['b64'] }), b64(idClaims()), key),
    ],
    ['expired', () => mint(key, idClaims({ exp: NOW_S - 1 }))],
    ['expired exactly now', () => mint(key, idClaims({ exp: NOW_S }))],
    ['not yet valid (nbf)', () => mint(key, idClaims({ nbf: NOW_S + 60 }))],
    ['issued in the future (iat)', () => mint(key, idClaims({ iat: NOW_S + 600 }))],
    ['exp missing', () => mint(key, idClaims({ exp: undefined }))],
    ['exp as a string', () => rawSigned(b64(h), b64(idClaims({ exp: String(NOW_S + 60) })), key)],
    [
      'exp huge (1e400 -> Infinity)',
      () =>
        rawSigned(b64(h), b64(JSON.stringify(idClaims()).replace(/"exp":\d+/, '"exp":1e400')), key),
    ],
    ['nbf as a string', () => rawSigned(b64(h), b64(idClaims({ nbf: 'yesterday' })), key)],
    ['wrong issuer (other pool)', () => mint(key, idClaims({ iss: `${ISS}x` }))],
    ['issuer with trailing slash', () => mint(key, idClaims({ iss: `${ISS}/` }))],
    ['issuer in another case', () => mint(key, idClaims({ iss: ISS.toUpperCase() }))],
    ['issuer missing', () => mint(key, idClaims({ iss: undefined }))],
    ['issuer as an array', () => rawSigned(b64(h), b64(idClaims({ iss: [ISS] })), key)],
    ['wrong audience', () => mint(key, idClaims({ aud: 'client-b' }))],
    ['audience as an array', () => rawSigned(b64(h), b64(idClaims({ aud: [CLIENT] })), key)],
    ['audience as a number', () => rawSigned(b64(h), b64(idClaims({ aud: 7 })), key)],
    ['access token on an ID-token route', () => mint(key, accessClaims())],
    ['ID token on a scoped route', () => mint(key, idClaims()), { scopes: ['pets/read'] }],
    [
      'access token with the wrong client_id',
      () => mint(key, accessClaims({ client_id: 'client-b' })),
      { scopes: ['pets/read'] },
    ],
    ['token_use missing', () => mint(key, idClaims({ token_use: undefined }))],
    ['token_use refresh', () => mint(key, idClaims({ token_use: 'refresh' }))],
    [
      'scope as an array',
      () => rawSigned(b64(h), b64(accessClaims({ scope: ['pets/read'] })), key),
      { scopes: ['pets/read'] },
    ],
    [
      'cognito:groups as a string',
      () => rawSigned(b64(h), b64(idClaims({ 'cognito:groups': 'admins' })), key),
      { groups: ['admins'] },
    ],
    ['tampered payload', () => swap(good(), 1, b64(idClaims({ sub: 'admin' })))],
    ['tampered header', () => swap(good(), 0, b64({ ...h, typ: 'JWT' }))],
    ['truncated signature', () => good().slice(0, -10)],
    ['empty signature', () => swap(good(), 2, '')],
    ['signature of zeros', () => swap(good(), 2, Buffer.alloc(256).toString('base64url'))],
    [
      'non-canonical trailing bits in signature',
      () => {
        const t = good();
        const last = t.at(-1) ?? 'A';
        return t.slice(0, -1) + (last === 'A' ? 'B' : String.fromCharCode(last.charCodeAt(0) ^ 1));
      },
    ],
    ['two segments', () => good().split('.').slice(0, 2).join('.')],
    ['four segments', () => `${good()}.${b64('x')}`],
    [
      'five segments (JWE shape)',
      () => `${b64({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: 'key-1' })}.a.b.c.d`,
    ],
    [
      'JSON serialization',
      () => JSON.stringify({ payload: b64(idClaims()), protected: b64(h), signature: 'x' }),
    ],
    ['padding in a segment', () => swap(good(), 1, `${b64(idClaims())}==`)],
    [
      'space inside the payload',
      () => swap(good(), 1, `${b64(idClaims()).slice(0, 10)} ${b64(idClaims()).slice(10)}`),
    ],
    [
      'standard base64 characters',
      () => swap(good(), 1, Buffer.from(JSON.stringify(idClaims())).toString('base64')),
    ],
    ['header not JSON', () => rawSigned(b64('{"alg":"RS256",'), b64(idClaims()), key)],
    ['payload a JSON array', () => rawSigned(b64(h), b64([idClaims()]), key)],
    ['payload a JSON string', () => rawSigned(b64(h), b64('"hello"'), key)],
    ['payload null', () => rawSigned(b64(h), b64('null'), key)],
    [
      'payload invalid UTF-8',
      () => rawSigned(b64(h), Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64url'), key),
    ],
    ['oversized token', () => mint(key, idClaims({ pad: 'x'.repeat(20_000) }))],
    [
      'deeply nested claim',
      () => rawSigned(b64(h), b64(`{"exp":1,"x":${'['.repeat(5000)}${']'.repeat(5000)}}`), key),
    ],
    ['empty token', () => ''],
    ['"Bearer " only', () => 'Bearer '],
    ['garbage', () => '%%%.$$$.###'],
    ['a single dot', () => '.'],
  ];

  it(`has at least 40 kinds (${corpus.length})`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it.each(corpus)('%s → 401', async (_name, make, route = {}) => {
    const res = await call(auth, await make(), route);
    expect(res.status).toBe(401);
    expect([
      '{"message":"Unauthorized"}',
      '{"message":"The incoming token has expired"}',
    ]).toContain(res.body);
    expect(res.body).not.toContain('eyJ');
  });

  it('refuses a header sent twice and a missing header', async () => {
    const token = await mint(key, idClaims());
    expect((await call(auth, undefined, {}, { authorization: [token, token] })).status).toBe(401);
    expect((await call(auth, undefined)).status).toBe(401);
  });
});
