/**
 * Access logs in API Gateway's own format (issue 15): AWS's documented CLF, JSON, XML and CSV
 * examples, and a format with the auth variables (GR-10, COG-07, LO-09, CTX-01), rendered for an
 * allowed, a refused and a failed request of each model, over Express and Fastify. Hostile values
 * (headers, claims, the SIG-22 body with its newlines) cannot break a JSON or CSV line, and no line
 * holds a token, a signature or a secret.
 */
import { SignJWT } from 'jose';
import {
  ACCESS_LOG_FORMATS,
  MemoryCredentialProvider,
  type CredentialProvider,
} from 'api-gateway-auth';
import { newKey, type TestKey } from '../cognito/helpers/tokens';
import { startJwksServer, type JwksServer } from '../cognito/helpers/jwks-server';
import { authorizerPolicy } from '../helpers/authorizer-policy';
import { signWithAws4 } from '../sigv4/sign-request';
import {
  nextLine,
  startObservedApp,
  type ObservedApp,
  type Platform,
} from './observability-test-app';

const ALICE = { accessKeyId: 'AKIAALICE00000000001', secretAccessKey: 'alice-secret-0000000000' };
const BROKEN = { accessKeyId: 'AKIABROKEN0000000001', secretAccessKey: 'broken-secret-000000000' };
const POOL_A = 'us-east-1_PoolA';
const POOL_B = 'us-east-1_PoolB';
const issuerOf = (pool: string): string => `https://cognito-idp.us-east-1.amazonaws.com/${pool}`;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const CLF_TIME = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;
// Header values are Latin-1 on the wire (fetch refuses anything else).
const HOSTILE_UA = 'evil", "status":"200", "x":"\\ ,; </ip><caller>root</caller> \t ünï';

/** Every auth variable, as one JSON object per line. */
const AUTH_FORMAT =
  '{"requestId":"$context.requestId","status":$context.status,"resourcePath":"$context.resourcePath",' +
  '"caller":"$context.identity.caller","userArn":"$context.identity.userArn",' +
  '"accessKey":"$context.identity.accessKey","accountId":"$context.identity.accountId",' +
  '"principalId":"$context.authorizer.principalId","tier":"$context.authorizer.tier",' +
  '"sub":"$context.authorizer.claims.sub","nick":"$context.authorizer.claims[\'custom:nick\']",' +
  '"authorizerStatus":"$context.authorizer.status","authorizerLatency":"$context.authorizer.latency",' +
  '"integrationLatency":"$context.authorizer.integrationLatency",' +
  '"authorizerError":"$context.authorizer.error","authenticateStatus":"$context.authenticate.status",' +
  '"authenticateError":"$context.authenticate.error","authorizeStatus":"$context.authorize.status",' +
  '"authorizeError":"$context.authorize.error","errorMessage":"$context.error.message",' +
  '"responseType":"$context.error.responseType","ua":"$context.identity.userAgent",' +
  '"requestTime":"$context.requestTime","epoch":$context.requestTimeEpoch,"apiKey":"$context.identity.apiKey"}';
const CSV_FORMAT = '$context.requestId,$context.identity.userAgent,$context.status';

/** A credential store that fails for one key: an infrastructure failure of the IAM model. */
function flakyStore(): CredentialProvider {
  const memory = new MemoryCredentialProvider([
    {
      ...ALICE,
      principal: { arn: 'arn:aws:iam::111122223333:user/alice' },
      policies: [
        {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
        },
      ],
    },
  ]);
  return {
    getCredential: (id: string) =>
      id === BROKEN.accessKeyId
        ? Promise.reject(new Error('credential store unreachable'))
        : memory.getCredential(id),
  };
}

interface Sent {
  status: number;
  requestId: string;
  /** The line of each access log, in the order of the formats. */
  lines: string[];
}

