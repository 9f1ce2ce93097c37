// Requests against an API definition, through the core: which route API Gateway would match, what
// it requires, and what happens to a request no route covers (PIPE-02).
import type { AuthContext } from '../auth-context';
import { AuthError } from '../errors';
import { GatewayAuth } from '../gateway-auth';
import type { HttpRequest } from '../http-request';
import { silentLogger } from '../logger';
import type { ApiDefinitionOptions } from './definition-options';

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:auth/invocations';

const allowAll = (event: { methodArn?: string; routeArn?: string }) =>
  Promise.resolve({
    principalId: 'caller',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
    },
    context: { arn: event.methodArn ?? event.routeArn ?? '' },
  });

function document(kind: 'REST' | 'HTTP', paths: Record<string, Record<string, unknown>>): unknown {
  const authorizer =
    kind === 'REST'
      ? { type: 'token', authorizerUri: URI, authorizerResultTtlInSeconds: 0 }
      : {
          type: 'request',
          authorizerUri: URI,
          identitySource: '$request.header.Authorization',
          authorizerPayloadFormatVersion: '2.0',
          enableSimpleResponses: true,
        };
  return {
    openapi: '3.0.1',
    info: { title: 'pets', version: '1' },
    ...(kind === 'HTTP' ? { 'x-amazon-apigateway-importexport-version': '1.0' } : {}),
    paths,
    components: {
      securitySchemes: {
        Token: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authorizer': authorizer,
        },
        api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      },
    },
  };
}

const guarded = { security: [{ Token: [] }] };
const open = { security: [] };

function gateway(
  kind: 'REST' | 'HTTP',
  paths: Record<string, Record<string, unknown>>,
  extra: Partial<ApiDefinitionOptions> = {},
): GatewayAuth {
  const simple =
    kind === 'HTTP' ? () => Promise.resolve({ isAuthorized: true, context: {} }) : allowAll;
  return new GatewayAuth({
    api: API,
    logger: silentLogger,
    apiDefinition: {
      document: document(kind, paths),
      authorizers: { Token: { handler: simple } },
      ...extra,
    },
  });
}

function request(
  method: string,
  path: string,
  headers: Record<string, string | string[]> = {},
): HttpRequest {
  return { method, path, rawQuery: '', headers, sourceIp: '203.0.113.9', secure: true };
}

/** `allowed` (a caller context), `open` (no authorization), or the refusal's response type. */
async function outcome(g: GatewayAuth, req: HttpRequest): Promise<string> {
  try {
    const result: AuthContext | null = await g.authorizeByDefinition(req);
    return result === null ? 'open' : 'allowed';
  } catch (error) {
    if (error instanceof AuthError) return error.responseType;
    throw error;
  }
}

/** The refusal a request gets (thrown at once, or as the rejection). */
async function refusal(g: GatewayAuth, req: HttpRequest): Promise<AuthError> {
  try {
    await g.authorizeByDefinition(req);
  } catch (error) {
    return error as AuthError;
  }
  throw new Error('allowed');
}

const AUTH = { authorization: 'token-1' };

