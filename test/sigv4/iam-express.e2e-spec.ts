// The Express middleware `iamAuth()` and the passport strategy, once each, on a plain Express 5 app
// with the raw body captured by the JSON parser's verify hook.
import express from 'express';
import type { Server } from 'node:http';
import passport from 'passport';
import { GatewayAuth, fixedClock, silentLogger } from 'api-gateway-auth';
import { gatewayAuthErrorHandler, iamAuth } from 'api-gateway-auth/express';
import { GatewayAuthStrategy } from 'api-gateway-auth/passport';
import { ALICE, API, CREDENTIALS, DAVE, NOW, RESOURCE_POLICY } from './iam-test-app';
import { send } from './send';
import { signWithAws4, signWithSmithy } from './sign-request';

describe('AWS_IAM on plain Express', () => {
  let server: Server;
  let gatewayAuth: GatewayAuth;
  let url: string;
  let host: string;

  beforeAll(async () => {
    gatewayAuth = new GatewayAuth({
      api: { ...API },
      resourcePolicy: RESOURCE_POLICY,
      iam: { credentials: CREDENTIALS },
      clock: fixedClock(NOW.getTime()),
      logger: silentLogger,
    });
    const app = express();
    app.use(
      express.json({
        verify: (req, _res, buf) => {
          (req as unknown as { rawBody: Buffer }).rawBody = buf;
        },
      }),
    );
    app.get('/pets', iamAuth(gatewayAuth), (req, res) => {
      res.json({ auth: (req as unknown as { gatewayAuth: unknown }).gatewayAuth });
    });
    passport.use(
      'gateway-iam',
      new GatewayAuthStrategy(gatewayAuth, { model: 'iam', options: {} }),
    );
    app.post('/pets', passport.authenticate('gateway-iam', { session: false }), (req, res) => {
      res.status(201).json({ created: req.body as unknown, user: req.user });
    });
    app.use(gatewayAuthErrorHandler(gatewayAuth));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as { port: number };
    host = `127.0.0.1:${port}`;
    url = `http://${host}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await gatewayAuth.close();
  });

  it('middleware: accepts a signed GET and attaches $context.identity', async () => {
    const res = await send(
      url,
      await signWithSmithy({ method: 'GET', host, path: '/pets', date: NOW }, ALICE),
    );
    expect(res.status).toBe(200);
    expect(res.body.auth.identity.userArn).toBe('arn:aws:iam::111122223333:user/alice');
  });

  it("middleware: refuses with API Gateway's response", async () => {
    const res = await send(url, { method: 'GET', url: '/pets', headers: {} });
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(res.text).toBe('{"message":"Missing Authentication Token"}');
  });

  it('passport strategy: accepts a signed JSON POST (body hashed) and sets req.user', async () => {
    const signed = signWithAws4(
      {
        method: 'POST',
        host,
        path: '/pets',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"Rex"}',
        date: NOW,
      },
      ALICE,
    );
    const res = await send(url, signed);
    expect(res.status).toBe(201);
    expect(res.body.created).toEqual({ name: 'Rex' });
    expect(res.body.user.identity.accessKey).toBe(ALICE.accessKeyId);
  });

  it('passport strategy: a denied caller gets SIG-28 through gatewayAuthErrorHandler', async () => {
    const signed = signWithAws4(
      {
        method: 'POST',
        host,
        path: '/pets',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        date: NOW,
      },
      DAVE,
    );
    const res = await send(url, signed);
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(res.body.Message).toMatch(
      /^User: arn:aws:iam::111122223333:user\/dave is not authorized/,
    );
  });
});
