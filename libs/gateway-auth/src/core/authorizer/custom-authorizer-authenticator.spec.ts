import { tokenAuthorizer } from '../../../../../examples/authorizers/token-authorizer';
import { requestAuthorizer } from '../../../../../examples/authorizers/request-authorizer';
import { createSimpleHttpAuthorizer } from '../../../../../examples/authorizers/simple-http-authorizer';
import type { ApiOptions } from '../api-options';
import { isPending, type SharedServices } from '../authenticator';
import type { DecisionCache } from '../cache/decision-cache';
import { fixedClock } from '../clock';
import { AuthError } from '../errors';
import { renderGatewayResponse } from '../gateway-responses';
import type { HttpRequest } from '../http-request';
import { compilePolicy } from '../iam';
import { silentLogger } from '../logger';
import type { AuthorizerOptions } from './authorizer-options';
import { CustomAuthorizerAuthenticator } from './custom-authorizer-authenticator';

const api: ApiOptions = {
  region: 'us-east-1',
  accountId: '111122223333',
  apiId: 'petstore',
  stage: 'prod',
  stageVariables: { StageVar1: 'stageValue1' },
};
const ARN = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod';

function request(partial: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'GET',
    path: '/pets',
    rawQuery: '',
    headers: {},
    sourceIp: '203.0.113.7',
    secure: true,
    ...partial,
  };
}

function policy(principalId: string, effect: 'Allow' | 'Deny', resource: string | string[]) {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
  };
}

/** A counting handler (a Lambda handler, not our code) for cache and invocation assertions. */
function counting<E>(handler: (event: E) => unknown): ((event: E) => Promise<unknown>) & {
  calls: E[];
} {
  const calls: E[] = [];
  const fn = async (event: E): Promise<unknown> => {
    calls.push(event);
    await new Promise((resolve) => setImmediate(resolve));
    return handler(event);
  };
  return Object.assign(fn, { calls });
}

/** The rendered refusal of `decide` (thrown synchronously or rejected: both count). */
async function refusal(decide: () => unknown) {
  try {
    await decide();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    const rendered = renderGatewayResponse(error as AuthError);
    return { status: rendered.statusCode, body: rendered.body, headers: rendered.headers };
  }
  throw new Error('expected a refusal');
}

