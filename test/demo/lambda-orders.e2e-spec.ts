/**
 * `AUTHORIZER_FUNCTION_NAME` (issue 6 item 3): a real Lambda function replaces the in-process TOKEN
 * authorizer of `/orders`, invoked through `@aws-sdk/client-lambda` configured the standard SDK way
 * (`AWS_REGION`, credentials and `AWS_ENDPOINT_URL_LAMBDA` from the environment) — here against a
 * local server speaking Lambda's Invoke API and running the example authorizer.
 */
import request from 'supertest';
import { loadDemoConfig, type HttpPlatform } from '../../apps/demo/src/config/demo-config';
import { startDemo, type RunningDemo } from '../../apps/demo/src/create-demo-app';
import { tokenAuthorizer } from '../../examples/authorizers/token-authorizer';
import { silentLogger } from 'api-gateway-auth';
import {
  startLambdaInvokeServer,
  useLambdaEndpoint,
  type LambdaInvokeServer,
} from '../authorizer/lambda-invoke-server';
import { localDemoEnv } from './demo-clients';

let lambda: LambdaInvokeServer;
let restoreEnv: () => void = () => undefined;

beforeAll(async () => {
  lambda = await startLambdaInvokeServer({ 'demo-orders-authorizer': tokenAuthorizer });
  restoreEnv = useLambdaEndpoint(lambda.url);
});

afterAll(async () => {
  await lambda?.close();
  restoreEnv();
});

describe.each<HttpPlatform>(['express', 'fastify'])(
  'demo /orders with AUTHORIZER_FUNCTION_NAME on %s',
  (platform) => {
    let demo: RunningDemo;

    beforeAll(async () => {
      lambda.invocations.clear();
      const config = loadDemoConfig(
        localDemoEnv(platform, { AUTHORIZER_FUNCTION_NAME: 'demo-orders-authorizer' }),
      );
      demo = await startDemo(config, {
        logger: silentLogger,
        nestLogger: false,
        accessLogWrite: () => undefined,
      });
    });

    afterAll(async () => {
      await demo?.close();
    });

    it('invokes the function once per token (300 s cache) and answers with its decisions', async () => {
      const res = await request(demo.url).get('/orders').set('Authorization', 'allow').expect(200);
      expect(res.body.authContext).toMatchObject({ type: 'CUSTOM', principalId: 'user' });
      await request(demo.url).get('/orders/2').set('Authorization', 'allow').expect(200);
      expect(lambda.invocations.get('demo-orders-authorizer')).toBe(1);
      const denied = await request(demo.url)
        .get('/orders')
        .set('Authorization', 'deny')
        .expect(403);
      expect(denied.body).toEqual({
        Message: 'User is not authorized to access this resource with an explicit deny',
      });
      await request(demo.url).get('/orders').set('Authorization', 'unauthorized').expect(401);
    });

    it('a function error → 500 {"message": null}; throttling → 500, never an allow (LO-05/06)', async () => {
      const failed = await request(demo.url)
        .get('/orders')
        .set('Authorization', 'oops')
        .expect(500);
      expect(failed.text).toBe('{"message": null}');
      lambda.throttle = true;
      try {
        const throttled = await request(demo.url)
          .get('/orders')
          .set('Authorization', 'allow-but-new')
          .expect(500);
        expect(throttled.headers['x-amzn-errortype']).toBe('AuthorizerConfigurationException');
      } finally {
        lambda.throttle = false;
      }
    });
  },
);