describe('REST API: resource first, then its method (PIPE-02)', () => {
  const g = gateway('REST', {
    '/pets': { get: open, post: guarded },
    '/pets/{id}': { get: guarded },
    '/pets/special': { get: open },
    '/{proxy+}': { 'x-amazon-apigateway-any-method': open },
    '/admin/{proxy+}': { 'x-amazon-apigateway-any-method': guarded },
  });
  afterAll(() => g.close());

  it.each([
    ['GET', '/pets', {}, 'open'],
    ['POST', '/pets', AUTH, 'allowed'],
    ['POST', '/pets', {}, 'UNAUTHORIZED'],
    ['GET', '/pets/7', AUTH, 'allowed'],
    ['GET', '/pets/7', {}, 'UNAUTHORIZED'],
    // A literal segment wins over {id}.
    ['GET', '/pets/special', {}, 'open'],
    // The resource /pets/{id} has no DELETE: unknown route, not the {proxy+} fallback.
    ['DELETE', '/pets/7', {}, 'MISSING_AUTHENTICATION_TOKEN'],
    // HEAD is not GET.
    ['HEAD', '/pets', {}, 'MISSING_AUTHENTICATION_TOKEN'],
    ['GET', '/anything/else', {}, 'open'],
    ['PATCH', '/admin/users/1', {}, 'UNAUTHORIZED'],
    ['PATCH', '/admin/users/1', AUTH, 'allowed'],
    // Paths compare case-sensitively: /PETS is not /pets, so {proxy+} (open) takes it.
    ['GET', '/PETS', {}, 'open'],
    ['GET', '/%70ets/7', {}, 'UNAUTHORIZED'],
  ])('%s %s %o → %s', async (method, path, headers, expected) => {
    expect(await outcome(g, request(method, path, headers))).toBe(expected);
  });

  it('refuses a request whose framework route is looser than the definition path (Express case-insensitivity)', async () => {
    const req = { ...request('GET', '/Pets/special'), routePath: '/pets/special' };
    expect(await outcome(g, req)).toBe('MISSING_AUTHENTICATION_TOKEN');
  });
});

describe('HTTP API: the most specific route with the method, then $default', () => {
  const g = gateway('HTTP', {
    '/pets/{id}': { get: guarded },
    '/pets/{proxy+}': { post: open },
    $default: { 'x-amazon-apigateway-any-method': guarded },
  });
  afterAll(() => g.close());

  it.each([
    ['GET', '/pets/7', AUTH, 'allowed'],
    ['GET', '/pets/7', {}, 'UNAUTHORIZED'],
    ['POST', '/pets/7', {}, 'open'],
    ['DELETE', '/pets/7', {}, 'UNAUTHORIZED'],
    ['GET', '/nowhere', AUTH, 'allowed'],
  ])('%s %s %o → %s', async (method, path, headers, expected) => {
    expect(await outcome(g, request(method, path, headers))).toBe(expected);
  });
});

