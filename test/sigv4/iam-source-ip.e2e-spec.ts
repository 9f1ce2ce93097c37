// aws:SourceIp and $context.identity.sourceIp come from the socket, or from X-Forwarded-For only when
// the peer is a trusted proxy (the ALB), on both platforms.
import type { CredentialDefinition } from 'api-gateway-auth';
import { NOW, startIamApp, type Platform, type RunningApp } from './iam-test-app';
import { send } from './send';
import { signWithSmithy } from './sign-request';

const ERIN = { accessKeyId: 'AKIAERIN000000000001', secretAccessKey: 'erin-secret-key-0000000000' };
const CREDENTIALS: CredentialDefinition[] = [
  {
    ...ERIN,
    principal: { arn: 'arn:aws:iam::111122223333:user/erin' },
    policies: [
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'execute-api:Invoke',
            Resource: '*',
            Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
          },
        ],
      },
    ],
  },
];

describe.each<Platform>(['express', 'fastify'])('aws:SourceIp on %s', (platform) => {
  let direct: RunningApp;
  let behindAlb: RunningApp;
  beforeAll(async () => {
    direct = await startIamApp(platform, { iam: { credentials: CREDENTIALS } });
    behindAlb = await startIamApp(platform, {
      iam: { credentials: CREDENTIALS },
      trustedProxies: ['127.0.0.1/32', '::1/128'],
    });
  });
  afterAll(async () => {
    await direct.close();
    await behindAlb.close();
  });

  const signed = (host: string) =>
    signWithSmithy({ method: 'GET', host, path: '/pets', date: NOW }, ERIN);

  it('an untrusted peer cannot claim an address with X-Forwarded-For', async () => {
    const request = await signed(direct.host);
    const res = await send(direct.url, {
      ...request,
      headers: { ...request.headers, 'x-forwarded-for': '203.0.113.5' },
    });
    expect(res.status).toBe(403);
    expect(res.body.Message).toMatch(/because no identity-based policy allows/);
  });

  it('behind a trusted proxy the forwarded address is the caller', async () => {
    const request = await signed(behindAlb.host);
    const res = await send(behindAlb.url, {
      ...request,
      headers: { ...request.headers, 'x-forwarded-for': '198.51.100.7, 203.0.113.5' },
    });
    expect(res.status).toBe(200);
    expect(res.body.auth.identity.sourceIp).toBe('203.0.113.5');
  });
});
