// `gateway-auth curl --aws-identity` (issue 13): the request is sent with an X-Gateway-Auth-Identity
// proof instead of its own signature, made with the AWS SDK's default credentials — the AWS_*
// variables, or (tested here) ECS container credentials served on a local endpoint — against the
// @IamAuth() test app verifying proofs with a local STS stand-in.
import { createServer, type Server } from 'node:http';
import { systemClock } from '../../libs/gateway-auth/src';
import { main, type CliIo } from '../../libs/gateway-auth/src/cli/main';
import { startIamApp, type RunningApp } from '../sigv4/iam-test-app';
import { startHostileSts, type HostileSts } from './hostile-sts';

const AUDIENCE = 'arn:aws:execute-api:us-east-1:111122223333:petstore';
const SESSION = {
  accessKeyId: 'ASIACLI0000000000001',
  secretAccessKey: 'cli-session-secret-00000000000000000000',
  sessionToken: 'IQoJb3JpZ2luX2VjECliSessionToken==',
};
const SESSION_ARN = 'arn:aws:sts::444455556666:assumed-role/billing-task/ecs-task-1';

function capture(
  env: Record<string, string | undefined>,
): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, env, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

describe('gateway-auth curl --aws-identity', () => {
  let sts: HostileSts;
  let running: RunningApp;
  beforeAll(async () => {
    sts = await startHostileSts([
      { ...SESSION, arn: SESSION_ARN, userId: 'AROABILLING:ecs-task-1', account: '444455556666' },
    ]);
    running = await startIamApp('express', {
      clock: systemClock,
      iam: {
        identityProofs: { stsEndpoint: sts.url },
        identityPolicies: { unreadableIdentityPolicies: 'resource-policy-only' },
      },
    });
  });
  afterAll(async () => {
    await running.close();
    await sts.close();
  });

  const userArn = (io: { stdout: string[] }): unknown =>
    (JSON.parse(io.stdout.join('\n')) as { auth: { identity: { userArn: unknown } } }).auth.identity
      .userArn;

  it('with credentials from the AWS_* variables', async () => {
    const io = capture({
      AWS_ACCESS_KEY_ID: SESSION.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SESSION.secretAccessKey,
      AWS_SESSION_TOKEN: SESSION.sessionToken,
      AWS_REGION: 'us-east-1',
    });
    expect(
      await main(['curl', '--aws-identity', '--audience', AUDIENCE, `${running.url}/pets`], io),
    ).toBe(0);
    expect(userArn(io)).toBe(SESSION_ARN);
  });

  it("with the default chain: an ECS task's container credentials", async () => {
    const endpoint: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          AccessKeyId: SESSION.accessKeyId,
          SecretAccessKey: SESSION.secretAccessKey,
          Token: SESSION.sessionToken,
          Expiration: new Date(Date.now() + 3600_000).toISOString(),
        }),
      );
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const { port } = endpoint.address() as { port: number };
    const names = [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
    ];
    const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    for (const name of names) delete process.env[name];
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `http://127.0.0.1:${port}/v2/credentials`;
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
    try {
      const io = capture({ AWS_REGION: 'us-east-1', GATEWAY_AUTH_AUDIENCE: AUDIENCE });
      expect(await main(['curl', '--aws-identity', `${running.url}/pets`], io)).toBe(0);
      expect(userArn(io)).toBe(SESSION_ARN);
    } finally {
      for (const name of names) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await new Promise((resolve) => endpoint.close(resolve));
    }
  });

  it('needs an audience; applies to curl only', async () => {
    const io = capture({ AWS_REGION: 'us-east-1' });
    expect(await main(['curl', '--aws-identity', `${running.url}/pets`], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain("--aws-identity needs the API's audience");
    expect(await main(['sign', '--aws-identity', `${running.url}/pets`], capture({}))).toBe(2);
  });
});
