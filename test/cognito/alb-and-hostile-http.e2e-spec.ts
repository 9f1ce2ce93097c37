// Over HTTP on Express and Fastify: ALB `x-amzn-oidc-data` on a @CognitoAuth({ source: 'alb' }) route
// (ALB-01..05), and hostile Authorization values through the real adapters — each answered 401 with
// API Gateway's body, none crashing the app.
import 'reflect-metadata';
import { randomUUID, sign } from 'node:crypto';
import { Controller, Get } from '@nestjs/common';
import request from 'supertest';
import { AuthContext, CognitoAuth } from 'api-gateway-auth/nest';
import { startCognitoApp, type Platform, type RunningApp } from './cognito-test-app';
import { startJwksServer, type JwksServer } from './helpers/jwks-server';
import { b64, mint, newKey, rawSigned } from './helpers/tokens';

const SIGNER =
  'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/demo/0123456789abcdef';
const KID = randomUUID();
const albKey = newKey(KID, 'ec');
const POOL = 'us-east-1_Http1';
const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const rsa = newKey('rsa-1');

const padded = (value: object): string => {
  const s = Buffer.from(JSON.stringify(value)).toString('base64url');
  return s + '='.repeat((4 - (s.length % 4)) % 4);
};
function albToken(header: Record<string, unknown> = {}): string {
  const exp = Math.floor(Date.now() / 1000) + 120;
  const h = padded({
    typ: 'JWT',
    kid: KID,
    alg: 'ES256',
    iss: 'https://idp.example.com',
    client: 'c',
    signer: SIGNER,
    exp,
    ...header,
  });
  const p = padded({ sub: 'alb-user', email: 'alb@example.com', exp });
  const sig = sign('sha256', Buffer.from(`${h}.${p}`), {
    key: albKey.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${h}.${p}.${sig.toString('base64url')}`;
}

@Controller()
class AlbController {
  @CognitoAuth({ source: 'alb' })
  @Get('me')
  me(@AuthContext() auth: AuthContext): unknown {
    return { auth };
  }

  @CognitoAuth()
  @Get('profile')
  profile(): unknown {
    return { ok: true };
  }
}

let keys: JwksServer;
beforeAll(async () => {
  keys = await startJwksServer([rsa.jwk]);
  keys.pems.set(KID, albKey.publicKey.export({ format: 'pem', type: 'spki' }) as string);
});
afterAll(async () => {
  await keys.close();
});

describe.each<Platform>(['express', 'fastify'])('over HTTP on %s', (platform) => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startCognitoApp(
      platform,
      {
        cognito: {
          userPools: [{ userPoolId: POOL, clientIds: ['c1'], jwksUri: `${keys.url}/jwks.json` }],
          alb: {
            region: 'us-east-1',
            signerArns: [SIGNER],
            clientIds: ['c'],
            issuers: ['https://idp.example.com'],
            keyUrl: (kid) => `${keys.url}/pem/${kid}`,
          },
        },
      },
      [AlbController],
    );
  });
  afterAll(async () => {
    await running.close();
  });

  it('accepts the ALB header and hands its claims to the handler', async () => {
    const res = await request(running.url).get('/me').set('x-amzn-oidc-data', albToken());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      auth: { type: 'JWT', claims: { sub: 'alb-user', email: 'alb@example.com' } },
    });
  });

  it('refuses another signer and a bearer token on the ALB route', async () => {
    const other = await request(running.url)
      .get('/me')
      .set('x-amzn-oidc-data', albToken({ signer: `${SIGNER}0` }));
    expect(other.status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const bearer = await mint(rsa, {
      sub: 'u',
      aud: 'c1',
      iss: ISS,
      token_use: 'id',
      exp: now + 60,
    });
    expect((await request(running.url).get('/profile').set('authorization', bearer)).status).toBe(
      200,
    );
    expect((await request(running.url).get('/me').set('authorization', bearer)).status).toBe(401);
  });

  const hostile: Array<[string, () => string | Promise<string>]> = [
    ['alg none', () => `${b64({ alg: 'none', kid: 'rsa-1' })}.${b64({ iss: ISS })}.`],
    ['garbage', () => 'a.b.c'],
    ['unicode', () => 'ey\u00e9.\u00fc.\u00df'],
    ['only dots', () => '....'],
    ['huge', () => 'a'.repeat(12_000)],
    ['Bearer twice', () => 'Bearer Bearer x.y.z'],
    [
      'tampered',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        const t = await mint(rsa, {
          sub: 'u',
          aud: 'c1',
          iss: ISS,
          token_use: 'id',
          exp: now + 60,
        });
        const [h, , s] = t.split('.');
        return `${h}.${b64({ sub: 'admin', aud: 'c1', iss: ISS, token_use: 'id', exp: now + 60 })}.${s}`;
      },
    ],
    ['HS256', () => rawSigned(b64({ alg: 'HS256', kid: 'rsa-1' }), b64({ iss: ISS }), rsa)],
  ];

  it.each(hostile)('%s → 401 Unauthorized, app still serving', async (_name, make) => {
    const value = await make();
    const res = await request(running.url).get('/profile').set('authorization', value);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthorized' });
    expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
    const alb = await request(running.url).get('/me').set('x-amzn-oidc-data', value);
    expect(alb.status).toBe(401);
  });
});
