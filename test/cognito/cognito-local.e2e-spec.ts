// End to end against cognito-local (a Cognito user pool emulator): real sign-in with
// USER_PASSWORD_AUTH, real RS256 ID/access tokens from its JWKS, and client_credentials access
// tokens with custom scopes from the launcher's token endpoint, sent to a Nest app on Express and
// Fastify (COG-02, COG-03, COG-05, COG-06, COG-07).
import request from 'supertest';
import { startLocalCognito, type LocalCognito } from '../../scripts/local/cognito-local';
import { startCognitoApp, type Platform, type RunningApp } from './cognito-test-app';

let cognito: LocalCognito;
let tokens: { idToken: string; accessToken: string };
let scoped: string;
let otherScope: string;

async function cognitoApi(op: string, body: object): Promise<void> {
  const res = await fetch(`${cognito.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${op}`,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${op}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  cognito = await startLocalCognito();
  await cognitoApi('CreateGroup', { UserPoolId: cognito.userPoolId, GroupName: 'admins' });
  await cognitoApi('AdminAddUserToGroup', {
    UserPoolId: cognito.userPoolId,
    Username: cognito.username,
    GroupName: 'admins',
  });
  tokens = await cognito.signIn();
  // Concurrently on purpose: the launcher serialises the client's scope updates.
  [scoped, otherScope] = await Promise.all([
    cognito.accessTokenWithScopes(['pets/read']),
    cognito.accessTokenWithScopes(['pets/write']),
  ]);
}, 30_000);

afterAll(async () => {
  await cognito?.stop();
});

describe.each<Platform>(['express', 'fastify'])(
  '@CognitoAuth() with cognito-local on %s',
  (platform) => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startCognitoApp(platform, {
        cognito: {
          userPools: [
            {
              userPoolId: cognito.userPoolId,
              clientIds: [cognito.clientId],
              issuer: cognito.issuer,
              jwksUri: cognito.jwksUri,
            },
          ],
        },
      });
    });
    afterAll(async () => {
      await running.close();
    });

    it('accepts the ID token on a route without scopes and hands claims to the handler', async () => {
      const res = await request(running.url).get('/profile').set('authorization', tokens.idToken);
      expect(res.status).toBe(200);
      const auth = (res.body as { auth: { type: string; claims: Record<string, string> } }).auth;
      expect(auth.type).toBe('COGNITO_USER_POOLS');
      expect(auth.claims).toMatchObject({
        'cognito:username': cognito.username,
        token_use: 'id',
        aud: cognito.clientId,
        iss: cognito.issuer,
        'cognito:groups': 'admins',
      });
      for (const value of Object.values(auth.claims)) expect(typeof value).toBe('string');
    });

    it('accepts "Bearer <ID token>"', async () => {
      const res = await request(running.url)
        .get('/profile')
        .set('authorization', `Bearer ${tokens.idToken}`);
      expect(res.status).toBe(200);
    });

    it('refuses the access token where an ID token is expected (COG-02)', async () => {
      const res = await request(running.url)
        .get('/profile')
        .set('authorization', tokens.accessToken);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthorized' });
      expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
    });

    it('accepts an access token with the route scope, refuses others (COG-03)', async () => {
      const ok = await request(running.url).get('/pets').set('authorization', scoped);
      expect(ok.status).toBe(200);
      const signedIn = await request(running.url)
        .get('/pets')
        .set('authorization', tokens.accessToken);
      expect(signedIn.status).toBe(401); // scope "aws.cognito.signin.user.admin" only
      const wrong = await request(running.url).get('/pets').set('authorization', otherScope);
      expect(wrong.status).toBe(401);
      const id = await request(running.url).get('/pets').set('authorization', tokens.idToken);
      expect(id.status).toBe(401);
    });

    it('applies route groups', async () => {
      const res = await request(running.url).get('/admin').set('authorization', tokens.idToken);
      expect(res.status).toBe(200);
    });

    it('refuses a missing or tampered token with 401 Unauthorized (COG-05/06)', async () => {
      const missing = await request(running.url).get('/profile');
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ message: 'Unauthorized' });
      const [h, p, s] = tokens.idToken.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, 'cognito:username': 'root' })).toString('base64url')}.${s}`;
      const res = await request(running.url).get('/profile').set('authorization', forged);
      expect(res.status).toBe(401);
      const health = await request(running.url).get('/health');
      expect(health.status).toBe(200);
    });
  },
);

describe('HTTP API mode against cognito-local', () => {
  let running: RunningApp;
  afterAll(async () => {
    await running.close();
  });

  it('accepts ID and access tokens by aud/client_id (HJWT-02) and 403s a missing scope', async () => {
    running = await startCognitoApp('fastify', {
      cognito: {
        mode: 'http',
        issuers: [
          { issuer: cognito.issuer, jwksUri: cognito.jwksUri, audiences: [cognito.clientId] },
        ],
      },
    });
    const id = await request(running.url).get('/profile').set('authorization', tokens.idToken);
    expect(id.status).toBe(200);
    expect((id.body as { auth: { type: string } }).auth.type).toBe('JWT');
    const access = await request(running.url)
      .get('/profile')
      .set('authorization', tokens.accessToken);
    expect(access.status).toBe(200);
    const scopedRes = await request(running.url).get('/pets').set('authorization', scoped);
    expect(scopedRes.status).toBe(200);
    const forbidden = await request(running.url).get('/pets').set('authorization', otherScope);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ message: 'Forbidden' });
  });
});
