// A real third-party identity provider nobody here wrote (oidc-provider, in a child process) issues
// JWT access tokens; the example OIDC TOKEN authorizer (examples/authorizers) validates them against
// the provider's JWKS and returns a policy; the Nest route (Express and Fastify) accepts and refuses
// as API Gateway would (LT-01, LO-03, LO-05, LC-02).
import { createOidcTokenAuthorizer } from '../../examples/authorizers/oidc-token-authorizer';
import { call, startAuthorizerApp, type Platform, type RunningApp } from './authorizer-test-app';
import {
  OIDC_AUDIENCE,
  startOidcProvider,
  type OidcProviderProcess,
} from './oidc-provider-process';

describe.each<Platform>(['express', 'fastify'])('OIDC-validating authorizer on %s', (platform) => {
  let idp: OidcProviderProcess;
  let app: RunningApp;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    idp = await startOidcProvider();
    writer = await idp.token('pets-client', 'pets-client-secret', 'pets:read pets:write');
    reader = await idp.token('readonly-client', 'readonly-client-secret', 'pets:read');
    app = await startAuthorizerApp(platform, {
      authorizers: {
        token: {
          type: 'TOKEN',
          handler: createOidcTokenAuthorizer({
            issuer: idp.issuer,
            audience: OIDC_AUDIENCE,
            requiredScope: 'pets:write',
          }),
          identityValidationExpression: '^Bearer [A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
        },
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await idp?.stop();
  });

  it('accepts a token issued by the provider, exposing its claims in $context.authorizer', async () => {
    const res = await call(`${app.url}/pets`, { headers: { authorization: `Bearer ${writer}` } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      type: 'CUSTOM',
      principalId: 'pets-client',
      authorizer: {
        principalId: 'pets-client',
        clientId: 'pets-client',
        scope: 'pets:read pets:write',
      },
    });
  });

  it('the cached policy covers every method of the stage (LC-02)', async () => {
    const res = await call(`${app.url}/pets/9`, { headers: { authorization: `Bearer ${writer}` } });
    expect(res.status).toBe(200);
  });

  it('a valid token without the required scope → 403 explicit deny', async () => {
    const res = await call(`${app.url}/pets`, { headers: { authorization: `Bearer ${reader}` } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({
      Message: 'User is not authorized to access this resource with an explicit deny',
    });
  });

  it('a tampered token → 401 Unauthorized', async () => {
    const [h, p, s] = writer.split('.') as [string, string, string];
    const flipped = s.slice(0, -2) + (s.endsWith('AA') ? 'BB' : 'AA');
    const res = await call(`${app.url}/pets`, {
      headers: { authorization: `Bearer ${h}.${p}.${flipped}` },
    });
    expect(res.status).toBe(401);
    expect(res.body).toBe('{"message":"Unauthorized"}');
  });

  it('no token, or not a bearer JWT → 401 without invoking (LT-02, LT-03)', async () => {
    expect((await call(`${app.url}/pets`)).status).toBe(401);
    expect(
      (await call(`${app.url}/pets`, { headers: { authorization: 'Basic abc' } })).status,
    ).toBe(401);
  });
});
