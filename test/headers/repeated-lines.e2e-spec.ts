// Every header the models read, sent on two lines and as the same values on one comma-joined line,
// on Express and on Fastify. No model reads the first line alone: the two shapes are one value
// (RFC 9110 §5.3), joined with `,` as SigV4 signs a repeated header (SIG-05), and get the same answer.
// What each answer is, and why, is the table in docs/headers.md.
import 'reflect-metadata';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { fixedClock, silentLogger, type GatewayAuthOptions } from 'api-gateway-auth';
import {
  AuthContext,
  CognitoAuth,
  CustomAuthorizer,
  GatewayAuthModule,
  IamAuth,
} from 'api-gateway-auth/nest';
import { StaticKeySource } from '../cognito/helpers/tokens';
import { authorizerPolicy } from '../helpers/authorizer-policy';
import { linesNamed, sendLines, type LinesResponse } from '../helpers/raw-header-lines';
import type { TestCredentials } from '../sigv4/sign-request';
import {
  ALICE,
  ALICE_ARN,
  ALLOW_ALL,
  API,
  ARN,
  listenLinesApp,
  NOW,
  pool,
  signedLines,
  type Lines,
} from './lines-app';

const POOL = pool('us-east-1_Repeat1');

const BOB: TestCredentials = {
  accessKeyId: 'ASIABOB0000000000001',
  secretAccessKey: 'bob-secret-key-00000000000000000000000',
  sessionToken: 'FwoGZXIvYXdzEBob/session+token==',
};

/** Events each authorizer was invoked with (cleared before each test). */
const events: {
  token: string[];
  rest: Record<string, unknown>[];
  http: Record<string, unknown>[];
} = {
  token: [],
  rest: [],
  http: [],
};

const OPTIONS: GatewayAuthOptions = {
  api: API,
  clock: fixedClock(NOW.getTime()),
  logger: silentLogger,
  iam: {
    credentials: [
      {
        ...ALICE,
        principal: { arn: ALICE_ARN },
        policies: [
          ALLOW_ALL,
          {
            // aws:UserAgent (RP-08) is the header's whole value: every line of it.
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Action: 'execute-api:Invoke',
                Resource: `${ARN}/*`,
                Condition: { StringLike: { 'aws:UserAgent': '*blocked*' } },
              },
            ],
          },
        ],
      },
      {
        ...BOB,
        principal: { arn: 'arn:aws:sts::111122223333:assumed-role/reader/bob' },
        policies: [ALLOW_ALL],
      },
    ],
  },
  cognito: {
    userPools: [
      { userPoolId: POOL.id, clientIds: ['c1'], keySource: new StaticKeySource([POOL.key]) },
    ],
  },
  authorizers: {
    token: {
      type: 'TOKEN',
      ttlSeconds: 0,
      handler: (event: { authorizationToken: string }) => {
        events.token.push(event.authorizationToken);
        return Promise.resolve(authorizerPolicy('Allow'));
      },
    },
    rest: {
      type: 'REQUEST',
      identitySource: 'method.request.header.X-Tenant',
      ttlSeconds: 300,
      handler: (event: Record<string, unknown>) => {
        events.rest.push(event);
        return Promise.resolve(authorizerPolicy('Allow'));
      },
    },
    http: {
      type: 'REQUEST',
      payloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      identitySource: ['$request.header.X-Tenant'],
      ttlSeconds: 0,
      handler: (event: Record<string, unknown>) => {
        events.http.push(event);
        return Promise.resolve({ isAuthorized: true });
      },
    },
  },
};

@Controller()
class RepeatController {
  @IamAuth()
  @Get('iam')
  iam(@AuthContext() auth: AuthContext): unknown {
    return { auth };
  }

  @CognitoAuth()
  @Get('cognito')
  cognito(@AuthContext() auth: AuthContext): unknown {
    return { auth };
  }

  @CustomAuthorizer('token')
  @Get('token')
  token(): unknown {
    return { ok: true };
  }

  @CustomAuthorizer('rest')
  @Get('rest')
  rest(): unknown {
    return { ok: true };
  }

  @CustomAuthorizer('http')
  @Get('http')
  http(): unknown {
    return { ok: true };
  }
}

