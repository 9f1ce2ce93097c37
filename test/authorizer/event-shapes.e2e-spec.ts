// The events our guard sends to Lambda authorizers, captured over real HTTP (Nest on Express and
// Fastify), checked field by field against the example events of the API Gateway developer guide
// (test/fixtures/apigw-events, copied with their licence): every field of the documented event is
// present with the same JSON type, and the values we can control match (LT-01, LR-01, HL-01/02).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import {
  API,
  ARN,
  call,
  startAuthorizerApp,
  type Platform,
  type RunningApp,
} from './authorizer-test-app';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/apigw-events', name), 'utf8'));

type Shape = string | { [key: string]: Shape };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- captured events are read loosely
type Json = Record<string, any>;

/** The JSON type of every field, recursively ("string", "number", "array", "null", {...}). */
function shapeOf(value: unknown): Shape {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shapeOf(v)]),
    );
  }
  return typeof value;
}

/**
 * Every path of `documented` exists in `ours` with the same type. Maps whose keys are data
 * (headers, query, stage variables, path parameters) are compared as "object" only.
 * `absent` lists documented paths we deliberately leave out / null (mTLS client certificates).
 */
function missingFields(documented: unknown, ours: unknown, absent: string[] = []): string[] {
  const dataMaps =
    /(^|\.)(headers|multiValueHeaders|queryStringParameters|multiValueQueryStringParameters|stageVariables|pathParameters)$/;
  const problems: string[] = [];
  const walk = (d: Shape, o: Shape | undefined, at: string): void => {
    if (absent.includes(at)) return;
    if (o === undefined) {
      problems.push(`${at}: missing`);
      return;
    }
    if (typeof d === 'string' || dataMaps.test(at)) {
      const dt = typeof d === 'string' ? d : 'object';
      const ot = typeof o === 'string' ? o : 'object';
      if (dt !== ot) problems.push(`${at}: ${ot} instead of ${dt}`);
      return;
    }
    if (typeof o === 'string') {
      problems.push(`${at}: ${o} instead of object`);
      return;
    }
    for (const key of Object.keys(d)) walk(d[key] as Shape, o[key], at ? `${at}.${key}` : key);
  };
  walk(shapeOf(documented), shapeOf(ours), '');
  return problems;
}

