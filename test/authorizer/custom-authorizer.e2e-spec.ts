// @CustomAuthorizer() over Nest on Express and Fastify, and the Express middleware and passport
// strategy over plain Express: API Gateway's statuses, bodies and x-amzn-ErrorType for every outcome
// (LT-02, LR-03, LO-03, LO-05), @AuthContext() shaped like $context.authorizer (LO-02, LO-09), the
// cached-policy pitfall reproduced (LC-02), and cache flushing.
import type { AddressInfo } from 'node:net';
import express from 'express';
import passport from 'passport';
import { requestAuthorizer } from '../../examples/authorizers/request-authorizer';
import { tokenAuthorizer } from '../../examples/authorizers/token-authorizer';
import { GatewayAuth, silentLogger, type GatewayAuthOptions } from 'api-gateway-auth';
import { customAuthorizer, gatewayAuthErrorHandler } from 'api-gateway-auth/express';
import { GatewayAuthStrategy } from 'api-gateway-auth/passport';
import {
  API,
  call,
  startAuthorizerApp,
  type Platform,
  type RunningApp,
} from './authorizer-test-app';

/** The guide's original TOKEN example: the policy names only the method ARN it was called for. */
const firstMethodOnly = (event: { methodArn: string; authorizationToken: string }) =>
  Promise.resolve({
    principalId: event.authorizationToken,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
  });

const authorizers: GatewayAuthOptions['authorizers'] = {
  token: { type: 'TOKEN', handler: tokenAuthorizer },
  request: {
    type: 'REQUEST',
    handler: requestAuthorizer,
    identitySource: 'method.request.header.HeaderAuth1,method.request.querystring.QueryString1',
  },
  v1: { type: 'TOKEN', handler: firstMethodOnly },
};

describe.each<Platform>(['express', 'fastify'])('@CustomAuthorizer() on %s', (platform) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthorizerApp(platform, { authorizers });
  });
  afterAll(async () => {
    await app.close();
  });

  it('allow → 200 with @AuthContext() shaped like $context.authorizer', async () => {
    const res = await call(`${app.url}/pets`, { headers: { authorization: 'allow' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      type: 'CUSTOM',
      authorizerName: 'token',
      principalId: 'user',
      authorizer: {
        principalId: 'user',
        integrationLatency: expect.any(Number),
        stringKey: 'stringval',
        numberKey: '123',
        booleanKey: 'true',
      },
      sourceIp: '127.0.0.1',
    });
  });

  it.each([
    [
      'deny',
      403,
      'AccessDeniedException',
      '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    ],
    ['unauthorized', 401, 'UnauthorizedException', '{"message":"Unauthorized"}'],
    ['fail', 500, 'AuthorizerConfigurationException', '{"message": null}'],
  ])('token %s → %i %s', async (token, status, errorType, body) => {
    const res = await call(`${app.url}/pets`, {
      method: 'POST',
      headers: { authorization: token },
    });
    expect(res.status).toBe(status);
    expect(res.headers['x-amzn-errortype']).toBe(errorType);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toBe(body);
  });

  it('no Authorization header → 401 (LT-02)', async () => {
    const res = await call(`${app.url}/pets`);
    expect(res.status).toBe(401);
    expect(res.body).toBe('{"message":"Unauthorized"}');
  });

  it('REQUEST: allowed with every identity source; a missing one → 401 (LR-03)', async () => {
    const ok = await call(`${app.url}/request?QueryString1=queryValue1`, {
      headers: { HeaderAuth1: 'headerValue1' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ principalId: 'me', authorizer: { sourceIp: '127.0.0.1' } });
    const missing = await call(`${app.url}/request`, { headers: { HeaderAuth1: 'headerValue1' } });
    expect(missing.status).toBe(401);
  });

  it('reproduces the cached-policy pitfall: a policy for the first method refuses the next (LC-02)', async () => {
    const pitfall = await startAuthorizerApp(platform, {
      authorizers: { token: { type: 'TOKEN', handler: firstMethodOnly } },
    });
    try {
      const headers = { authorization: 'alice' };
      expect((await call(`${pitfall.url}/pets`, { headers })).status).toBe(200);
      const other = await call(`${pitfall.url}/pets/1`, { headers });
      expect(other.status).toBe(403);
      expect(other.json).toEqual({ Message: 'User is not authorized to access this resource' });
      await pitfall.gatewayAuth.flushAuthorizerCache('token');
      expect((await call(`${pitfall.url}/pets/1`, { headers })).status).toBe(200);
      expect((await call(`${pitfall.url}/pets`, { headers })).status).toBe(403);
    } finally {
      await pitfall.close();
    }
  });

  it('open routes stay open', async () => {
    expect((await call(`${app.url}/open`)).status).toBe(200);
  });
});

describe('Express middleware and passport strategy', () => {
  let server: ReturnType<express.Express['listen']>;
  let url: string;
  let gatewayAuth: GatewayAuth;
  beforeAll(async () => {
    gatewayAuth = new GatewayAuth({ api: API, logger: silentLogger, authorizers });
    const app = express();
    app.get('/mw/pets', customAuthorizer(gatewayAuth, 'token'), (req, res) => {
      res.json((req as unknown as { gatewayAuth: unknown }).gatewayAuth);
    });
    // The pitfall with the middleware: two methods, one TOKEN authorizer, one cache entry.
    app.get('/mw/a', customAuthorizer(gatewayAuth, 'v1'), (_req, res) => {
      res.json({ route: 'a' });
    });
    app.get('/mw/b', customAuthorizer(gatewayAuth, 'v1'), (_req, res) => {
      res.json({ route: 'b' });
    });
    passport.use(
      'gateway-orders',
      new GatewayAuthStrategy(gatewayAuth, { model: 'custom', options: { name: 'token' } }),
    );
    app.get('/pp/pets', passport.authenticate('gateway-orders', { session: false }), (req, res) => {
      res.json(req.user);
    });
    app.use(gatewayAuthErrorHandler(gatewayAuth));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gatewayAuth.close();
  });

  it.each(['/mw/pets', '/pp/pets'])('%s: allow, deny, unauthorized, error', async (path) => {
    const allow = await call(`${url}${path}`, { headers: { authorization: 'allow' } });
    expect(allow.status).toBe(200);
    expect(allow.json).toMatchObject({ type: 'CUSTOM', principalId: 'user' });
    const deny = await call(`${url}${path}`, { headers: { authorization: 'deny' } });
    expect(deny.status).toBe(403);
    expect(deny.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    const unauthorized = await call(`${url}${path}`, {
      headers: { authorization: 'unauthorized' },
    });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body).toBe('{"message":"Unauthorized"}');
    const error = await call(`${url}${path}`, { headers: { authorization: 'oops' } });
    expect(error.status).toBe(500);
    expect(error.body).toBe('{"message": null}');
  });

  it('the pitfall (LC-02): the cached single-method policy refuses the other method until flushed', async () => {
    expect((await call(`${url}/mw/a`, { headers: { authorization: 't1' } })).status).toBe(200);
    const b = await call(`${url}/mw/b`, { headers: { authorization: 't1' } });
    expect(b.status).toBe(403);
    expect(b.json).toEqual({ Message: 'User is not authorized to access this resource' });
    await gatewayAuth.invalidateAuthorizerCache('v1', ['t1']);
    expect((await call(`${url}/mw/b`, { headers: { authorization: 't1' } })).status).toBe(200);
    expect((await call(`${url}/mw/a`, { headers: { authorization: 't1' } })).status).toBe(403);
  });
});