describe.each(['express', 'fastify'] as Platform[])('access logs on %s', (platform) => {
  let app: ObservedApp;
  let jwksA: JwksServer;
  let jwksB: JwksServer;
  let key: TestKey;
  const secrets: string[] = [ALICE.secretAccessKey, BROKEN.secretAccessKey];

  beforeAll(async () => {
    key = newKey('kid-a');
    jwksA = await startJwksServer([key.jwk]);
    jwksB = await startJwksServer([key.jwk]);
    jwksB.behaviour = { kind: 'status', status: 503 };
    app = await startObservedApp(
      platform,
      {
        iam: { credentials: flakyStore() },
        cognito: {
          userPools: [
            { userPoolId: POOL_A, clientIds: null, jwksUri: jwksA.url },
            { userPoolId: POOL_B, clientIds: null, jwksUri: jwksB.url },
          ],
        },
        authorizers: {
          orders: {
            type: 'TOKEN',
            ttlSeconds: 0,
            handler: (event: { authorizationToken: string }) => {
              if (event.authorizationToken === 'crash') throw new Error('boom');
              return Promise.resolve(
                authorizerPolicy(event.authorizationToken === 'deny' ? 'Deny' : 'Allow', 'user-1', {
                  tier: 'gold',
                }),
              );
            },
          },
        },
      },
      [
        { format: 'CLF' },
        { format: 'JSON' },
        { format: 'XML' },
        { format: 'CSV' },
        { format: AUTH_FORMAT },
        { format: CSV_FORMAT },
      ],
    );
  });

  afterAll(async () => {
    await app.close();
    await jwksA.close();
    await jwksB.close();
  });

  async function send(path: string, headers: Record<string, string> = {}): Promise<Sent> {
    const counts = app.lines.map((l) => l.length);
    const response = await fetch(`${app.url}${path}`, { headers });
    await response.arrayBuffer();
    const lines = await Promise.all(app.lines.map((list, i) => nextLine(list, counts[i] ?? 0)));
    for (const line of lines) {
      expect(line).not.toMatch(/[\r\n]/);
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
    return {
      status: response.status,
      requestId: response.headers.get('x-amzn-requestid') ?? '',
      lines,
    };
  }

  function signed(credentials: typeof ALICE, path: string, tamper = false): Record<string, string> {
    const host = new URL(app.url).host;
    const result = signWithAws4({ method: 'GET', host, path, date: new Date() }, credentials);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers)) headers[name.toLowerCase()] = value;
    if (tamper) {
      const authorization = headers.authorization ?? '';
      headers.authorization =
        authorization.slice(0, -1) + (authorization.endsWith('0') ? '1' : '0');
    }
    const signature = /Signature=([0-9a-f]+)/.exec(headers.authorization ?? '')?.[1];
    if (signature) secrets.push(signature);
    return headers;
  }

  async function token(
    pool: string,
    claims: Record<string, unknown> = {},
    expired = false,
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ token_use: 'id', aud: 'app-client', sub: 'alice', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(issuerOf(pool))
      .setIssuedAt(expired ? now - 7200 : now)
      .setExpirationTime(expired ? now - 3600 : now + 600)
      .sign(key.privateKey);
    secrets.push(jwt);
    return jwt;
  }

  const auth = (sent: Sent): Record<string, unknown> =>
    JSON.parse(sent.lines[4] ?? '') as Record<string, unknown>;

  /**
   * Sends a request expecting `status`, checks AWS's four examples render it with `resourcePath`,
   * and returns the line with every auth variable.
   */
  async function decided(
    resourcePath: string,
    status: number,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const sent = await send(path, headers);
    expect(sent.status).toBe(status);
    checkExamples(sent, resourcePath);
    return auth(sent);
  }

  /** AWS's four examples agree with each other and with the response. */
  function checkExamples(sent: Sent, resourcePath: string): void {
    const [clf, json, xml, csv] = sent.lines as [string, string, string, string];
    const parsed = JSON.parse(json) as Record<string, string>;
    expect(parsed).toMatchObject({
      requestId: sent.requestId,
      extendedRequestId: sent.requestId,
      ip: '127.0.0.1',
      httpMethod: 'GET',
      resourcePath,
      status: String(sent.status),
      protocol: 'HTTP/1.1',
    });
    expect(parsed.requestTime).toMatch(CLF_TIME);
    expect(Number(parsed.responseLength)).toBeGreaterThan(0);
    const { caller, user, requestTime, responseLength } = parsed;
    expect(clf).toBe(
      `127.0.0.1 ${caller} ${user} [${requestTime}]"GET ${resourcePath} HTTP/1.1" ${sent.status} ${responseLength} ${sent.requestId} ${sent.requestId}`,
    );
    expect(xml).toContain(`<request id="${sent.requestId}">`);
    expect(xml).toContain(`<status>${sent.status}</status>`);
    expect(xml).toContain(`<resourcePath>${resourcePath}</resourcePath>`);
    expect(csv.split(',')).toEqual([
      '127.0.0.1',
      caller,
      user,
      requestTime,
      'GET',
      resourcePath,
      'HTTP/1.1',
      String(sent.status),
      responseLength,
      sent.requestId,
      sent.requestId,
    ]);
  }

  describe('@IamAuth (SigV4)', () => {
    it('allowed: the caller identity (CTX-01), authenticate and authorize 200', async () => {
      expect(await decided('/pets/{id}', 200, '/pets/7', signed(ALICE, '/pets/7'))).toMatchObject({
        status: 200,
        userArn: 'arn:aws:iam::111122223333:user/alice',
        accessKey: ALICE.accessKeyId,
        accountId: '111122223333',
        authenticateStatus: '200',
        authorizeStatus: '200',
        authorizerStatus: '-',
        principalId: '-',
        errorMessage: '-',
        responseType: '-',
        apiKey: '-',
        // $context.identity.caller: the caller's unique id (CTX-01).
        caller: expect.not.stringMatching(/^-$/),
      });
    });

    it('refused: a bad signature fails authentication (403, the SIG-22 message, escaped)', async () => {
      const line = await decided('/pets/{id}', 403, '/pets/7', signed(ALICE, '/pets/7', true));
      expect(line).toMatchObject({
        status: 403,
        caller: '-',
        authenticateStatus: '403',
        authorizeStatus: '-',
        responseType: 'INVALID_SIGNATURE',
      });
      expect(line.errorMessage).toMatch(/^The request signature we calculated does not match/);
      expect(line.authenticateError).toBe(line.errorMessage);
    });

    it('failed: the credential store is down (500, AUTHORIZER_CONFIGURATION_ERROR)', async () => {
      expect(await decided('/pets/{id}', 500, '/pets/7', signed(BROKEN, '/pets/7'))).toMatchObject({
        status: 500,
        authenticateStatus: '500',
        responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
      });
    });
  });

  describe('@CognitoAuth', () => {
    it('allowed: claims (COG-07), authorizer 200, a hostile claim kept on one line', async () => {
      const nick = 'a"b\nc,d\\e</nick>';
      const line = await decided('/profile', 200, '/profile', {
        authorization: await token(POOL_A, { 'custom:nick': nick }),
      });
      expect(line).toMatchObject({
        sub: 'alice',
        nick,
        authorizerStatus: '200',
        authorizeStatus: '200',
        authenticateStatus: '-',
        caller: '-',
        principalId: '-',
      });
      expect(Number(line.authorizerLatency)).toBeGreaterThanOrEqual(0);
    });

    it('refused: an expired token is 401 with the authorizer error (COG-05)', async () => {
      expect(
        await decided('/profile', 401, '/profile', {
          authorization: await token(POOL_A, {}, true),
        }),
      ).toMatchObject({
        sub: '-',
        authorizerStatus: '401',
        authorizerError: 'The incoming token has expired',
        authorizeStatus: '-',
        errorMessage: 'The incoming token has expired',
        responseType: 'UNAUTHORIZED',
      });
    });

    it('failed: the JWKS endpoint answers 503 and no key is cached (401, as API Gateway)', async () => {
      expect(
        await decided('/profile', 401, '/profile', { authorization: await token(POOL_B) }),
      ).toMatchObject({ authorizerStatus: '401', responseType: 'UNAUTHORIZED' });
    });
  });

  describe('@CustomAuthorizer (Lambda TOKEN authorizer)', () => {
    it('allowed: principalId and context (LO-09, LO-02), integration latency', async () => {
      const line = await decided('/orders', 200, '/orders', { authorization: 'allow-me' });
      expect(line).toMatchObject({
        principalId: 'user-1',
        tier: 'gold',
        authorizerStatus: '200',
        authorizeStatus: '200',
        sub: '-',
      });
      expect(line.integrationLatency).toMatch(/^\d+$/);
    });

    it('refused: an explicit Deny is 403 at the authorize step', async () => {
      expect(await decided('/orders', 403, '/orders', { authorization: 'deny' })).toMatchObject({
        principalId: '-',
        authorizerStatus: '403',
        authorizeStatus: '403',
        authorizeError: 'User is not authorized to access this resource with an explicit deny',
        responseType: 'ACCESS_DENIED',
      });
    });

    it('failed: the authorizer crashes (500, no identity, error type logged)', async () => {
      expect(await decided('/orders', 500, '/orders', { authorization: 'crash' })).toMatchObject({
        authorizerStatus: '500',
        authorizeStatus: '-',
        responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
        errorMessage: '-',
      });
    });
  });

  it('an unguarded route logs no auth variables', async () => {
    const sent = await send('/health');
    expect(sent.status).toBe(200);
    expect(auth(sent)).toMatchObject({
      authorizerStatus: '-',
      authorizeStatus: '-',
      responseType: '-',
    });
  });

  it('hostile header values cannot break a JSON or CSV line', async () => {
    const sent = await send('/orders', { authorization: 'allow-me', 'user-agent': HOSTILE_UA });
    const line = auth(sent);
    expect(line.ua).toBe(HOSTILE_UA);
    expect(line.status).toBe(200);
    const fields = parseCsvLine(sent.lines[5] ?? '');
    expect(fields).toEqual([sent.requestId, HOSTILE_UA.replace('\t', '\\x09'), '200']);
  });

  it('a client UUID in x-amzn-RequestId becomes $context.requestId, as in API Gateway', async () => {
    const id = '8c8f2f5e-3b1f-4c7a-9a1e-2f1d3c4b5a69';
    const sent = await send('/health', { 'x-amzn-requestid': id });
    expect(sent.requestId).toBe(id);
    const json = JSON.parse(sent.lines[1] ?? '') as Record<string, string>;
    expect(json.requestId).toBe(id);
    expect(json.extendedRequestId).toMatch(new RegExp(`^${UUID}$`));
    expect(json.extendedRequestId).not.toBe(id);
  });
});

/** RFC 4180 fields of one line. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

it('the built-in formats are AWS examples, each with $context.requestId', () => {
  for (const format of Object.values(ACCESS_LOG_FORMATS))
    expect(format).toContain('$context.requestId');
});