@Module({ imports: [GatewayAuthModule.forRoot(OPTIONS)], controllers: [RepeatController] })
class RepeatModule {}

/** `lines` with the header `name` as two lines `values`, or as one line joining them with `,`. */
function shaped(lines: Lines, name: string, values: [string, string], shape: Shape): Lines {
  const rest = lines.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
  return shape === 'two lines'
    ? [...rest, [name, values[0]], [name, values[1]]]
    : [...rest, [name, values.join(',')]];
}

type Shape = 'two lines' | 'one line';
const SHAPES: Shape[] = ['two lines', 'one line'];

const valueOf = (lines: Lines, name: string): string =>
  lines.find(([n]) => n.toLowerCase() === name)?.[1] ?? '';

describe.each(['express', 'fastify'] as const)('repeated header lines on %s', (platform) => {
  let app: INestApplication;
  let url: string;
  let host: string;
  beforeAll(async () => {
    ({ app, url, host } = await listenLinesApp(RepeatModule, platform));
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(() => {
    events.token.length = 0;
    events.rest.length = 0;
    events.http.length = 0;
  });

  /** Sends both shapes; checks the lines went out as asked and both got the same answer. */
  async function both(
    path: string,
    lines: Lines,
    name: string,
    values: [string, string],
  ): Promise<LinesResponse> {
    const answers: LinesResponse[] = [];
    for (const shape of SHAPES) {
      const res = await sendLines(url, {
        method: 'GET',
        url: path,
        lines: shaped(lines, name, values, shape),
      });
      expect(linesNamed(res.sentHead, name)).toBe(shape === 'two lines' ? 2 : 1);
      answers.push(res);
    }
    const [two, one] = answers as [LinesResponse, LinesResponse];
    expect({ status: two.status, body: two.body }).toEqual({ status: one.status, body: one.body });
    expect(two.headers['x-amzn-errortype']).toBe(one.headers['x-amzn-errortype']);
    return two;
  }

  describe('@IamAuth (SigV4)', () => {
    it('the request as signed passes (control)', async () => {
      const res = await sendLines(url, {
        method: 'GET',
        url: '/iam',
        lines: await signedLines(host, '/iam'),
      });
      expect(res.status).toBe(200);
    });

    it('Authorization: two different signatures never make one (SIG-22)', async () => {
      const mine = await signedLines(host, '/iam');
      const other = await signedLines(host, '/iam', BOB);
      const res = await both('/iam', mine, 'Authorization', [
        valueOf(mine, 'authorization'),
        valueOf(other, 'authorization'),
      ]);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect((res.body as { message: string }).message).toMatch(
        /^The request signature we calculated does not match the signature you provided/,
      );
    });

    it('Authorization: a second line that is not SigV4 makes the whole value unparseable (SIG-21)', async () => {
      const mine = await signedLines(host, '/iam');
      const res = await both('/iam', mine, 'Authorization', [
        valueOf(mine, 'authorization'),
        'Bearer x',
      ]);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(res.body).toEqual({
        message:
          "'[redacted]' not a valid key=value pair (missing equal-sign) in Authorization header: '[redacted]'.",
      });
    });

    it('X-Amz-Date: two timestamps are not one ISO-8601 date (SIG-21)', async () => {
      const mine = await signedLines(host, '/iam');
      const date = valueOf(mine, 'x-amz-date');
      const res = await both('/iam', mine, 'X-Amz-Date', [date, date]);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
      expect(res.body).toEqual({
        message: `Date must be in ISO-8601 'basic format'. Got '${date},${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      });
    });

    it('X-Amz-Security-Token: two tokens are not the session token (SIG-25)', async () => {
      const mine = await signedLines(host, '/iam', BOB);
      const token = valueOf(mine, 'x-amz-security-token');
      const res = await both('/iam', mine, 'X-Amz-Security-Token', [token, token]);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        message: 'The security token included in the request is invalid.',
      });
    });

    it('Host: both lines are signed as one value, so the signature no longer matches (SIG-22)', async () => {
      const mine = await signedLines(host, '/iam');
      const res = await both('/iam', mine, 'Host', [host, host]);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      expect((res.body as { message: string }).message).toContain(`\nhost:${host},${host}\n`);
    });

    it('X-Amz-Content-Sha256: both lines are one signed value; the payload hash is the body’s (SIG-22)', async () => {
      const mine = await signedLines(host, '/iam');
      const hash = valueOf(mine, 'x-amz-content-sha256');
      const res = await both('/iam', mine, 'X-Amz-Content-Sha256', [hash, hash]);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
      const message = (res.body as { message: string }).message;
      expect(message).toContain(`\nx-amz-content-sha256:${hash},${hash}\n`);
      // The empty body's hash is the canonical request's last line.
      expect(message).toContain(`\n${hash}'\n\nThe String-to-Sign`);
    });

    it('User-Agent: aws:UserAgent is every line, so a Deny on the second line applies', async () => {
      // Signed without User-Agent; it is not a signed header (the client may add any).
      const mine = await signedLines(host, '/iam');
      const res = await both('/iam', mine, 'User-Agent', ['ok-agent', 'blocked-agent']);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        Message:
          'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:petstore/prod/GET/iam with an explicit deny in an identity-based policy',
      });
      const allowed = await both('/iam', mine, 'User-Agent', ['ok-agent', 'fine-agent']);
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatchObject({
        auth: { identity: { userAgent: 'ok-agent,fine-agent' } },
      });
    });
  });

  describe('@CognitoAuth', () => {
    it('Authorization: a token sent twice is refused, as its comma-joined value would be (401)', async () => {
      const token = await POOL.idToken();
      const lines: Lines = [['Host', host]];
      const once = await sendLines(url, {
        method: 'GET',
        url: '/cognito',
        lines: [...lines, ['Authorization', token]],
      });
      expect(once.status).toBe(200);
      const res = await both('/cognito', lines, 'Authorization', [token, token]);
      expect(res.status).toBe(401);
      expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
      expect(res.body).toEqual({ message: 'Unauthorized' });
    });
  });

  describe('@CustomAuthorizer', () => {
    it('TOKEN: the function gets every line joined, the same token for both shapes (LT-01)', async () => {
      const res = await both('/token', [['Host', host]], 'Authorization', ['allow', 'second']);
      expect(res.status).toBe(200);
      expect(events.token).toEqual(['allow,second', 'allow,second']);
    });

    it('REQUEST (REST): the identity value and cache key hold every line; multiValueHeaders keeps them apart (LR-01, LR-04)', async () => {
      const lines: Lines = [['Host', host]];
      const two = await sendLines(url, {
        method: 'GET',
        url: '/rest',
        lines: shaped(lines, 'X-Tenant', ['a', 'b'], 'two lines'),
      });
      expect(two.status).toBe(200);
      expect(events.rest).toHaveLength(1);
      const event = events.rest[0] as {
        headers: Record<string, string>;
        multiValueHeaders: Record<string, string[]>;
      };
      // REST keeps the last value in `headers`, every value in `multiValueHeaders`.
      expect(event.headers['X-Tenant']).toBe('b');
      expect(event.multiValueHeaders['X-Tenant']).toEqual(['a', 'b']);
      // Another second line is another identity: not answered from the first one's cache entry.
      await sendLines(url, {
        method: 'GET',
        url: '/rest',
        lines: shaped(lines, 'X-Tenant', ['a', 'c'], 'two lines'),
      });
      expect(events.rest).toHaveLength(2);
      // The same values on one comma-joined line are the same identity (a cache hit).
      const one = await sendLines(url, {
        method: 'GET',
        url: '/rest',
        lines: shaped(lines, 'X-Tenant', ['a', 'b'], 'one line'),
      });
      expect(one.status).toBe(200);
      expect(events.rest).toHaveLength(2);
    });

    it('REQUEST (HTTP API 2.0): repeated lines are comma-joined in headers and identitySource (HL-02)', async () => {
      const res = await both('/http', [['Host', host]], 'X-Tenant', ['a', 'b']);
      expect(res.status).toBe(200);
      expect(events.http).toHaveLength(2);
      for (const event of events.http) {
        expect(event).toMatchObject({ identitySource: ['a,b'], headers: { 'x-tenant': 'a,b' } });
      }
    });
  });
});
