// Decision logs for AWS_IAM never hold secrets, signatures, session tokens or raw Authorization
// values — on success and on every kind of refusal.
import { signWithSmithy, type SignedRequest } from '../../../../../test/sigv4/sign-request';
import { fixedClock } from '../clock';
import { GatewayAuth } from '../gateway-auth';
import type { HttpRequest } from '../http-request';
import type { Logger } from '../logger';

const NOW = Date.parse('2026-03-01T10:00:00Z');
const KEY = {
  accessKeyId: 'ASIALOGGING000000001',
  secretAccessKey: 'logging-secret-never-shown',
  sessionToken: 'session-token-never-shown',
};

function toRequest(signed: SignedRequest): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  return {
    method: 'GET',
    path: '/pets',
    rawQuery: '',
    headers,
    sourceIp: '10.0.0.1',
    secure: true,
  };
}

it('logs decisions without secrets, tokens or signatures', async () => {
  const lines: string[] = [];
  const logger: Logger = {
    log: (level, event, fields) => lines.push(JSON.stringify({ level, event, ...fields })),
  };
  const gatewayAuth = new GatewayAuth({
    api: { region: 'us-east-1', accountId: '111122223333', apiId: 'api', stage: 'prod' },
    iam: {
      credentials: [
        {
          ...KEY,
          principal: { arn: 'arn:aws:sts::111122223333:assumed-role/R/s' },
          policies: [
            {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
            },
          ],
        },
      ],
    },
    clock: fixedClock(NOW),
    logger,
  });
  const requirement = { model: 'iam' as const, options: {} };
  const good = await signWithSmithy(
    { method: 'GET', host: 'h', path: '/pets', date: new Date(NOW) },
    KEY,
  );
  const wrongSecret = await signWithSmithy(
    { method: 'GET', host: 'h', path: '/pets', date: new Date(NOW) },
    { ...KEY, secretAccessKey: 'another-secret-never-shown' },
  );
  const signatures = [good, wrongSecret].map(
    (s) => /Signature=([0-9a-f]+)/.exec(s.headers.authorization as string)?.[1] as string,
  );
  await gatewayAuth.authorize(toRequest(good), requirement);
  for (const request of [
    toRequest(wrongSecret),
    toRequest({ ...good, headers: { ...good.headers, authorization: 'Bearer secret.jwt.value' } }),
    toRequest({
      ...good,
      headers: { ...good.headers, 'x-amz-security-token': 'other-token-never-shown' },
    }),
  ]) {
    await expect(async () => gatewayAuth.authorize(request, requirement)).rejects.toBeDefined();
  }
  const text = lines.join('\n');
  expect(lines).toHaveLength(4);
  for (const secret of [
    KEY.secretAccessKey,
    'another-secret-never-shown',
    KEY.sessionToken,
    'other-token-never-shown',
    'secret.jwt.value',
    ...signatures,
  ]) {
    expect(text).not.toContain(secret);
  }
  expect(text).toContain(KEY.accessKeyId);
  await gatewayAuth.close();
});
