// The always-run tier of identity proofs (issue 13): a hostile local STS of our own
// (hostile-sts.ts, which verifies SigV4 for real) and hostile proofs. Every refusal answers with
// API Gateway's status, body and x-amzn-ErrorType; a proof that can be refused without STS is
// refused without calling it ("cheaply"); an STS that misbehaves fails closed with a 500, and is
// asked again next time (not cached). Wire contract: docs/iam-auth.md, "Identity proofs".
import { createServer as createNetServer, type Socket } from 'node:net';
import {
  AuthError,
  GatewayAuth,
  fixedClock,
  silentLogger,
  type HttpRequest,
} from '../../libs/gateway-auth/src';
import { signIdentityProof } from '../../libs/gateway-auth/src/client';
import { startHostileSts, type HostileSts, type StsBehaviour } from './hostile-sts';
import { encodeProof, proofFields, proofHeader, type ProofVariant } from './proofs';

const NOW = new Date('2026-03-01T10:00:00Z');
const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const AUDIENCE = 'arn:aws:execute-api:us-east-1:111122223333:petstore';
/** A Lambda's role session in another account (its policies are not readable here). */
const CALLER = {
  accessKeyId: 'ASIACALLER0000000001',
  secretAccessKey: 'caller-secret-key-0000000000000000000000',
  sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==',
};
const CALLER_ARN = 'arn:aws:sts::444455556666:assumed-role/orders-lambda/orders-fn';
const OTHER = {
  accessKeyId: 'AKIAOTHER00000000001',
  secretAccessKey: 'other-secret-key-00000000000000000000000',
};
const RESOURCE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: 'execute-api:Invoke',
      Resource: 'execute-api:/*',
    },
  ],
};

let sts: HostileSts;
let clock: ReturnType<typeof fixedClock>;
let gateway: GatewayAuth;

beforeAll(async () => {
  sts = await startHostileSts([
    { ...CALLER, arn: CALLER_ARN, userId: 'AROACALLER:orders-fn', account: '444455556666' },
    {
      ...OTHER,
      arn: 'arn:aws:iam::444455556666:user/other',
      userId: 'AIDAOTHER',
      account: '444455556666',
    },
  ]);
});
afterAll(async () => {
  await sts.close();
});
beforeEach(() => {
  sts.behaviour = 'honest';
  sts.received.length = 0;
  clock = fixedClock(NOW.getTime());
  gateway = new GatewayAuth({
    api: API,
    resourcePolicy: RESOURCE_POLICY,
    iam: {
      identityProofs: { stsEndpoint: sts.url, timeoutMs: 400 },
      identityPolicies: { unreadableIdentityPolicies: 'resource-policy-only' },
    },
    clock,
    logger: silentLogger,
  });
});
afterEach(async () => {
  await gateway.close();
});

const valid = (overrides: Partial<ProofVariant> = {}): ProofVariant => ({
  audience: AUDIENCE,
  credentials: CALLER,
  date: NOW,
  ...overrides,
});

function request(headers: Record<string, string | string[]>): HttpRequest {
  return {
    method: 'GET',
    path: '/pets',
    rawQuery: '',
    headers,
    sourceIp: '203.0.113.9',
    secure: true,
  };
}

interface Outcome {
  status: number;
  errorType?: string;
  body?: Record<string, unknown>;
  code?: string;
  userArn?: string | null;
}

async function send(headers: Record<string, string | string[]>): Promise<Outcome> {
  try {
    const context = await gateway.authorize(request(headers), { model: 'iam', options: {} });
    return { status: 200, userArn: context.type === 'AWS_IAM' ? context.identity.userArn : null };
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const rendered = gateway.render(error);
    return {
      status: rendered.statusCode,
      errorType: rendered.headers['x-amzn-ErrorType'],
      body: JSON.parse(rendered.body) as Record<string, unknown>,
      code: error.code,
    };
  }
}

const proof = (value: string): Record<string, string> => ({ 'x-gateway-auth-identity': value });

/** A valid proof whose `authorization` had `from` replaced with `to` after signing. */
async function tampered(from: string, to: string): Promise<Record<string, string>> {
  const fields = await proofFields(valid());
  return proof(encodeProof({ ...fields, authorization: fields.authorization.replace(from, to) }));
}