describe.each<Platform>(['express', 'fastify'])('authorizer events on %s', (platform) => {
  const events: Record<string, unknown[]> = { token: [], request: [], v1: [], v2: [] };
  const capture = (name: string) => (event: unknown) => {
    events[name]?.push(event);
    return Promise.resolve({
      principalId: 'p',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/*` }],
      },
    });
  };
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthorizerApp(platform, {
      api: { ...API, stageVariables: { StageVar1: 'stageValue1' } },
      authorizers: {
        token: { type: 'TOKEN', handler: capture('token'), ttlSeconds: 0 },
        request: {
          type: 'REQUEST',
          handler: capture('request'),
          identitySource:
            'method.request.header.HeaderAuth1,method.request.querystring.QueryString1',
          ttlSeconds: 0,
        },
        v1: {
          type: 'REQUEST',
          payloadFormatVersion: '1.0',
          handler: capture('v1'),
          identitySource: '$request.header.X-User,$request.querystring.id',
          ttlSeconds: 0,
        },
        v2: {
          type: 'REQUEST',
          payloadFormatVersion: '2.0',
          handler: capture('v2'),
          identitySource: ['$request.header.X-User', '$request.querystring.id'],
          ttlSeconds: 0,
        },
      },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('TOKEN: exactly type, authorizationToken, methodArn (LT-01)', async () => {
    expect((await call(`${app.url}/pets/7`, { headers: { authorization: 'allow' } })).status).toBe(
      200,
    );
    const documented = fixture('rest-token.json');
    const ours = events.token?.[0] as Record<string, unknown>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(documented).sort());
    expect(ours).toEqual({
      type: 'TOKEN',
      authorizationToken: 'allow',
      methodArn: `${ARN}/GET/pets/7`,
    });
  });

  it('REQUEST: every documented field, with the same types and values (LR-01)', async () => {
    const res = await call(`${app.url}/request?QueryString1=queryValue1`, {
      headers: { HeaderAuth1: 'headerValue1', 'User-Agent': 'test-agent', 'x-api-key': 'key-1' },
    });
    expect(res.status).toBe(200);
    const documented = fixture('rest-request.json');
    const ours = events.request?.[0] as Json;
    expect(missingFields(documented, ours, ['requestContext.identity.clientCert'])).toEqual([]);
    expect(ours).toMatchObject({
      type: 'REQUEST',
      methodArn: `${ARN}/GET/request`,
      resource: '/request',
      path: '/request',
      httpMethod: 'GET',
      queryStringParameters: { QueryString1: 'queryValue1' },
      multiValueQueryStringParameters: { QueryString1: ['queryValue1'] },
      pathParameters: {},
      stageVariables: { StageVar1: 'stageValue1' },
      requestContext: {
        path: '/request',
        accountId: API.accountId,
        stage: 'prod',
        resourcePath: '/request',
        httpMethod: 'GET',
        apiId: 'petstore',
        identity: { apiKey: 'key-1', sourceIp: '127.0.0.1', userAgent: 'test-agent' },
      },
    });
    expect(Object.keys(ours.headers).map((h) => h.toLowerCase())).toEqual(
      expect.arrayContaining(['headerauth1', 'user-agent', 'x-api-key', 'host']),
    );
    expect(ours.requestContext.resourceId).toMatch(/^[0-9a-f]{6}$/);
    expect(ours).not.toHaveProperty('version');
  });

  it("REQUEST: header names keep the client's casing; repeated headers in multiValueHeaders", async () => {
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${app.url}/request?QueryString1=a&QueryString1=b`, {
        // Node's raw-headers form: names as written, repeats kept.
        headers: [
          'Host',
          '127.0.0.1',
          'HeaderAuth1',
          'headerValue1',
          'X-Custom',
          'one',
          'x-custom',
          'two',
        ],
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    const ours = events.request?.at(-1) as Json;
    expect(ours.headers.HeaderAuth1).toBe('headerValue1');
    expect(ours.headers['X-Custom']).toBe('two');
    expect(ours.multiValueHeaders['X-Custom']).toEqual(['one', 'two']);
    expect(ours.queryStringParameters).toEqual({ QueryString1: 'b' });
    expect(ours.multiValueQueryStringParameters).toEqual({ QueryString1: ['a', 'b'] });
  });

  it('REQUEST: resource is the template, path parameters filled', async () => {
    await call(`${app.url}/request/42?QueryString1=q`, { headers: { HeaderAuth1: 'h' } });
    const ours = events.request?.at(-1) as Json;
    expect(ours).toMatchObject({
      resource: '/request/{id}',
      path: '/request/42',
      pathParameters: { id: '42' },
      methodArn: `${ARN}/GET/request/42`,
      requestContext: { resourcePath: '/request/{id}' },
    });
  });

  it('HTTP API 1.0: the REST shape plus version, identitySource, authorizationToken (HL-01)', async () => {
    await call(`${app.url}/v1/request?id=123`, {
      headers: { 'X-User': 'user1', 'x-api-key': 'k' },
    });
    const documented = fixture('http-v1.json');
    const ours = events.v1?.[0] as Json;
    expect(missingFields(documented, ours, ['requestContext.identity.clientCert'])).toEqual([]);
    expect(ours).toMatchObject({
      version: '1.0',
      type: 'REQUEST',
      identitySource: 'user1,123',
      authorizationToken: 'user1,123',
      methodArn: `${ARN}/GET/v1/request`,
    });
  });

  it('HTTP API 2.0: every documented field; lowercase headers, joined repeats, cookies (HL-01/02)', async () => {
    const res = await call(
      `${app.url}/v2/my/path?parameter1=value1&parameter1=value2&parameter2=value&id=123`,
      {
        method: 'POST',
        headers: {
          'X-User': 'user1',
          Header1: 'value1',
          Cookie: 'cookie1=a; cookie2=b',
          'User-Agent': 'agent',
        },
      },
    );
    expect(res.status).toBe(201);
    const documented = fixture('http-v2.json');
    const ours = events.v2?.[0] as Json;
    expect(
      missingFields(documented, ours, ['requestContext.authentication', 'stageVariables']),
    ).toEqual([]);
    expect(ours).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: `${ARN}/POST/v2/my/path`,
      identitySource: ['user1', '123'],
      routeKey: 'POST /v2/my/{name}',
      rawPath: '/v2/my/path',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value&id=123',
      cookies: ['cookie1=a', 'cookie2=b'],
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value', id: '123' },
      pathParameters: { name: 'path' },
      requestContext: {
        accountId: API.accountId,
        apiId: 'petstore',
        http: {
          method: 'POST',
          path: '/v2/my/path',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'agent',
        },
        routeKey: 'POST /v2/my/{name}',
        stage: 'prod',
      },
    });
    expect(ours.headers.header1).toBe('value1');
    expect(ours.headers).not.toHaveProperty('cookie');
    expect(ours.requestContext.time).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(typeof ours.requestContext.timeEpoch).toBe('number');
  });
});
