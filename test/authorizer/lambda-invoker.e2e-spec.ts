// The Lambda invoker through the real @aws-sdk/client-lambda, configured the standard SDK way
// (AWS_REGION, credentials from the environment, AWS_ENDPOINT_URL_LAMBDA), against a local server
// speaking Lambda's Invoke API that runs the example TOKEN authorizer: success, Deny, the
// `Unauthorized` function error, other function errors, timeouts and throttling (LO-03, LO-05,
// LO-06) — over Nest on Express and Fastify; and the HTTP (sidecar) invoker against the same server.
import { tokenAuthorizer } from '../../examples/authorizers/token-authorizer';
import { call, startAuthorizerApp, type Platform, type RunningApp } from './authorizer-test-app';
import {
  startLambdaInvokeServer,
  useLambdaEndpoint,
  type LambdaInvokeServer,
} from './lambda-invoke-server';

describe.each<Platform>(['express', 'fastify'])('Lambda invoker on %s', (platform) => {
  let lambda: LambdaInvokeServer;
  let app: RunningApp;
  let restoreEnv: () => void = () => undefined;

  beforeAll(async () => {
    lambda = await startLambdaInvokeServer({
      'orders-authorizer': tokenAuthorizer,
      slow: () => new Promise((resolve) => setTimeout(() => resolve(null), 1500).unref()),
    });
    restoreEnv = useLambdaEndpoint(lambda.url);
    app = await startAuthorizerApp(platform, {
      authorizers: {
        token: { type: 'TOKEN', functionName: 'orders-authorizer', ttlSeconds: 0 },
        request: {
          type: 'REQUEST',
          functionName: 'arn:aws:lambda:us-east-1:111122223333:function:slow',
          identitySource: 'method.request.header.Authorization',
          timeoutMs: 200,
          ttlSeconds: 0,
        },
        // The HTTP (sidecar) invoker speaks the same Invoke protocol: point it at the same server.
        v2: {
          type: 'TOKEN',
          url: `${lambda.url}/2015-03-31/functions/orders-authorizer/invocations`,
          ttlSeconds: 0,
        },
        v1: {
          type: 'REQUEST',
          payloadFormatVersion: '1.0',
          functionName: 'does-not-exist',
          identitySource: '$request.header.Authorization',
          ttlSeconds: 0,
        },
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await lambda.close();
    restoreEnv();
  });

  it('success: the function is invoked and its Allow policy admits the call', async () => {
    const before = lambda.invocations.get('orders-authorizer') ?? 0;
    const res = await call(`${app.url}/pets`, { headers: { authorization: 'allow' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      type: 'CUSTOM',
      principalId: 'user',
      authorizer: { numberKey: '123' },
    });
    expect(lambda.invocations.get('orders-authorizer')).toBe(before + 1);
  });

  it('Deny → 403 AccessDeniedException', async () => {
    const res = await call(`${app.url}/pets`, { headers: { authorization: 'deny' } });
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(res.json).toEqual({
      Message: 'User is not authorized to access this resource with an explicit deny',
    });
  });

  it('function error "Unauthorized" → 401 (LO-05)', async () => {
    const res = await call(`${app.url}/pets`, { headers: { authorization: 'unauthorized' } });
    expect(res.status).toBe(401);
    expect(res.body).toBe('{"message":"Unauthorized"}');
  });

  it('any other function error → 500 {"message": null} (LO-05)', async () => {
    const res = await call(`${app.url}/pets`, { headers: { authorization: 'something-else' } });
    expect(res.status).toBe(500);
    expect(res.body).toBe('{"message": null}');
    expect(res.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
  });

  it('timeout → 500, never an allow (Q-L-2)', async () => {
    const res = await call(`${app.url}/request`, { headers: { authorization: 'x' } });
    expect(res.status).toBe(500);
    expect(res.body).toBe('{"message": null}');
  });

  it('throttling (429 TooManyRequestsException) → 500', async () => {
    lambda.throttle = true;
    try {
      const res = await call(`${app.url}/pets`, { headers: { authorization: 'allow' } });
      expect(res.status).toBe(500);
      expect(res.body).toBe('{"message": null}');
    } finally {
      lambda.throttle = false;
    }
  });

  it('HTTP invoker (sidecar): allow, Unauthorized, function error, throttled', async () => {
    const post = (token: string) =>
      call(`${app.url}/v2/my/x`, { method: 'POST', headers: { authorization: token } });
    expect((await post('allow')).status).toBe(201);
    expect((await post('unauthorized')).status).toBe(401);
    expect((await post('other')).body).toBe('{"message": null}');
    lambda.throttle = true;
    try {
      expect((await post('allow')).status).toBe(500);
    } finally {
      lambda.throttle = false;
    }
  });

  it('unknown function (404 ResourceNotFoundException) → HTTP API 500 Internal Server Error (HL-06)', async () => {
    const res = await call(`${app.url}/v1/request`, { headers: { authorization: 'x' } });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ message: 'Internal Server Error' });
  });
});