describe('a valid proof', () => {
  it('is verified by one STS call, then answered from the cache until it expires', async () => {
    const header = await signIdentityProof({
      audience: AUDIENCE,
      region: 'us-east-1',
      credentials: CALLER,
      date: NOW,
    });
    expect(await send(proof(header))).toEqual({ status: 200, userArn: CALLER_ARN });
    expect(await send(proof(header))).toEqual({ status: 200, userArn: CALLER_ARN });
    expect(sts.received).toHaveLength(1);
    // Rebuilt, not relayed: our host, body, audience; the caller's date, Authorization, token.
    const [sent] = sts.received;
    expect(sent?.headers.host).toBe('sts.us-east-1.amazonaws.com');
    expect(sent?.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(sent?.headers['x-gateway-auth-audience']).toBe(AUDIENCE);
    expect(sent?.headers['x-amz-security-token']).toBe(CALLER.sessionToken);
    expect(Object.keys(sent?.headers ?? {}).sort()).toEqual([
      'authorization',
      'connection',
      'content-length',
      'content-type',
      'host',
      'x-amz-date',
      'x-amz-security-token',
      'x-gateway-auth-audience',
    ]);
    clock.advance(15 * 60_000 + 1);
    expect((await send(proof(header))).code).toBe('IDENTITY_PROOF_EXPIRED');
  });

  it('makes one STS call for many concurrent first uses', async () => {
    const header = await proofHeader(valid());
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => send(proof(header))));
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    expect(sts.received).toHaveLength(1);
  });

  it('is accepted when the signer also signed x-amz-content-sha256 (smithy by default)', async () => {
    expect((await send(proof(await proofHeader(valid({ applyChecksum: true }))))).status).toBe(200);
    expect(sts.received[0]?.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts padding, and long-term keys without a token', async () => {
    const fields = await proofFields(valid({ credentials: OTHER }));
    const padded = Buffer.from(JSON.stringify(fields))
      .toString('base64')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    expect(await send(proof(padded))).toEqual({
      status: 200,
      userArn: 'arn:aws:iam::444455556666:user/other',
    });
  });
});

