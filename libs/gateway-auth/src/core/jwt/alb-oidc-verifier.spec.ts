// ALB `x-amzn-oidc-data` (ALB-01..05): ES256 over the padded segments as received, key by kid from a
// local stand-in for the ALB key host (PEM), signer/client/iss checks, exp in the header.
import { randomUUID, sign } from 'node:crypto';
import { startJwksServer, type JwksServer } from '../../../../../test/cognito/helpers/jwks-server';
import { newKey } from '../../../../../test/cognito/helpers/tokens';
import { fixedClock } from '../clock';
import { AuthError } from '../errors';
import { GatewayAuth } from '../gateway-auth';
import { silentLogger } from '../logger';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const NOW_S = NOW / 1000;
const SIGNER =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/demo/50dc6c495c0c9188';
const KID = randomUUID();
const albKey = newKey(KID, 'ec');

/** ALB pads its base64url segments, and the padding is part of the signed text (ALB-04). */
const padded = (value: object): string => {
  const s = Buffer.from(JSON.stringify(value)).toString('base64url');
  return s + '='.repeat((4 - (s.length % 4)) % 4);
};

function albToken(
  header: Record<string, unknown> = {},
  payload: Record<string, unknown> = {},
  key = albKey,
): string {
  const h = padded({
    typ: 'JWT',
    kid: KID,
    alg: 'ES256',
    iss: 'https://idp.example.com',
    client: 'alb-client',
    signer: SIGNER,
    exp: NOW_S + 60,
    ...header,
  });
  const p = padded({
    sub: 'user-1',
    email: 'a@example.com',
    exp: NOW_S + 60,
    iss: 'https://idp.example.com',
    ...payload,
  });
  const sig = sign('sha256', Buffer.from(`${h}.${p}`), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${h}.${p}.${sig.toString('base64url')}`;
}

describe('ALB x-amzn-oidc-data verification', () => {
  let server: JwksServer;
  let auth: GatewayAuth;
  const clock = fixedClock(NOW);

  beforeAll(async () => {
    server = await startJwksServer();
    server.pems.set(KID, albKey.publicKey.export({ format: 'pem', type: 'spki' }) as string);
    auth = new GatewayAuth({
      api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
      clock,
      logger: silentLogger,
      cognito: {
        alb: {
          region: 'us-east-1',
          signerArns: [SIGNER],
          clientIds: ['alb-client'],
          issuers: ['https://idp.example.com'],
          keyUrl: (kid) => `${server.url}/pem/${kid}`,
        },
      },
    });
  });
  afterAll(async () => {
    await auth.close();
    await server.close();
  });

  const status = async (token: string | undefined): Promise<number> => {
    try {
      await auth.authorize(
        {
          method: 'GET',
          path: '/me',
          rawQuery: '',
          headers:
            token === undefined ? {} : { 'x-amzn-oidc-data': token, authorization: 'ignored' },
          sourceIp: '10.0.0.1',
          secure: false,
        },
        { model: 'cognito', options: { source: 'alb' } },
      );
      return 200;
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return auth.render(error).statusCode;
    }
  };

  it('accepts a token signed by the ALB key and exposes the user claims', async () => {
    const ctx = await auth.authorize(
      {
        method: 'GET',
        path: '/me',
        rawQuery: '',
        headers: { 'x-amzn-oidc-data': albToken() },
        sourceIp: '10.0.0.1',
        secure: false,
      },
      { model: 'cognito', options: { source: 'alb' } },
    );
    expect(ctx).toMatchObject({
      type: 'JWT',
      issuer: 'https://idp.example.com',
      claims: { sub: 'user-1', email: 'a@example.com' },
    });
    expect(server.hits).toBe(1);
    expect(await status(albToken({}, { sub: 'user-2' }))).toBe(200);
    expect(server.hits).toBe(1);
  });

  it.each<[string, () => string | undefined]>([
    ['missing header', () => undefined],
    ['another signer', () => albToken({ signer: SIGNER.replace('demo', 'evil') })],
    ['another client', () => albToken({ client: 'x' })],
    ['another issuer', () => albToken({ iss: 'https://evil.example.com' })],
    ['expired (exp in the header)', () => albToken({ exp: NOW_S - 1 })],
    ['exp missing', () => albToken({ exp: undefined })],
    ['alg RS256', () => albToken({ alg: 'RS256' })],
    ['alg none', () => albToken({ alg: 'none' })],
    ['padding stripped (breaks the signed text)', () => albToken().replace(/=+\./g, '.')],
    ['signed by another key', () => albToken({}, {}, newKey(KID, 'ec'))],
    [
      'tampered payload',
      () => {
        const [h, , s] = albToken().split('.');
        return `${h}.${padded({ sub: 'admin', exp: NOW_S + 60 })}.${s}`;
      },
    ],
    ['kid with a path', () => albToken({ kid: '../../etc/passwd' })],
    ['unknown kid', () => albToken({ kid: randomUUID() })],
    ['two segments', () => albToken().split('.').slice(0, 2).join('.')],
  ])('%s → 401', async (_name, make) => {
    expect(await status(make())).toBe(401);
  });

  it('does not let a bearer-route verification satisfy an ALB route (separate caches)', async () => {
    expect(await status('eyJhbGciOiJSUzI1NiJ9.e30.c2ln')).toBe(401);
  });
});
