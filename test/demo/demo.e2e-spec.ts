/**
 * The demo's contract routes (issue 6): every route accepts the right caller and refuses wrong ones
 * with API Gateway's status, body and `x-amzn-ErrorType`, on Express and on Fastify, with real
 * clients — tokens from a local Cognito pool (cognito-local), requests signed by
 * `@smithy/signature-v4`, the example Lambda authorizers.
 */
import request from 'supertest';
import { startLocalCognito, type LocalCognito } from '../../scripts/local/cognito-local';
import { loadDemoConfig, type HttpPlatform } from '../../apps/demo/src/config/demo-config';
import { startDemo, type RunningDemo } from '../../apps/demo/src/create-demo-app';
import { fixedClock, silentLogger, type Logger } from 'api-gateway-auth';
import { demoCallers, signWithSmithy } from './demo-clients';

const { admin, reporting, file: credentialsFile } = demoCallers();
const RESOURCE_POLICY_FILE = `${__dirname}/../../apps/demo/config/resource-policy.json`;

let cognito: LocalCognito;
const tokens = { id: '', access: '', read: '', write: '', readWrite: '' };

beforeAll(async () => {
  cognito = await startLocalCognito();
  const signedIn = await cognito.signIn();
  tokens.id = signedIn.idToken;
  tokens.access = signedIn.accessToken;
  [tokens.read, tokens.write, tokens.readWrite] = await Promise.all([
    cognito.accessTokenWithScopes(['pets/read']),
    cognito.accessTokenWithScopes(['pets/write']),
    cognito.accessTokenWithScopes(['pets/read', 'pets/write']),
  ]);
}, 60_000);

afterAll(async () => {
  await cognito?.stop();
});

/** Collects the demo's structured log records (authorization decisions, access log). */
function recordingLogger(lines: string[]): Logger {
  return {
    log: (level, event, fields) => {
      lines.push(JSON.stringify({ level, event, ...fields }));
    },
  };
}

const UNAUTHORIZED = { message: 'Unauthorized' };
const MISSING_TOKEN = { message: 'Missing Authentication Token' };

