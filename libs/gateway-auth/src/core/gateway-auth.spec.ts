import { ConfigError } from './errors';
import { GatewayAuth } from './gateway-auth';
import { silentLogger } from './logger';

const api = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const request = {
  method: 'GET',
  path: '/pets',
  rawQuery: '',
  headers: {},
  sourceIp: '127.0.0.1',
  secure: false,
};

describe('GatewayAuth options and fail-closed dispatch', () => {
  it('names every invalid api field', () => {
    try {
      new GatewayAuth({
        api: { region: 'US', accountId: '12', apiId: '', stage: 'a b' },
        logger: silentLogger,
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const paths = (error as ConfigError).issues.map((i) => i.path);
      expect(paths).toEqual(['api.region', 'api.accountId', 'api.apiId', 'api.stage']);
    }
  });

  it('rejects a bad trusted proxy entry at boot', () => {
    expect(() => new GatewayAuth({ api, trustedProxies: ['nope'], logger: silentLogger })).toThrow(
      /trustedProxies/,
    );
  });

  it("bounds bodies at API Gateway's 10 MB unless bodyLimitBytes says otherwise; a bad one stops the boot", () => {
    expect(new GatewayAuth({ api, logger: silentLogger }).bodyLimitBytes).toBe(10485760);
    expect(
      new GatewayAuth({ api, logger: silentLogger, bodyLimitBytes: 2048 }).bodyLimitBytes,
    ).toBe(2048);
    expect(() => new GatewayAuth({ api, logger: silentLogger, bodyLimitBytes: 0 })).toThrow(
      /bodyLimitBytes: must be a whole number of bytes/,
    );
  });

  it("answers a body over the limit with API Gateway's 413, logged without the body", () => {
    const lines: Array<Record<string, unknown>> = [];
    const auth = new GatewayAuth({
      api,
      bodyLimitBytes: 1024,
      logger: { log: (level, event, fields) => lines.push({ level, event, ...fields }) },
    });
    expect(
      auth.refuseBodyTooLarge({ method: 'POST', url: '/pets?a=1', contentLength: 5000 }),
    ).toEqual({
      statusCode: 413,
      headers: { 'content-type': 'text; charset=utf-8' },
      body: 'HTTP content length exceeded 1024 bytes.',
    });
    expect(lines).toEqual([
      {
        level: 'warn',
        event: 'request.body_too_large',
        method: 'POST',
        path: '/pets',
        contentLength: 5000,
        limitBytes: 1024,
      },
    ]);
  });

  it('answers 500 AuthorizerConfigurationException for a model that is not configured', async () => {
    const auth = new GatewayAuth({ api, logger: silentLogger });
    await expect(async () =>
      auth.authorize(request, { model: 'iam', options: {} }),
    ).rejects.toMatchObject({
      code: 'MODEL_NOT_CONFIGURED',
      responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    });
  });

  it('logs every decision without secrets', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const auth = new GatewayAuth({
      api,
      logger: { log: (level, event, fields) => lines.push({ level, event, ...fields }) },
    });
    await expect(async () =>
      auth.authorize(
        { ...request, headers: { authorization: 'Bearer secret-token' } },
        { model: 'cognito', options: {} },
      ),
    ).rejects.toBeDefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ event: 'authorization', model: 'cognito', path: '/pets' });
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  describe('method ARN length (PIPE-08)', () => {
    // A Lambda authorizer that allows everything: only the ARN limit can refuse.
    const auth = new GatewayAuth({
      api,
      logger: silentLogger,
      authorizers: {
        all: {
          type: 'TOKEN',
          ttlSeconds: 0,
          handler: () =>
            Promise.resolve({
              principalId: 'u',
              policyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
              },
            }),
        },
      },
    });
    const route = { model: 'custom', options: { name: 'all' } } as const;
    const prefix = 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/GET/';
    const withArnBytes = (bytes: number, filler = 'a') => ({
      ...request,
      headers: { authorization: 'token' },
      path: '/' + filler.repeat(bytes - prefix.length),
    });

    it('authorizes a method ARN of exactly 1600 bytes', async () => {
      await expect(async () => auth.authorize(withArnBytes(1600), route)).resolves.toMatchObject({
        principalId: 'u',
      });
    });

    it('answers 414 "Request URI too long" for 1601 bytes, before the authorizer runs', async () => {
      const error = await (async () => auth.authorize(withArnBytes(1601), route))().catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'METHOD_ARN_TOO_LONG' });
      const rendered = auth.render(error as never);
      expect(rendered.statusCode).toBe(414);
      expect(JSON.parse(rendered.body)).toEqual({ message: 'Request URI too long' });
    });

    it('counts UTF-8 bytes, not characters', async () => {
      // 600 three-byte characters: 1,800 bytes of path in 600 characters.
      const path = '/' + '\u20ac'.repeat(600);
      await expect(async () => auth.authorize({ ...request, path }, route)).rejects.toMatchObject({
        code: 'METHOD_ARN_TOO_LONG',
      });
    });
  });

  describe('authorize(): synchronous when the model already holds the answer', () => {
    let invocations = 0;
    const auth = new GatewayAuth({
      api,
      logger: silentLogger,
      authorizers: {
        cached: {
          type: 'TOKEN',
          ttlSeconds: 300,
          handler: (event: { authorizationToken: string }) => {
            invocations++;
            if (event.authorizationToken === 'deny') {
              return Promise.resolve({
                principalId: 'd',
                policyDocument: {
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: '*' }],
                },
              });
            }
            return Promise.resolve({
              principalId: 'u',
              policyDocument: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
              },
            });
          },
        },
      },
    });
    const route = { model: 'custom', options: { name: 'cached' } } as const;
    const withToken = (token: string) => ({ ...request, headers: { authorization: token } });

    it('returns a promise on a miss, then the context itself on a hit', async () => {
      const first = auth.authorize(withToken('a'), route);
      expect(first).toBeInstanceOf(Promise);
      await expect(first).resolves.toMatchObject({ principalId: 'u' });
      const second = auth.authorize(withToken('a'), route);
      expect(second).not.toBeInstanceOf(Promise);
      expect(second).toMatchObject({ principalId: 'u' });
      expect(invocations).toBe(1);
    });

    it('throws a cached refusal synchronously, the same refusal the invocation rejected with', async () => {
      const invoked = auth.authorize(withToken('deny'), route);
      expect(invoked).toBeInstanceOf(Promise);
      const rejected: unknown = await Promise.resolve(invoked).catch((error: unknown) => error);
      expect(rejected).toMatchObject({ responseType: 'ACCESS_DENIED', code: expect.any(String) });
      let thrown: unknown;
      try {
        // A cached Deny is decided synchronously: nothing to await (the result is not a promise).
        const outcome = auth.authorize(withToken('deny'), route);
        expect(outcome).not.toBeInstanceOf(Promise);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({
        responseType: 'ACCESS_DENIED',
        code: (rejected as { code: string }).code,
      });
    });
  });
});
