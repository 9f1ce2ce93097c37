// `gateway-auth sign` / `gateway-auth curl` against the @IamAuth() test app (Express), with
// credentials from the standard AWS environment variables. The app uses the wall clock here
// because the CLI signs with the current time, like awscurl.
import request from 'supertest';
import { main, type CliIo } from '../../libs/gateway-auth/src/cli/main';
import { systemClock } from 'api-gateway-auth';
import { ALICE, startIamApp, type RunningApp } from './iam-test-app';

function capture(
  env: Record<string, string | undefined>,
): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, env, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const ENV = {
  AWS_ACCESS_KEY_ID: ALICE.accessKeyId,
  AWS_SECRET_ACCESS_KEY: ALICE.secretAccessKey,
  AWS_REGION: 'us-east-1',
};

describe('gateway-auth sign / curl', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startIamApp('express', { clock: systemClock });
  });
  afterAll(async () => {
    await running.close();
  });

  it('curl: GET with a query, credentials from AWS_* variables', async () => {
    const io = capture(ENV);
    expect(await main(['curl', `${running.url}/pets?limit=5&q=a%20b`], io)).toBe(0);
    expect(JSON.parse(io.stdout.join('\n')).auth.identity.userArn).toBe(
      'arn:aws:iam::111122223333:user/alice',
    );
  });

  it('curl: POST a JSON body with -H and -d, -i prints the status', async () => {
    const io = capture(ENV);
    const code = await main(
      [
        'curl',
        '-i',
        '-H',
        'Content-Type: application/json',
        '-d',
        '{"name":"Rex"}',
        `${running.url}/pets`,
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.stdout[0]).toBe('HTTP/1.1 201');
    expect(io.stdout.join('\n')).toContain('"created":{"name":"Rex"}');
  });

  it("curl: a refused request exits 1 and prints API Gateway's body; the secret is never printed", async () => {
    const io = capture({ ...ENV, AWS_SECRET_ACCESS_KEY: 'wrong-secret-000000000000' });
    expect(await main(['curl', `${running.url}/pets`], io)).toBe(1);
    expect(io.stdout.join('\n')).toContain('The request signature we calculated does not match');
    expect([...io.stdout, ...io.stderr].join('\n')).not.toContain('wrong-secret-000000000000');
  });

  it('sign --presign prints a URL that works without headers', async () => {
    const io = capture(ENV);
    expect(await main(['sign', '--presign', '--expires', '60', `${running.url}/pets`], io)).toBe(0);
    const url = new URL(io.stdout[0] as string);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    const res = await request(running.url).get(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
  });

  it('sign prints headers usable by any client', async () => {
    const io = capture({ ...ENV, AWS_REGION: undefined });
    expect(await main(['sign', '--region', 'us-east-1', `${running.url}/pets/7`], io)).toBe(0);
    let test = request(running.url).get('/pets/7');
    for (const line of io.stdout) {
      const at = line.indexOf(': ');
      test = test.set(line.slice(0, at), line.slice(at + 2));
    }
    expect((await test).status).toBe(200);
  });

  it.each([
    [['sign'], 'missing URL'],
    [['sign', 'ftp://x'], 'http:// or https://'],
    [['sign', 'http://x/'], 'no region'],
    [['curl', '--presign', 'http://x/'], '--presign applies to sign only'],
  ])('usage errors exit 2: %j', async (args, message) => {
    const io = capture({ AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B' });
    expect(await main(args, io)).toBe(2);
    expect(io.stderr.join('\n')).toContain(message);
  });

  it('no credentials is a usage error', async () => {
    const io = capture({ AWS_REGION: 'us-east-1' });
    expect(await main(['sign', 'http://x/'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('AWS_ACCESS_KEY_ID');
  });
});
