/**
 * The demo's `/orders` with its TOKEN authorizer replaced by one validating third-party OIDC tokens
 * (issue 6, "an authorizer validating an oidc-provider token"): `oidc-provider` (a certified OpenID
 * provider, in a child process) issues JWT access tokens; the example OIDC authorizer validates them
 * against the provider's JWKS; the demo answers as API Gateway would, on Express and Fastify.
 */
import request from 'supertest';
import { loadDemoConfig, type HttpPlatform } from '../../apps/demo/src/config/demo-config';
import { startDemo, type RunningDemo } from '../../apps/demo/src/create-demo-app';
import { createOidcTokenAuthorizer } from '../../examples/authorizers/oidc-token-authorizer';
import { silentLogger } from 'api-gateway-auth';
import {
  OIDC_AUDIENCE,
  startOidcProvider,
  type OidcProviderProcess,
} from '../authorizer/oidc-provider-process';
import { localDemoEnv } from './demo-clients';

let idp: OidcProviderProcess;
let writer: string;
let reader: string;

beforeAll(async () => {
  idp = await startOidcProvider();
  writer = await idp.token('pets-client', 'pets-client-secret', 'pets:read pets:write');
  reader = await idp.token('readonly-client', 'readonly-client-secret', 'pets:read');
}, 30_000);

afterAll(async () => {
  await idp?.stop();
});

describe.each<HttpPlatform>(['express', 'fastify'])(
  'demo /orders with an OIDC authorizer on %s',
  (platform) => {
    let demo: RunningDemo;

    beforeAll(async () => {
      const config = loadDemoConfig(localDemoEnv(platform));
      demo = await startDemo(config, {
        logger: silentLogger,
        nestLogger: false,
        accessLogWrite: () => undefined,
        authorizers: {
          orders: {
            type: 'TOKEN',
            ttlSeconds: 300,
            handler: createOidcTokenAuthorizer({
              issuer: idp.issuer,
              audience: OIDC_AUDIENCE,
              requiredScope: 'pets:write',
            }),
          },
        },
      });
    });

    afterAll(async () => {
      await demo?.close();
    });

    it('accepts a provider-issued token; its claims reach the handler as $context.authorizer', async () => {
      const res = await request(demo.url)
        .get('/orders')
        .set('Authorization', `Bearer ${writer}`)
        .expect(200);
      expect(res.body.authContext).toMatchObject({
        type: 'CUSTOM',
        authorizerName: 'orders',
        principalId: 'pets-client',
        authorizer: { clientId: 'pets-client', scope: 'pets:read pets:write' },
      });
      await request(demo.url).get('/orders/1').set('Authorization', `Bearer ${writer}`).expect(200);
    });

    it('a valid token without the required scope → 403 explicit deny (LO-03)', async () => {
      const res = await request(demo.url)
        .get('/orders')
        .set('Authorization', `Bearer ${reader}`)
        .expect(403);
      expect(res.body).toEqual({
        Message: 'User is not authorized to access this resource with an explicit deny',
      });
    });

    it('a forged or missing token → 401 Unauthorized (LO-05, LT-02)', async () => {
      const [h, p] = writer.split('.') as [string, string];
      const forged = `${h}.${p}.${'A'.repeat(342)}`;
      for (const value of [`Bearer ${forged}`, 'Bearer not.a.jwt']) {
        const res = await request(demo.url).get('/orders').set('Authorization', value).expect(401);
        expect(res.body).toEqual({ message: 'Unauthorized' });
      }
      await request(demo.url).get('/orders').expect(401);
    });
  },
);
