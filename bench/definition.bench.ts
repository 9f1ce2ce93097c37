// API definitions (issue 16). CPU only: what finding a request's route in an API definition (101
// routes, matched as API Gateway matches them) adds to a cached Lambda-authorizer decision, as ratios
// to the same decision reached through a decorator's requirement (no lookup); and the route lookup
// alone, as a ratio to that decision.
import { GatewayAuth, silentLogger, type HttpRequest } from '../libs/gateway-auth/src';
import { measure, report } from './harness';

const URI =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111122223333:function:auth/invocations';
const paths: Record<string, unknown> = {};
const guarded = { security: [{ Token: [] }] };
for (let i = 0; i < 25; i++) {
  paths[`/resource${i}`] = { get: guarded, post: guarded };
  paths[`/resource${i}/{id}`] = { get: guarded, delete: guarded };
}
paths['/{proxy+}'] = { 'x-amazon-apigateway-any-method': {} };
const document = {
  openapi: '3.0.1',
  info: { title: 'bench', version: '1' },
  paths,
  components: {
    securitySchemes: {
      Token: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        'x-amazon-apigateway-authorizer': {
          type: 'token',
          authorizerUri: URI,
          authorizerResultTtlInSeconds: 300,
        },
      },
    },
  },
};
const handler = (event: { methodArn: string }) =>
  Promise.resolve({
    principalId: 'user',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: `${event.methodArn.split('/').slice(0, 2).join('/')}/*`,
        },
      ],
    },
  });
const gateway = new GatewayAuth({
  api: { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' },
  logger: silentLogger,
  apiDefinition: { document, authorizers: { Token: { handler } } },
});
const request = (): HttpRequest => ({
  method: 'GET',
  path: '/resource17/42',
  rawQuery: '',
  headers: { authorization: 'token-1' },
  sourceIp: '203.0.113.9',
  secure: true,
});

void (async () => {
  await gateway.authorize(request(), { model: 'custom', options: { name: 'Token' } }); // fill the cache
  const applied = gateway.definition;
  if (!applied) throw new Error('no definition');
  const router = applied.router;
  const lookup = measure('definition route lookup (101 routes)', () => {
    router.match('GET', '/resource17/42');
  });
  const decorator = measure('cached decision, requirement given (decorator)', () => {
    // Cached: answered synchronously.
    void gateway.authorize(request(), { model: 'custom', options: { name: 'Token' } });
  });
  const definition = measure('cached decision, requirement from the definition', () => {
    void gateway.authorizeByDefinition(request());
  });
  report([decorator, definition, lookup], decorator);
  await gateway.close();
})();
