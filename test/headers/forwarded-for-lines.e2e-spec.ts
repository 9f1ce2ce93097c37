// X-Forwarded-For sent on several lines is one list (RFC 9110 §5.3): behind a trusted proxy, a
// client's own `X-Forwarded-For: 10.1.2.3` line plus the proxy's `X-Forwarded-For: 8.8.8.8` line are
// the hops `10.1.2.3, 8.8.8.8`, and the right-most untrusted hop, 8.8.8.8, is the caller (IMPL-03).
// A resource policy denying 8.8.8.8 must deny it however the hops arrive, on IAM, Cognito and
// Lambda-authorizer routes, on Express and on Fastify. Requests are written line by line (supertest
// would merge repeated lines) and the bytes sent are checked.
import 'reflect-metadata';
import { Controller, Get, Module, Req, type INestApplication } from '@nestjs/common';
import { fixedClock, silentLogger, type GatewayAuthOptions } from 'api-gateway-auth';
import {
  AuthContext,
  CognitoAuth,
  CustomAuthorizer,
  GatewayAuthModule,
  IamAuth,
} from 'api-gateway-auth/nest';
import { tokenAuthorizer } from '../../examples/authorizers/token-authorizer';
import { StaticKeySource } from '../cognito/helpers/tokens';
import { linesNamed, sendLines } from '../helpers/raw-header-lines';
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

const POOL = pool('us-east-1_Lines1');
/** The address the resource policy denies: the real client in the spoof cases. */
const DENIED = '8.8.8.8';
/** An address the client claims for itself. */
const CLAIMED = '10.1.2.3';

const OPTIONS: GatewayAuthOptions = {
  api: API,
  clock: fixedClock(NOW.getTime()),
  logger: silentLogger,
  // The proxy in front of the app (the ALB) is the loopback here.
  trustedProxies: ['127.0.0.1/32', '::1/128'],
  resourcePolicy: {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: `${ARN}/*`,
        Condition: { IpAddress: { 'aws:SourceIp': `${DENIED}/32` } },
      },
    ],
  },
  iam: {
    credentials: [
      {
        ...ALICE,
        principal: { arn: ALICE_ARN },
        policies: [ALLOW_ALL],
      },
    ],
  },
  cognito: {
    userPools: [
      { userPoolId: POOL.id, clientIds: ['c1'], keySource: new StaticKeySource([POOL.key]) },
    ],
  },
  authorizers: { token: { type: 'TOKEN', ttlSeconds: 0, handler: tokenAuthorizer } },
};

interface RawRequestLike {
  rawHeaders?: string[];
  raw?: { rawHeaders?: string[] };
}

/** What each route answers: the caller's context and how many X-Forwarded-For lines arrived. */
function seen(auth: AuthContext, req: RawRequestLike): unknown {
  const raw = req.raw?.rawHeaders ?? req.rawHeaders ?? [];
  const lines = raw.filter((_v, i) => i % 2 === 0 && raw[i]?.toLowerCase() === 'x-forwarded-for');
  return { auth, forwardedForLines: lines.length };
}

@Controller()
class LinesController {
  @IamAuth()
  @Get('iam')
  iam(@AuthContext() auth: AuthContext, @Req() req: RawRequestLike): unknown {
    return seen(auth, req);
  }

  @CognitoAuth()
  @Get('cognito')
  cognito(@AuthContext() auth: AuthContext, @Req() req: RawRequestLike): unknown {
    return seen(auth, req);
  }

  @CustomAuthorizer('token')
  @Get('lambda')
  lambda(@AuthContext() auth: AuthContext, @Req() req: RawRequestLike): unknown {
    return seen(auth, req);
  }
}

@Module({ imports: [GatewayAuthModule.forRoot(OPTIONS)], controllers: [LinesController] })
class LinesModule {}

type Model = 'iam' | 'cognito' | 'lambda';

/** The lines that authenticate a GET of `/<model>` (a SigV4 signature, a JWT, a token). */
async function credentialLines(model: Model, host: string): Promise<Lines> {
  switch (model) {
    case 'iam':
      return signedLines(host, '/iam');
    case 'cognito':
      return [
        ['Host', host],
        ['Authorization', await POOL.idToken()],
      ];
    case 'lambda':
      return [
        ['Host', host],
        ['Authorization', 'allow'],
      ];
  }
}

/** API Gateway's explicit-deny answer for each model when the resource policy denies the IP. */
function explicitDeny(model: Model): unknown {
  switch (model) {
    case 'iam':
      // SIG-29 / RP-07: the IAM caller's ARN, the masked method ARN.
      return {
        Message:
          'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:petstore/prod/GET/iam with an explicit deny in a resource-based policy',
      };
    case 'cognito':
    case 'lambda':
      // RP-07 / PIPE-04: the caller is not an IAM principal.
      return {
        Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:petstore/prod/GET/${model} with an explicit deny in a resource-based policy`,
      };
  }
}

describe.each(['express', 'fastify'] as const)('X-Forwarded-For lines on %s', (platform) => {
  let app: INestApplication;
  let url: string;
  let host: string;
  beforeAll(async () => {
    ({ app, url, host } = await listenLinesApp(LinesModule, platform));
  });
  afterAll(async () => {
    await app.close();
  });

  const get = async (model: Model, forwarded: Lines) => {
    const lines = [...(await credentialLines(model, host)), ...forwarded];
    return sendLines(url, { method: 'GET', url: `/${model}`, lines });
  };

  describe.each<Model>(['iam', 'cognito', 'lambda'])('%s route', (model) => {
    it('two lines: the client-chosen first line does not hide the proxy-added caller (denied)', async () => {
      const res = await get(model, [
        ['X-Forwarded-For', CLAIMED],
        ['X-Forwarded-For', DENIED],
      ]);
      expect(linesNamed(res.sentHead, 'x-forwarded-for')).toBe(2);
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(res.body).toEqual(explicitDeny(model));
    });

    it('one comma-joined line with the same hops: denied alike', async () => {
      const res = await get(model, [['X-Forwarded-For', `${CLAIMED}, ${DENIED}`]]);
      expect(linesNamed(res.sentHead, 'x-forwarded-for')).toBe(1);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(explicitDeny(model));
    });

    it('two lines whose last hop is allowed: the right-most untrusted hop is the caller', async () => {
      const res = await get(model, [
        ['X-Forwarded-For', DENIED],
        ['x-forwarded-for', CLAIMED],
      ]);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ forwardedForLines: 2 });
      const auth = (res.body as { auth: Record<string, unknown> }).auth;
      const sourceIp =
        model === 'iam' ? (auth.identity as { sourceIp: string }).sourceIp : auth.sourceIp;
      expect(sourceIp).toBe(CLAIMED);
    });
  });
});