describe('CustomAuthorizerAuthenticator', () => {
  const clock = fixedClock(Date.parse('2026-01-01T00:00:00Z'));
  let shared: SharedServices;
  const open: CustomAuthorizerAuthenticator[] = [];
  const make = (
    authorizers: Record<string, AuthorizerOptions>,
    extra: Partial<SharedServices> = {},
  ) => {
    const authenticator = new CustomAuthorizerAuthenticator(authorizers, { ...shared, ...extra });
    open.push(authenticator);
    return authenticator;
  };
  beforeEach(() => {
    shared = { api, clock, logger: silentLogger };
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((a) => a.close()));
  });

  describe('TOKEN (LT-01..04, LO-03, LO-05)', () => {
    it('allows with the example authorizer and exposes $context.authorizer (LO-02, LO-09)', async () => {
      const auth = make({ orders: { type: 'TOKEN', handler: tokenAuthorizer } });
      const context = await auth.authorize(request({ headers: { authorization: 'allow' } }), {
        name: 'orders',
      });
      expect(context).toEqual({
        type: 'CUSTOM',
        authorizerName: 'orders',
        principalId: 'user',
        authorizer: {
          principalId: 'user',
          integrationLatency: expect.any(Number),
          stringKey: 'stringval',
          numberKey: '123',
          booleanKey: 'true',
        },
        sourceIp: '203.0.113.7',
      });
    });

    it('sends exactly the three TOKEN fields with the raw header value (LT-01)', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make({ t: { type: 'TOKEN', handler } });
      await auth.authorize(
        request({ method: 'POST', path: '/pets/7', headers: { authorization: 'Bearer abc' } }),
        { name: 't' },
      );
      expect(handler.calls).toEqual([
        { type: 'TOKEN', authorizationToken: 'Bearer abc', methodArn: `${ARN}/POST/pets/7` },
      ]);
    });

    it('Deny → 403 with the explicit-deny body, Message key by default (LO-03, Q-L-1)', async () => {
      const auth = make({ orders: { type: 'TOKEN', handler: tokenAuthorizer } });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'deny' } }), { name: 'orders' }),
      );
      expect(r.status).toBe(403);
      expect(r.headers['x-amzn-ErrorType']).toBe('AccessDeniedException');
      expect(JSON.parse(r.body)).toEqual({
        Message: 'User is not authorized to access this resource with an explicit deny',
      });
    });

    it('denyBodyKey "message" switches the body key (Q-L-1)', async () => {
      const auth = make({ o: { type: 'TOKEN', handler: tokenAuthorizer, denyBodyKey: 'message' } });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'deny' } }), { name: 'o' }),
      );
      expect(JSON.parse(r.body)).toEqual({
        message: 'User is not authorized to access this resource with an explicit deny',
      });
    });

    it('an Allow for another method only → 403 implicit-deny body (LO-03)', async () => {
      const auth = make({
        t: {
          type: 'TOKEN',
          handler: () => Promise.resolve(policy('u', 'Allow', `${ARN}/GET/cats`)),
        },
      });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'x' } }), { name: 't' }),
      );
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body)).toEqual({
        Message: 'User is not authorized to access this resource',
      });
    });

    it('throwing "Unauthorized" → 401 {"message":"Unauthorized"} (LO-05)', async () => {
      const auth = make({ orders: { type: 'TOKEN', handler: tokenAuthorizer } });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'unauthorized' } }), {
          name: 'orders',
        }),
      );
      expect(r.status).toBe(401);
      expect(r.body).toBe('{"message":"Unauthorized"}');
      expect(r.headers['x-amzn-ErrorType']).toBe('UnauthorizedException');
    });

    it('callback-style handlers: callback("Unauthorized") → 401, callback(null, policy) → allow', async () => {
      const handler = (
        event: { authorizationToken: string },
        _context: unknown,
        callback: (error?: unknown, result?: unknown) => void,
      ): void => {
        if (event.authorizationToken === 'ok') callback(null, policy('cb', 'Allow', `${ARN}/*`));
        else callback('Unauthorized');
      };
      const auth = make({ cb: { type: 'TOKEN', handler, ttlSeconds: 0 } });
      expect(
        await auth.authorize(request({ headers: { authorization: 'ok' } }), { name: 'cb' }),
      ).toMatchObject({ principalId: 'cb' });
      expect(
        (
          await refusal(() =>
            auth.authorize(request({ headers: { authorization: 'no' } }), { name: 'cb' }),
          )
        ).status,
      ).toBe(401);
    });

    it('any other error → 500 {"message": null} AuthorizerConfigurationException (LO-05)', async () => {
      const auth = make({ orders: { type: 'TOKEN', handler: tokenAuthorizer } });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'garbage' } }), { name: 'orders' }),
      );
      expect(r.status).toBe(500);
      expect(r.body).toBe('{"message": null}');
      expect(r.headers['x-amzn-ErrorType']).toBe('AuthorizerConfigurationException');
    });

    it('missing or empty header → 401 without invoking (LT-02)', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make({ t: { type: 'TOKEN', handler } });
      for (const headers of [{}, { authorization: '' }]) {
        const r = await refusal(() => auth.authorize(request({ headers }), { name: 't' }));
        expect(r.status).toBe(401);
      }
      expect(handler.calls).toHaveLength(0);
    });

    it('identityValidationExpression mismatch → 401 without invoking (LT-03)', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make({
        t: { type: 'TOKEN', handler, identityValidationExpression: '^Bearer [A-Za-z0-9._-]+$' },
      });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'Basic abc' } }), { name: 't' }),
      );
      expect(r.status).toBe(401);
      expect(handler.calls).toHaveLength(0);
      await auth.authorize(request({ headers: { authorization: 'Bearer abc' } }), { name: 't' });
      expect(handler.calls).toHaveLength(1);
    });

    it('a custom token header (identitySource) is read case-insensitively', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make({
        t: { type: 'TOKEN', handler, identitySource: 'method.request.header.X-Auth-Token' },
      });
      await auth.authorize(request({ headers: { 'x-auth-token': 'abc' } }), { name: 't' });
      expect(handler.calls[0]).toMatchObject({ authorizationToken: 'abc' });
    });

    it('times out → 500 and never allows (Q-L-2)', async () => {
      const auth = make({
        slow: {
          type: 'TOKEN',
          handler: () => new Promise(() => undefined),
          timeoutMs: 30,
          ttlSeconds: 0,
        },
      });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'a' } }), { name: 'slow' }),
      );
      expect(r.status).toBe(500);
    });

    it('unknown authorizer name → 500', async () => {
      const auth = make({ orders: { type: 'TOKEN', handler: tokenAuthorizer } });
      expect(
        (
          await refusal(() =>
            auth.authorize(request({ headers: { authorization: 'allow' } }), { name: 'nope' }),
          )
        ).status,
      ).toBe(500);
    });
  });

  describe('conditions in returned policies (Q-L-4)', () => {
    it('evaluates Condition keys against each request, cached or not', async () => {
      const handler = counting(() => ({
        principalId: 'u',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'execute-api:Invoke',
              Resource: `${ARN}/*`,
              Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
            },
            {
              Effect: 'Deny',
              Action: 'execute-api:Invoke',
              Resource: `${ARN}/*`,
              Condition: { StringNotEquals: { 'aws:SecureTransport': 'true' } },
            },
          ],
        },
      }));
      const auth = make({ t: { type: 'TOKEN', handler } });
      const go = (sourceIp: string, secure = true) =>
        auth.authorize(request({ headers: { authorization: 'c' }, sourceIp, secure }), {
          name: 't',
        });
      expect(await go('203.0.113.9')).toMatchObject({ principalId: 'u' });
      expect((await refusal(() => go('198.51.100.1'))).body).toBe(
        '{"Message":"User is not authorized to access this resource"}',
      );
      expect((await refusal(() => go('203.0.113.9', false))).body).toBe(
        '{"Message":"User is not authorized to access this resource with an explicit deny"}',
      );
      expect(handler.calls).toHaveLength(1);
    });
  });

  describe('malformed responses → 500, never cached (LO-01, LO-02, LO-05, LC-03)', () => {
    const cases: Array<[string, unknown]> = [
      ['missing principalId', { policyDocument: policy('u', 'Allow', '*').policyDocument }],
      ['missing policyDocument', { principalId: 'u' }],
      ['a string', JSON.stringify(policy('u', 'Allow', '*'))],
      ['null', null],
      ['object in context', { ...policy('u', 'Allow', `${ARN}/*`), context: { a: { b: 1 } } }],
      ['array in context', { ...policy('u', 'Allow', `${ARN}/*`), context: { a: [1] } }],
      [
        'bad Effect',
        {
          principalId: 'u',
          policyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Maybe', Action: 'execute-api:Invoke', Resource: '*' }],
          },
        },
      ],
      [
        'Resource ARN over 512 characters (PIPE-08)',
        policy('u', 'Allow', `${ARN}/GET/${'a'.repeat(520)}`),
      ],
    ];
    it.each(cases)('%s', async (_name, response) => {
      const handler = counting(() => response);
      const auth = make({ t: { type: 'TOKEN', handler } });
      for (let i = 0; i < 2; i++) {
        const r = await refusal(() =>
          auth.authorize(request({ headers: { authorization: 'tok' } }), { name: 't' }),
        );
        expect(r.status).toBe(500);
        expect(r.body).toBe('{"message": null}');
      }
      expect(handler.calls).toHaveLength(2);
    });
  });

  describe('cache (LC-01..LC-03)', () => {
    it('caches per token; re-evaluates the cached policy per method ARN — the pitfall (LC-02)', async () => {
      // The guide's example returns a policy for event.methodArn only.
      const handler = counting((event: { methodArn: string }) =>
        policy('u', 'Allow', event.methodArn),
      );
      const auth = make({ t: { type: 'TOKEN', handler } });
      const headers = { authorization: 'tok' };
      await auth.authorize(request({ headers, path: '/pets' }), { name: 't' });
      await auth.authorize(request({ headers, path: '/pets' }), { name: 't' });
      expect(handler.calls).toHaveLength(1);
      const r = await refusal(() =>
        auth.authorize(request({ headers, path: '/owners' }), { name: 't' }),
      );
      expect(r.status).toBe(403);
      expect(handler.calls).toHaveLength(1);
    });

    it('caches deny policies like allows (LC-03)', async () => {
      const handler = counting(() => policy('u', 'Deny', `${ARN}/*`));
      const auth = make({ t: { type: 'TOKEN', handler } });
      for (let i = 0; i < 3; i++) {
        await refusal(() =>
          auth.authorize(request({ headers: { authorization: 'd' } }), { name: 't' }),
        );
      }
      expect(handler.calls).toHaveLength(1);
    });

    it('does not cache Unauthorized or thrown errors (LC-03)', async () => {
      const handler = counting(() => {
        throw new Error('Unauthorized');
      });
      const auth = make({ t: { type: 'TOKEN', handler } });
      for (let i = 0; i < 2; i++) {
        await refusal(() =>
          auth.authorize(request({ headers: { authorization: 'u' } }), { name: 't' }),
        );
      }
      expect(handler.calls).toHaveLength(2);
    });

    it('expires after ttlSeconds by the injected clock (LC-01)', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make({ t: { type: 'TOKEN', handler, ttlSeconds: 60 } });
      const go = () =>
        auth.authorize(request({ headers: { authorization: 'tok' } }), { name: 't' });
      await go();
      clock.advance(59_999);
      await go();
      expect(handler.calls).toHaveLength(1);
      clock.advance(1);
      await go();
      expect(handler.calls).toHaveLength(2);
    });

    it('ttlSeconds 0 invokes every time', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make({ t: { type: 'TOKEN', handler, ttlSeconds: 0 } });
      for (let i = 0; i < 3; i++) {
        await auth.authorize(request({ headers: { authorization: 'tok' } }), { name: 't' });
      }
      expect(handler.calls).toHaveLength(3);
    });

    it('isolates identities and authorizers', async () => {
      const a = counting((e: { authorizationToken: string }) =>
        policy(`a-${e.authorizationToken}`, 'Allow', `${ARN}/*`),
      );
      const b = counting((e: { authorizationToken: string }) =>
        policy(`b-${e.authorizationToken}`, 'Allow', `${ARN}/*`),
      );
      const auth = make({ a: { type: 'TOKEN', handler: a }, b: { type: 'TOKEN', handler: b } });
      const who = async (name: string, token: string) => {
        const context = await auth.authorize(request({ headers: { authorization: token } }), {
          name,
        });
        await auth.authorize(request({ headers: { authorization: token } }), { name });
        return context.type === 'CUSTOM' ? context.principalId : undefined;
      };
      expect(await who('a', 'one')).toBe('a-one');
      expect(await who('a', 'two')).toBe('a-two');
      expect(await who('b', 'one')).toBe('b-one');
      expect(a.calls).toHaveLength(2);
      expect(b.calls).toHaveLength(1);
    });

    it('1,000 concurrent requests with one new token → exactly one invocation (single flight)', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make({ t: { type: 'TOKEN', handler } });
      const results = await Promise.all(
        Array.from({ length: 1000 }, async (_, i) =>
          auth.authorize(request({ headers: { authorization: 'fresh' }, path: `/pets/${i}` }), {
            name: 't',
          }),
        ),
      );
      expect(results).toHaveLength(1000);
      expect(handler.calls).toHaveLength(1);
    });

    it('invalidate() and flush() drop entries', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make({ t: { type: 'TOKEN', handler } });
      const go = (token: string) =>
        auth.authorize(request({ headers: { authorization: token } }), { name: 't' });
      await go('one');
      await go('two');
      await auth.invalidate('t', ['one']);
      await go('one');
      await go('two');
      expect(handler.calls).toHaveLength(3);
      await auth.flush('t');
      await go('one');
      await go('two');
      expect(handler.calls).toHaveLength(5);
    });
  });

  describe('decision stores (the DecisionCache protocol)', () => {
    const route = { name: 't' };
    const allowAll = () => policy('u', 'Allow', `${ARN}/*`);

    it('the in-process store: a hit is answered without a promise, integrationLatency 0', async () => {
      const handler = counting(allowAll);
      const auth = make({ t: { type: 'TOKEN', handler } });
      const go = () => auth.authorize(request({ headers: { authorization: 'tok' } }), route);
      const miss = go();
      expect(isPending(miss)).toBe(true);
      const authorizerOf = async (outcome: ReturnType<typeof go>) => {
        const context = await outcome;
        return context.type === 'CUSTOM' ? context.authorizer : undefined;
      };
      expect(await authorizerOf(miss)).toMatchObject({ principalId: 'u' });
      const hit = go();
      expect(isPending(hit)).toBe(false);
      expect(await authorizerOf(hit)).toEqual({ principalId: 'u', integrationLatency: 0 });
      expect(handler.calls).toHaveLength(1);
    });

    it('a store written for promises and holding text only (as a shared store does) still caches', async () => {
      // Entries kept as JSON text, read back through promises: what a store of the 0.x interface does.
      const texts = new Map<string, string>();
      const store: DecisionCache = {
        get: (namespace, key) => {
          const text = texts.get(`${namespace}|${key}`);
          return Promise.resolve(text === undefined ? undefined : (JSON.parse(text) as never));
        },
        set: (namespace, key, entry) => {
          const { payload, expiresAt } = entry;
          texts.set(`${namespace}|${key}`, JSON.stringify({ payload, expiresAt }));
          return Promise.resolve();
        },
        delete: () => Promise.resolve(),
        flush: () => Promise.resolve(),
        close: () => Promise.resolve(),
      };
      const handler = counting((event: { authorizationToken: string }) =>
        event.authorizationToken === 'deny' ? policy('u', 'Deny', `${ARN}/*`) : allowAll(),
      );
      const auth = new CustomAuthorizerAuthenticator({ t: { type: 'TOKEN', handler } }, shared, {
        store,
      });
      open.push(auth);
      const go = (token: string) =>
        auth.authorize(request({ headers: { authorization: token } }), route);
      for (let i = 0; i < 2; i++) {
        const allowed = go('tok');
        expect(isPending(allowed)).toBe(true);
        expect(await allowed).toMatchObject({ principalId: 'u' });
        expect((await refusal(() => go('deny'))).status).toBe(403);
      }
      expect(handler.calls).toHaveLength(2);
      expect(texts.size).toBe(2);
    });
  });

  describe('REQUEST (LR-01..05)', () => {
    const sources =
      'method.request.header.HeaderAuth1,method.request.querystring.QueryString1,stageVariables.StageVar1';

    it('allows with the example authorizer; key = every identity source (LR-04)', async () => {
      const handler = counting(requestAuthorizer);
      const auth = make({ r: { type: 'REQUEST', handler, identitySource: sources } });
      const go = (query: string) =>
        auth.authorize(request({ headers: { headerauth1: 'headerValue1' }, rawQuery: query }), {
          name: 'r',
        });
      expect(await go('QueryString1=queryValue1')).toMatchObject({ principalId: 'me' });
      await go('QueryString1=queryValue1');
      expect(handler.calls).toHaveLength(1);
      expect((await refusal(() => go('QueryString1=other'))).status).toBe(401);
      expect(handler.calls).toHaveLength(2);
    });

    it('a missing identity source → 401 without invoking (LR-03)', async () => {
      const handler = counting(requestAuthorizer);
      const auth = make({ r: { type: 'REQUEST', handler, identitySource: sources } });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { headerauth1: 'headerValue1' } }), { name: 'r' }),
      );
      expect(r.status).toBe(401);
      expect(handler.calls).toHaveLength(0);
    });

    it('context.* identity sources', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make({
        r: {
          type: 'REQUEST',
          handler,
          identitySource: 'context.httpMethod,context.identity.sourceIp',
        },
      });
      await auth.authorize(request(), { name: 'r' });
      await auth.authorize(request({ method: 'POST' }), { name: 'r' });
      await auth.authorize(request({ method: 'POST' }), { name: 'r' });
      expect(handler.calls).toHaveLength(2);
    });
  });

  describe('HTTP API (HL-01..06)', () => {
    it('2.0 simple responses: true → allow with authorizer.lambda context; false → 403 Forbidden', async () => {
      const handler = (event: { headers: Record<string, string> }) =>
        Promise.resolve({
          isAuthorized: event.headers.authorization === 'secretToken',
          context: { list: [1, 2] },
        });
      const auth = make({
        h: {
          type: 'REQUEST',
          payloadFormatVersion: '2.0',
          enableSimpleResponses: true,
          identitySource: '$request.header.Authorization',
          handler,
        },
      });
      expect(
        await auth.authorize(request({ headers: { authorization: 'secretToken' } }), { name: 'h' }),
      ).toMatchObject({ authorizer: { lambda: { list: [1, 2] } } });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'nope' } }), { name: 'h' }),
      );
      expect(r.status).toBe(403);
      expect(r.body).toBe('{"message":"Forbidden"}');
    });

    it("the guide's 2.0 simple-response example (examples/authorizers) runs unchanged", async () => {
      const auth = make({
        h: {
          type: 'REQUEST',
          payloadFormatVersion: '2.0',
          enableSimpleResponses: true,
          identitySource: '$request.header.Authorization',
          handler: createSimpleHttpAuthorizer('s3cret'),
        },
      });
      expect(
        await auth.authorize(request({ headers: { authorization: 's3cret' } }), { name: 'h' }),
      ).toMatchObject({
        principalId: null,
        authorizer: { lambda: { stringKey: 'value', arrayKey: ['value1', 'value2'] } },
      });
      expect(
        (
          await refusal(() =>
            auth.authorize(request({ headers: { authorization: 'x' } }), { name: 'h' }),
          )
        ).status,
      ).toBe(403);
    });

    it('2.0 errors → 500 {"message":"Internal Server Error"} (HL-06)', async () => {
      const auth = make({
        h: {
          type: 'REQUEST',
          payloadFormatVersion: '2.0',
          identitySource: '$request.header.Authorization',
          handler: () => Promise.resolve({ isAuthorized: true }), // not a policy response
        },
      });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'a' } }), { name: 'h' }),
      );
      expect(r.status).toBe(500);
      expect(r.body).toBe('{"message":"Internal Server Error"}');
    });

    it('1.0 requires scalar context and rejects the reserved "claims" key (HL-03)', async () => {
      const auth = make({
        h: {
          type: 'REQUEST',
          payloadFormatVersion: '1.0',
          identitySource: '$request.header.Authorization',
          handler: () =>
            Promise.resolve({ ...policy('u', 'Allow', `${ARN}/*`), context: { claims: 'x' } }),
        },
      });
      const r = await refusal(() =>
        auth.authorize(request({ headers: { authorization: 'a' } }), { name: 'h' }),
      );
      expect(r.status).toBe(500);
    });
  });

  describe('resource policy (PIPE-04, RP-03, RP-05)', () => {
    const resourcePolicy = (statements: object[]) =>
      compilePolicy({ Version: '2012-10-17', Statement: statements }, 'resourcePolicy', {
        kind: 'resource',
      });

    it('an explicit Deny refuses before invoking, with the RP-07 body', async () => {
      const handler = counting(() => policy('u', 'Allow', `${ARN}/*`));
      const auth = make(
        { t: { type: 'TOKEN', handler } },
        {
          resourcePolicy: resourcePolicy([
            {
              Effect: 'Deny',
              Principal: '*',
              Action: 'execute-api:Invoke',
              Resource: `${ARN}/*/admin/*`,
            },
          ]),
        },
      );
      const r = await refusal(() =>
        auth.authorize(request({ path: '/admin/x', headers: { authorization: 'a' } }), {
          name: 't',
        }),
      );
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body)).toEqual({
        Message:
          'User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:petstore/prod/GET/admin/x with an explicit deny in a resource-based policy',
      });
      expect(handler.calls).toHaveLength(0);
      await auth.authorize(request({ path: '/pets', headers: { authorization: 'a' } }), {
        name: 't',
      });
      expect(handler.calls).toHaveLength(1);
    });

    it('Table A: resource-policy Allow + authorizer silence → allowed', async () => {
      const auth = make(
        {
          t: {
            type: 'TOKEN',
            handler: () => Promise.resolve(policy('u', 'Allow', `${ARN}/GET/cats`)),
          },
        },
        {
          resourcePolicy: resourcePolicy([
            { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: `${ARN}/*` },
          ]),
        },
      );
      expect(
        await auth.authorize(request({ headers: { authorization: 'a' } }), { name: 't' }),
      ).toMatchObject({ principalId: 'u' });
    });
  });

  describe('configuration', () => {
    it('names every invalid field', () => {
      expect(
        () =>
          new CustomAuthorizerAuthenticator(
            {
              a: { type: 'TOKEN', ttlSeconds: 4000, handler: tokenAuthorizer },
              b: { type: 'REQUEST', handler: tokenAuthorizer },
              c: { type: 'TOKEN' },
              d: { type: 'REQUEST', identitySource: 'header.x', handler: tokenAuthorizer },
            },
            shared,
          ),
      ).toThrow(
        /authorizers\.a\.ttlSeconds[\s\S]*authorizers\.b\.identitySource[\s\S]*authorizers\.c\.handler[\s\S]*authorizers\.d\.identitySource/,
      );
    });

    it('refuses identity sources that parse to nothing when caching (one key would serve everyone)', () => {
      for (const identitySource of [' , ', ['', ' ']]) {
        expect(
          () =>
            new CustomAuthorizerAuthenticator(
              { r: { type: 'REQUEST', handler: tokenAuthorizer, identitySource, ttlSeconds: 60 } },
              shared,
            ),
        ).toThrow(/authorizers\.r\.identitySource/);
      }
    });
  });
});
