/**
 * `IAM_CREDENTIALS` (how ECS injects a Secrets Manager secret, see deploy/): the SigV4 callers as a
 * JSON value instead of a file. Same contract, same answers.
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { loadDemoConfig } from '../../apps/demo/src/config/demo-config';
import { startDemo, type RunningDemo } from '../../apps/demo/src/create-demo-app';
import { silentLogger } from 'api-gateway-auth';
import { demoCallers, signWithSmithy } from './demo-clients';

describe('demo with IAM_CREDENTIALS from the environment', () => {
  let demo: RunningDemo;
  const { admin, reporting, file } = demoCallers();

  beforeAll(async () => {
    const config = loadDemoConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_USER_POOL_ID: 'us-east-1_Demo12345',
      IAM_CREDENTIALS: readFileSync(file, 'utf8'),
    });
    demo = await startDemo(config, {
      logger: silentLogger,
      nestLogger: false,
      accessLogWrite: () => undefined,
    });
  });

  afterAll(async () => {
    await demo?.close();
  });

  it('verifies callers from the JSON value and applies their policies', async () => {
    const sign = (caller: typeof admin, method: string, path: string) =>
      signWithSmithy({ baseUrl: demo.url, method, path, caller });
    const res = await request(demo.url)
      .get('/admin/pets/1')
      .set(await sign(admin, 'GET', '/admin/pets/1'))
      .expect(200);
    expect(res.body.authContext.identity.userArn).toBe(admin.arn);
    await request(demo.url)
      .delete('/pets/2')
      .set(await sign(reporting, 'DELETE', '/pets/2'))
      .expect(403);
  });

  it('refuses to start when the JSON is not a valid credentials document, naming the field', async () => {
    const config = loadDemoConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_USER_POOL_ID: 'us-east-1_Demo12345',
      IAM_CREDENTIALS:
        '{"credentials":[{"accessKeyId":"lowercase","secretAccessKey":"s3cr3t-value"}]}',
    });
    let message = '';
    try {
      await startDemo(config, {
        logger: silentLogger,
        nestLogger: false,
        accessLogWrite: () => undefined,
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^ {2}IAM_CREDENTIALS: \$\.credentials\[0\]\.accessKeyId: /m);
    expect(message).not.toContain('s3cr3t-value');
  });
});