describe('uncovered routes, API keys, base path and overrides', () => {
  it('answers an uncovered route 403 Missing Authentication Token, or lets it through when told', async () => {
    const refusing = gateway('REST', { '/pets': { get: open } });
    const error = await refusal(refusing, request('GET', '/users'));
    expect(refusing.render(error)).toEqual({
      statusCode: 403,
      headers: {
        'content-type': 'application/json',
        'x-amzn-ErrorType': 'MissingAuthenticationTokenException',
      },
      body: '{"message":"Missing Authentication Token"}',
    });
    const allowing = gateway('REST', { '/pets': { get: open } }, { uncoveredRoutes: 'allow' });
    expect(await outcome(allowing, request('GET', '/users'))).toBe('open');
    await Promise.all([refusing.close(), allowing.close()]);
  });

  it('checks the API key after authorization (KEY-01/02, PIPE-06)', async () => {
    const g = gateway(
      'REST',
      {
        '/pets': {
          get: { security: [{ Token: [] }, { api_key: [] }] },
          post: { security: [{ api_key: [] }] },
        },
      },
      { apiKeys: ['key-0123456789abcdefghij'] },
    );
    expect(await outcome(g, request('GET', '/pets', AUTH))).toBe('INVALID_API_KEY');
    expect(await outcome(g, request('GET', '/pets', { ...AUTH, 'x-api-key': 'wrong' }))).toBe(
      'INVALID_API_KEY',
    );
    expect(
      await outcome(g, request('GET', '/pets', { 'x-api-key': 'key-0123456789abcdefghij' })),
    ).toBe('UNAUTHORIZED');
    expect(
      await outcome(
        g,
        request('GET', '/pets', { ...AUTH, 'x-api-key': 'key-0123456789abcdefghij' }),
      ),
    ).toBe('allowed');
    expect(
      await outcome(g, request('POST', '/pets', { 'x-api-key': 'key-0123456789abcdefghij' })),
    ).toBe('open');
    // A key sent on two lines is one value, the lines joined (docs/headers.md): never a key.
    const key = 'key-0123456789abcdefghij';
    expect(await outcome(g, request('POST', '/pets', { 'x-api-key': [key, key] }))).toBe(
      'INVALID_API_KEY',
    );
    expect(await outcome(g, request('POST', '/pets', { 'x-api-key': [key, 'wrong'] }))).toBe(
      'INVALID_API_KEY',
    );
    const error = await refusal(g, request('POST', '/pets'));
    expect(g.render(error).body).toBe('{"message":"Forbidden"}');
    await g.close();
  });

  it('serves the API under a base path, building the method ARN from the path without it', async () => {
    let arn = '';
    const g = new GatewayAuth({
      api: API,
      logger: silentLogger,
      apiDefinition: {
        document: document('REST', { '/pets/{id}': { get: guarded } }),
        basePath: '/prod',
        authorizers: {
          Token: {
            handler: (event: { methodArn: string }) => {
              arn = event.methodArn;
              return allowAll(event);
            },
          },
        },
      },
    });
    expect(await outcome(g, request('GET', '/prod/pets/7', AUTH))).toBe('allowed');
    expect(arn).toBe('arn:aws:execute-api:us-east-1:111122223333:petstore/prod/GET/pets/7');
    expect(await outcome(g, request('GET', '/pets/7', AUTH))).toBe('MISSING_AUTHENTICATION_TOKEN');
    await g.close();
  });

  it('lets an override replace a route requirement', async () => {
    const g = gateway('REST', { '/pets': { get: guarded } });
    const open = await g.authorizeByDefinition(
      request('GET', '/pets'),
      new Map([['GET /pets', null]]),
    );
    expect(open).toBeNull();
    await g.close();
  });
});

describe("the definition's resource policy and gateway responses", () => {
  it('enforces x-amazon-apigateway-policy (execute-api:/ expanded, RP-01) and renders x-amazon-apigateway-gateway-responses', async () => {
    const doc = document('REST', { '/pets': { get: guarded }, '/admin': { get: open } }) as Record<
      string,
      unknown
    >;
    doc['x-amazon-apigateway-policy'] = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*/GET/pets',
        },
      ],
    };
    doc['x-amazon-apigateway-gateway-responses'] = {
      ACCESS_DENIED: {
        statusCode: 403,
        responseParameters: {
          'gatewayresponse.header.x-policy': "'denied'",
          'gatewayresponse.header.Origin': 'method.request.header.Origin',
        },
        responseTemplates: { 'application/json': '{"error":$context.error.messageString}' },
      },
    };
    const g = new GatewayAuth({
      api: API,
      logger: silentLogger,
      apiDefinition: { document: doc, authorizers: { Token: { handler: allowAll } } },
    });
    expect(g.definition?.definition.warnings).toEqual([
      expect.stringContaining('only static header values') as string,
    ]);
    const error = await refusal(g, request('GET', '/pets', AUTH));
    expect(error.responseType).toBe('ACCESS_DENIED');
    const rendered = g.render(error);
    expect(rendered.headers['x-policy']).toBe('denied');
    expect(rendered.body).toMatch(/^\{"error":"User: anonymous is not authorized .* explicit deny/);
    await g.close();
  });

  it('refuses to start when the definition and the options both carry a resource policy', () => {
    const doc = document('REST', { '/pets': { get: open } }) as Record<string, unknown>;
    doc['x-amazon-apigateway-policy'] = { Version: '2012-10-17', Statement: [] };
    expect(
      () =>
        new GatewayAuth({
          api: API,
          logger: silentLogger,
          resourcePolicy: { Version: '2012-10-17', Statement: [] },
          apiDefinition: { document: doc },
        }),
    ).toThrow(/resourcePolicy: the API definition has its own resource policy/);
  });
});