describe('hostile proofs are refused, those that can be without calling STS', () => {
  const incomplete = { status: 403, errorType: 'IncompleteSignatureException' };
  const invalid = { status: 403, errorType: 'InvalidSignatureException' };
  const sig25 = {
    status: 403,
    errorType: 'AccessDeniedException',
    body: { message: 'The security token included in the request is invalid.' },
  };
  const cases: [string, () => Promise<Record<string, string | string[]>>, object, number][] = [
    [
      'two X-Gateway-Auth-Identity headers',
      async () => {
        const header = await proofHeader(valid());
        return { 'x-gateway-auth-identity': [header, header] };
      },
      incomplete,
      0,
    ],
    ['over 8 KiB', () => Promise.resolve(proof('A'.repeat(8193))), incomplete, 0],
    ['not base64url', () => Promise.resolve(proof('eyJ2IjoxfQ==!')), incomplete, 0],
    [
      'base64url of something not JSON',
      () => Promise.resolve(proof(Buffer.from('{v:1').toString('base64url'))),
      incomplete,
      0,
    ],
    [
      'invalid UTF-8',
      () => Promise.resolve(proof(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64url'))),
      incomplete,
      0,
    ],
    ['a JSON array', () => Promise.resolve(proof(encodeProof([1]))), incomplete, 0],
    [
      'an unknown field',
      async () => proof(encodeProof({ ...(await proofFields(valid())), host: 'evil' })),
      incomplete,
      0,
    ],
    [
      'a case-variant duplicate field',
      async () => {
        const fields = await proofFields(valid());
        return proof(encodeProof({ ...fields, Authorization: fields.authorization }));
      },
      incomplete,
      0,
    ],
    [
      'v 2',
      async () => proof(encodeProof({ ...(await proofFields(valid())), v: 2 })),
      incomplete,
      0,
    ],
    ['SigV4a', () => tampered('AWS4-HMAC-SHA256', 'AWS4-ECDSA-P256-SHA256'), incomplete, 0],
    [
      'a date that is no X-Amz-Date',
      async () =>
        proof(encodeProof({ ...(await proofFields(valid())), date: '2026-03-01T10:00:00Z' })),
      incomplete,
      0,
    ],
    [
      'a token with a line break',
      async () =>
        proof(encodeProof({ ...(await proofFields(valid())), token: 'abc\r\nx-evil: 1' })),
      incomplete,
      0,
    ],
    [
      'a region not allowed',
      async () => proof(await proofHeader(valid({ region: 'eu-west-1' }))),
      invalid,
      0,
    ],
    [
      "a region other than the scope's",
      async () => proof(encodeProof({ ...(await proofFields(valid())), region: 'us-west-2' })),
      invalid,
      0,
    ],
    [
      'a service other than sts',
      async () => proof(await proofHeader(valid({ service: 'execute-api' }))),
      invalid,
      0,
    ],
    [
      'an extra signed header',
      async () => proof(await proofHeader(valid({ extraHeaders: { 'x-forwarded-host': 'evil' } }))),
      invalid,
      0,
    ],
    [
      'the audience not signed',
      async () => proof(await proofHeader(valid({ omitAudience: true }))),
      invalid,
      0,
    ],
    [
      'a signed header listed twice (case variants collapse: CVE-2022-2385)',
      () => tampered('SignedHeaders=content-type;host;', 'SignedHeaders=content-type;host;host;'),
      invalid,
      0,
    ],
    ['an upper-case signed header name', () => tampered(';host;', ';Host;'), incomplete, 0],
    [
      'a token the signature does not cover',
      async () => {
        const fields = await proofFields(valid({ credentials: OTHER }));
        return proof(encodeProof({ ...fields, token: CALLER.sessionToken }));
      },
      invalid,
      0,
    ],
    [
      'a date 15 minutes and 1 second old',
      async () => proof(await proofHeader(valid({ date: new Date(NOW.getTime() - 901_000) }))),
      invalid,
      0,
    ],
    [
      'a date 5 minutes and 1 second ahead',
      async () => proof(await proofHeader(valid({ date: new Date(NOW.getTime() + 301_000) }))),
      invalid,
      0,
    ],
    [
      'another audience',
      async () =>
        proof(
          await proofHeader(
            valid({ audience: 'arn:aws:execute-api:us-east-1:111122223333:other-api' }),
          ),
        ),
      sig25,
      1,
    ],
    [
      'another host (the global endpoint)',
      async () => proof(await proofHeader(valid({ host: 'sts.amazonaws.com' }))),
      sig25,
      1,
    ],
    [
      'another action',
      async () =>
        proof(await proofHeader(valid({ body: 'Action=GetSessionToken&Version=2011-06-15' }))),
      sig25,
      1,
    ],
    [
      'an unknown access key',
      async () =>
        proof(
          await proofHeader(
            valid({ credentials: { ...OTHER, accessKeyId: 'AKIAUNKNOWN000000001' } }),
          ),
        ),
      sig25,
      1,
    ],
    [
      'an execute-api signature by another key',
      async () => ({
        ...proof(await proofHeader(valid())),
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAOTHER00000000001/20260301/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=' +
          '0'.repeat(64),
      }),
      sig25,
      1,
    ],
  ];
  cases.push([
    'a second Authorization line signed by another key (every line is read)',
    async () => ({
      ...proof(await proofHeader(valid())),
      authorization: [
        `AWS4-HMAC-SHA256 Credential=${CALLER.accessKeyId}/20260301/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
        `AWS4-HMAC-SHA256 Credential=AKIAOTHER00000000001/20260301/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
      ],
    }),
    sig25,
    1,
  ]);
  cases.push([
    'over 8 KiB, otherwise well formed',
    async () =>
      proof(
        await proofHeader(valid({ credentials: { ...CALLER, sessionToken: 'T'.repeat(6100) } })),
      ),
    incomplete,
    0,
  ]);
  it.each(cases)('%s', async (_name, headers, expected, stsCalls) => {
    const outcome = await send(await headers());
    expect(outcome).toMatchObject(expected);
    expect(sts.received).toHaveLength(stsCalls);
    // Never an echo of the proof in the body.
    expect(JSON.stringify(outcome.body)).not.toContain('Signature=');
  });

  it("an old date answers with SIG-23's wording", async () => {
    const outcome = await send(
      proof(await proofHeader(valid({ date: new Date(NOW.getTime() - 901_000) }))),
    );
    expect(outcome.body).toEqual({
      message:
        'Signature expired: 20260301T094459Z is now earlier than 20260301T094500Z (20260301T100000Z - 15 min.)',
    });
  });

  it('a refusal by STS is remembered briefly (5 s), then STS is asked again', async () => {
    const header = await proofHeader(valid({ audience: 'another' }));
    await send(proof(header));
    await send(proof(header));
    expect(sts.received).toHaveLength(1);
    clock.advance(5001);
    await send(proof(header));
    expect(sts.received).toHaveLength(2);
  });
});

describe('a hostile or failing STS fails closed with a 500, not cached', () => {
  const failClosed = {
    status: 500,
    errorType: 'AuthorizerConfigurationException',
    body: { message: null },
    code: 'STS_UNAVAILABLE',
  };
  const behaviours: StsBehaviour[] = [
    'redirect',
    'html',
    'json',
    'doctype',
    'doctype-valid',
    'entity',
    'entity-in-metadata',
    'xml-as-html',
    'two-results',
    'nested-in-error',
    'oversize',
    'slow',
    '500',
    'throttling',
    'account-mismatch',
    'other-partition',
  ];
  it.each(behaviours)('%s', async (behaviour) => {
    sts.behaviour = behaviour;
    const header = await proofHeader(valid());
    expect(await send(proof(header))).toMatchObject(failClosed);
    sts.behaviour = 'honest';
    expect(await send(proof(header))).toEqual({ status: 200, userArn: CALLER_ARN });
    expect(sts.received).toHaveLength(2);
  });

  it('an expired session answers SIG-26', async () => {
    sts.behaviour = 'expired-token';
    expect(await send(proof(await proofHeader(valid())))).toMatchObject({
      status: 403,
      errorType: 'ExpiredTokenException',
      body: { message: 'The security token included in the request is expired' },
    });
  });

  it('an unreachable STS', async () => {
    const closed = new GatewayAuth({
      api: API,
      resourcePolicy: RESOURCE_POLICY,
      iam: { identityProofs: { stsEndpoint: 'http://127.0.0.1:1', timeoutMs: 400 } },
      clock,
      logger: silentLogger,
    });
    try {
      await expect(async () =>
        closed.authorize(request(proof(await proofHeader(valid()))), {
          model: 'iam',
          options: {},
        }),
      ).rejects.toMatchObject({ code: 'STS_UNAVAILABLE', category: 'infrastructure' });
    } finally {
      await closed.close();
    }
  });

  describe('an IAM that never answers fails closed with a 500, within the deadline', () => {
    it('a same-account caller whose policies must be read', async () => {
      const held: Socket[] = [];
      const blackHole = createNetServer((socket) => held.push(socket)); // accepts, never answers
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
      const { port } = blackHole.address() as { port: number };
      const names = [
        'AWS_ENDPOINT_URL_IAM',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
      ];
      const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_IAM: `http://127.0.0.1:${port}`,
        AWS_ACCESS_KEY_ID: 'AKIASERVICE000000001',
        AWS_SECRET_ACCESS_KEY: 'service-secret-key-0000000000000000000',
      });
      delete process.env.AWS_SESSION_TOKEN;
      const sameAccount = new GatewayAuth({
        api: { ...API, accountId: '444455556666' },
        iam: { identityProofs: { stsEndpoint: sts.url } },
        clock,
        logger: silentLogger,
      });
      const started = Date.now();
      try {
        await expect(async () =>
          sameAccount.authorize(
            request(
              proof(
                await proofHeader(
                  valid({ audience: 'arn:aws:execute-api:us-east-1:444455556666:petstore' }),
                ),
              ),
            ),
            {
              model: 'iam',
              options: {},
            },
          ),
        ).rejects.toMatchObject({ code: 'IAM_UNAVAILABLE', category: 'infrastructure' });
        expect(Date.now() - started).toBeLessThan(20_000);
      } finally {
        await sameAccount.close();
        for (const name of names) {
          if (saved[name] === undefined) delete process.env[name];
          else process.env[name] = saved[name];
        }
        for (const socket of held) socket.destroy();
        await new Promise((resolve) => blackHole.close(resolve));
      }
    }, 30_000);
  });
});