describe.each<HttpPlatform>(['express', 'fastify'])('demo on %s', (platform) => {
  let demo: RunningDemo;
  const logLines: string[] = [];
  const accessLines: string[] = [];

  beforeAll(async () => {
    const config = loadDemoConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      HTTP_PLATFORM: platform,
      COGNITO_USER_POOL_ID: cognito.userPoolId,
      COGNITO_CLIENT_IDS: cognito.clientId,
      COGNITO_ISSUER: cognito.issuer,
      COGNITO_JWKS_URI: cognito.jwksUri,
      IAM_CREDENTIALS_FILE: credentialsFile,
      RESOURCE_POLICY_FILE,
      // Requests come from 127.0.0.1: trusting it lets a test play a client behind the ALB.
      TRUSTED_PROXIES: '127.0.0.1',
    });
    demo = await startDemo(config, {
      logger: recordingLogger(logLines),
      nestLogger: false,
      accessLogWrite: (line) => accessLines.push(line),
    });
  });

  afterAll(async () => {
    await demo?.close();
  });

  const signed = async (
    method: string,
    path: string,
    caller: typeof admin,
    body?: string,
    extra: Record<string, string> = {},
  ): Promise<Record<string, string>> =>
    signWithSmithy({
      baseUrl: demo.url,
      method,
      path,
      caller,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
      ...(body === undefined ? {} : { body }),
    });

  describe('GET /health (public)', () => {
    it('answers without credentials', async () => {
      const res = await request(demo.url).get('/health').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('unknown routes (PIPE-02)', () => {
    it.each([
      ['GET', '/nope'],
      ['PUT', '/pets'],
      ['GET', '/admin'],
    ])('%s %s → 403 Missing Authentication Token', async (method, path) => {
      const res = await request(demo.url)[method.toLowerCase() as 'get'](path).expect(403);
      expect(res.body).toEqual(MISSING_TOKEN);
      expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    });
  });

  describe('GET /pets (@CognitoAuth(), ID tokens: COG-02)', () => {
    it('accepts an ID token; the handler sees the claims', async () => {
      const res = await request(demo.url).get('/pets').set('Authorization', tokens.id).expect(200);
      expect(res.body.data).toHaveLength(3);
      expect(res.body.authContext).toMatchObject({
        type: 'COGNITO_USER_POOLS',
        claims: { 'cognito:username': cognito.username, token_use: 'id' },
      });
    });

    it.each([
      ['no Authorization header', undefined],
      ['an access token (no scopes on the route: ID tokens only)', 'access'],
      ['a malformed token', 'not-a-jwt'],
    ])('refuses %s with 401', async (_label, token) => {
      const value = token === 'access' ? tokens.access : token;
      const req = request(demo.url).get('/pets');
      if (value !== undefined) req.set('Authorization', value);
      const res = await req.expect(401);
      expect(res.body).toEqual(UNAUTHORIZED);
      expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
    });

    it('refuses a token whose signature was tampered with', async () => {
      const [h, p, s] = tokens.id.split('.') as [string, string, string];
      const flipped = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
      const res = await request(demo.url).get('/pets').set('Authorization', flipped).expect(401);
      expect(res.body).toEqual(UNAUTHORIZED);
    });
  });

  describe('GET /pets/{id} (@CognitoAuth({ scopes: [pets/read] }): COG-03)', () => {
    it('accepts an access token holding pets/read', async () => {
      const res = await request(demo.url)
        .get('/pets/1')
        .set('Authorization', tokens.read)
        .expect(200);
      expect(res.body.data).toMatchObject({ id: 1, type: 'dog' });
      expect(res.body.authContext).toMatchObject({ claims: { token_use: 'access' } });
    });

    it('answers 404 for a missing pet only after authorization (PIPE-03)', async () => {
      await request(demo.url).get('/pets/999').set('Authorization', tokens.read).expect(404);
      await request(demo.url).get('/pets/999').expect(401);
    });

    it.each([
      ['an ID token', 'id'],
      ['an access token without the scope', 'write'],
      ['a sign-in access token (aws.cognito.signin.user.admin only)', 'access'],
    ] as const)('refuses %s with 401', async (_label, which) => {
      const res = await request(demo.url)
        .get('/pets/1')
        .set('Authorization', tokens[which])
        .expect(401);
      expect(res.body).toEqual(UNAUTHORIZED);
    });
  });

  describe('POST /pets (@CognitoAuth({ scopes: [pets/write] }))', () => {
    it('creates a pet for an access token holding pets/write', async () => {
      const res = await request(demo.url)
        .post('/pets')
        .set('Authorization', tokens.readWrite)
        .send({ type: 'bird', price: 15.5 })
        .expect(201);
      expect(res.body.data).toMatchObject({ type: 'bird', price: 15.5 });
    });

    it('refuses pets/read only and ID tokens with 401', async () => {
      for (const token of [tokens.read, tokens.id]) {
        const res = await request(demo.url)
          .post('/pets')
          .set('Authorization', token)
          .send({ type: 'bird', price: 1 })
          .expect(401);
        expect(res.body).toEqual(UNAUTHORIZED);
      }
    });
  });

  describe('admin API and DELETE /pets/{id} (@IamAuth(), SigV4)', () => {
    it('GET /admin/pets: a signed caller whose policy allows it; $context.identity reaches the handler', async () => {
      const res = await request(demo.url)
        .get('/admin/pets')
        .set(await signed('GET', '/admin/pets', reporting))
        .expect(200);
      expect(res.body.data.length).toBeGreaterThanOrEqual(3);
      expect(res.body.authContext).toMatchObject({
        type: 'AWS_IAM',
        identity: {
          userArn: reporting.arn,
          accountId: '111122223333',
          accessKey: reporting.accessKeyId,
          sourceIp: '127.0.0.1',
        },
      });
    });

    it('GET /admin/pets/{id}', async () => {
      const res = await request(demo.url)
        .get('/admin/pets/2')
        .set(await signed('GET', '/admin/pets/2', admin))
        .expect(200);
      expect(res.body.data).toMatchObject({ id: 2, type: 'cat' });
    });

    it('POST /admin/pets with a JSON body covered by the signature', async () => {
      const body = JSON.stringify({ type: 'turtle', price: 42 });
      const res = await request(demo.url)
        .post('/admin/pets')
        .set(await signed('POST', '/admin/pets', admin, body))
        .send(body)
        .expect(201);
      expect(res.body.data).toMatchObject({ type: 'turtle', price: 42 });
    });

    it('POST /admin/pets with the body changed after signing → 403 InvalidSignatureException (SIG-22)', async () => {
      const headers = await signed('POST', '/admin/pets', admin, '{"type":"cat","price":1}');
      const res = await request(demo.url)
        .post('/admin/pets')
        .set(headers)
        .send('{"type":"cat","price":0}')
        .expect(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      // smithy signs x-amz-content-sha256, so the body hash check is what catches the change.
      expect(res.body.message).toMatch(/does not match/);
    });

    it('POST /admin/pets by a caller allowed only GET → 403 AccessDeniedException (SIG-28)', async () => {
      const body = JSON.stringify({ type: 'cat', price: 1 });
      const res = await request(demo.url)
        .post('/admin/pets')
        .set(await signed('POST', '/admin/pets', reporting, body))
        .send(body)
        .expect(403);
      expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(res.body.Message).toMatch(
        new RegExp(
          `^User: ${reporting.arn} is not authorized to perform: execute-api:Invoke on resource: ` +
            'arn:aws:execute-api:us-east-1:\\*{8}3333:petstore/prod/POST/admin/pets',
        ),
      );
    });

    it('DELETE /pets/{id}: allowed for admin, refused for reporting', async () => {
      const denied = await request(demo.url)
        .delete('/pets/3')
        .set(await signed('DELETE', '/pets/3', reporting))
        .expect(403);
      expect(denied.body.Message).toContain('is not authorized to perform: execute-api:Invoke');
      const res = await request(demo.url)
        .delete('/pets/3')
        .set(await signed('DELETE', '/pets/3', admin))
        .expect(200);
      expect(res.body.data).toMatchObject({ id: 3 });
    });

    it('unsigned → 403 Missing Authentication Token (SIG-20)', async () => {
      const res = await request(demo.url).get('/admin/pets').expect(403);
      expect(res.body).toEqual(MISSING_TOKEN);
      expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    });

    it('a Cognito token instead of a signature → 403 IncompleteSignatureException (SIG-21)', async () => {
      const res = await request(demo.url)
        .get('/admin/pets')
        .set('Authorization', `Bearer ${tokens.id}`)
        .expect(403);
      expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(res.text).not.toContain(tokens.id);
    });

    it('a wrong secret → 403 InvalidSignatureException; an unknown key → 403 (SIG-25)', async () => {
      const wrong = await request(demo.url)
        .get('/admin/pets')
        .set(await signed('GET', '/admin/pets', { ...admin, secretAccessKey: 'x'.repeat(40) }))
        .expect(403);
      expect(wrong.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      const unknown = await request(demo.url)
        .get('/admin/pets')
        .set(
          await signed('GET', '/admin/pets', {
            ...admin,
            accessKeyId: 'AKIAIOSFODNN7UNKNOWN',
          }),
        )
        .expect(403);
      expect(unknown.body).toEqual({
        message: 'The security token included in the request is invalid.',
      });
    });

    it('the resource policy refuses the admin API from a public address behind the proxy (RP-07)', async () => {
      const res = await request(demo.url)
        .get('/admin/pets')
        .set(await signed('GET', '/admin/pets', admin, undefined, {}))
        .set('X-Forwarded-For', '203.0.113.9')
        .expect(403);
      expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(res.body.Message).toMatch(/with an explicit deny in a resource-based policy$/);
      // The same address may still use the routes the policy does not restrict.
      await request(demo.url)
        .get('/orders')
        .set('Authorization', 'allow')
        .set('X-Forwarded-For', '203.0.113.9')
        .expect(200);
    });
  });

  describe('GET /orders, /orders/{id} (TOKEN Lambda authorizer)', () => {
    it('allows the token "allow"; the authorizer context reaches the handler (LO-02)', async () => {
      const res = await request(demo.url).get('/orders').set('Authorization', 'allow').expect(200);
      expect(res.body.authContext).toMatchObject({
        type: 'CUSTOM',
        principalId: 'user',
        authorizer: { stringKey: 'stringval', numberKey: '123', booleanKey: 'true' },
      });
      await request(demo.url).get('/orders/2').set('Authorization', 'allow').expect(200);
    });

    it('deny → 403 AccessDeniedException with the explicit-deny body (LO-03)', async () => {
      const res = await request(demo.url).get('/orders/1').set('Authorization', 'deny').expect(403);
      expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(res.body).toEqual({
        Message: 'User is not authorized to access this resource with an explicit deny',
      });
    });

    it('no header or "unauthorized" → 401 (LT-02, LO-05)', async () => {
      for (const req of [
        request(demo.url).get('/orders'),
        request(demo.url).get('/orders').set('Authorization', 'unauthorized'),
      ]) {
        const res = await req.expect(401);
        expect(res.body).toEqual(UNAUTHORIZED);
      }
    });

    it('an authorizer error → 500 {"message": null} AuthorizerConfigurationException (LO-05)', async () => {
      const res = await request(demo.url)
        .get('/orders')
        .set('Authorization', 'something-else')
        .expect(500);
      expect(res.text).toBe('{"message": null}');
      expect(res.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
    });
  });

  describe('GET /reports (REQUEST Lambda authorizer)', () => {
    it('allows the header and query identity sources', async () => {
      const res = await request(demo.url)
        .get('/reports?QueryString1=queryValue1')
        .set('HeaderAuth1', 'headerValue1')
        .expect(200);
      expect(res.body.data).toHaveProperty('stockValue');
      expect(res.body.authContext).toMatchObject({ type: 'CUSTOM', principalId: 'me' });
    });

    it.each([
      ['a missing identity source (LR-03)', '/reports', 'headerValue1'],
      ['a wrong header value', '/reports?QueryString1=queryValue1', 'nope'],
    ])('refuses %s with 401', async (_label, path, header) => {
      const res = await request(demo.url).get(path).set('HeaderAuth1', header).expect(401);
      expect(res.body).toEqual(UNAUTHORIZED);
    });
  });

  describe('request ids ($context.requestId)', () => {
    it('every response carries x-amzn-RequestId; refusals and both log records use the same id', async () => {
      const ok = await request(demo.url).get('/health').expect(200);
      expect(ok.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
      const refused = await request(demo.url)
        .get('/orders')
        .set('Authorization', 'deny')
        .expect(403);
      const id = refused.headers['x-amzn-requestid'] as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(id).not.toBe(ok.headers['x-amzn-requestid']);
      const records = logLines
        .filter((l) => l.includes(id))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records).toEqual([
        expect.objectContaining({
          event: 'authorization',
          requestId: id,
          model: 'custom',
          status: 403,
        }),
      ]);
      // The access line: AWS's JSON example format (ACCESS_LOG_FORMAT's default).
      await waitFor(() => accessLines.some((l) => l.includes(id)));
      const access = JSON.parse(accessLines.find((l) => l.includes(id)) ?? '{}') as unknown;
      expect(access).toMatchObject({
        requestId: id,
        httpMethod: 'GET',
        resourcePath: '/orders',
        status: '403',
        ip: '127.0.0.1',
      });
    });
  });

  describe('decision logs', () => {
    it('record every decision as JSON and hold no token, signature or secret', () => {
      const decisions = logLines.filter((l) => l.includes('"event":"authorization"'));
      expect(decisions.length).toBeGreaterThan(20);
      expect(accessLines.length).toBeGreaterThan(20);
      const all = [...logLines, ...accessLines].join('\n');
      for (const secret of [
        tokens.id,
        tokens.read,
        tokens.write,
        tokens.id.split('.')[2] as string,
        admin.secretAccessKey,
        reporting.secretAccessKey,
      ]) {
        expect(all).not.toContain(secret);
      }
      expect(all).not.toMatch(/Signature=[0-9a-f]{64}/);
    });
  });
});

describe('demo a day later (injected clock): expired credentials', () => {
  let demo: RunningDemo;
  // cognito-local tokens live 24 h (its default; Cognito: 1 h).
  const later = fixedClock(Date.now() + 25 * 3600 * 1000);

  beforeAll(async () => {
    const config = loadDemoConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_USER_POOL_ID: cognito.userPoolId,
      COGNITO_CLIENT_IDS: cognito.clientId,
      COGNITO_ISSUER: cognito.issuer,
      COGNITO_JWKS_URI: cognito.jwksUri,
      IAM_CREDENTIALS_FILE: credentialsFile,
    });
    demo = await startDemo(config, {
      logger: silentLogger,
      nestLogger: false,
      accessLogWrite: () => undefined,
      clock: later,
    });
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('an expired Cognito token → 401 "The incoming token has expired" (COG-06)', async () => {
    const res = await request(demo.url).get('/pets').set('Authorization', tokens.id).expect(401);
    expect(res.body).toEqual({ message: 'The incoming token has expired' });
    expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
  });

  it('a signature made a day ago → 403 "Signature expired" (SIG-23)', async () => {
    const headers = await signWithSmithy({
      baseUrl: demo.url,
      method: 'GET',
      path: '/admin/pets',
      caller: admin,
    });
    const res = await request(demo.url).get('/admin/pets').set(headers).expect(403);
    expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    expect(res.body.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than /);
  });
});

/** Polls `done` until true (access lines are written when the response's connection settles). */
async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('demo with BODY_LIMIT_BYTES', () => {
  let demo: RunningDemo;

  beforeAll(async () => {
    const config = loadDemoConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_USER_POOL_ID: cognito.userPoolId,
      COGNITO_CLIENT_IDS: cognito.clientId,
      COGNITO_ISSUER: cognito.issuer,
      COGNITO_JWKS_URI: cognito.jwksUri,
      IAM_CREDENTIALS_FILE: credentialsFile,
      BODY_LIMIT_BYTES: '1024',
    });
    demo = await startDemo(config, {
      logger: silentLogger,
      nestLogger: false,
      accessLogWrite: () => undefined,
    });
  });

  afterAll(async () => {
    await demo?.close();
  });

  it("a body over the limit → API Gateway's plain-text 413 naming the limit, before authorization", async () => {
    // No token: the limit is enforced before any authorization, as API Gateway does.
    const res = await request(demo.url)
      .post('/pets')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(2048) }))
      .expect(413);
    expect(res.text).toBe('HTTP content length exceeded 1024 bytes.');
  });

  it('a body within the limit reaches the route', async () => {
    await request(demo.url)
      .post('/pets')
      .set('Authorization', tokens.readWrite)
      .send({ type: 'bird', price: 15.5 })
      .expect(201);
  });
});
