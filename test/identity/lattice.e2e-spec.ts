// VPC Lattice identities (issue 13): believed only from trusted peers (the socket's address, never
// X-Forwarded-For) and only for the configured Lattice service; spoofed headers from anyone else
// are ignored and never reach the handler; a wrong target or a malformed identity is refused with
// SIG-25's answer, an anonymous one (no Principal) with SIG-20's. Header formats:
// aws-identities.md §1.2. Policies of a caller from another account without a reader role are
// not readable: `resource-policy-only` lets the API's resource policy decide (no IAM needed here;
// the moto suite reads a Lattice caller's policies from IAM).
import { ALICE, NOW, startIamApp, type Platform, type RunningApp } from '../sigv4/iam-test-app';
import { send } from '../sigv4/send';
import { signWithSmithy } from '../sigv4/sign-request';
import { request as httpRequest } from 'node:http';
import request from 'supertest';

/** A GET with headers as raw name/value pairs (a name may repeat), which supertest cannot send. */
function rawGet(
  base: string,
  path: string,
  headers: string[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SERVICE = 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0';
const OTHER_SERVICE = 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0fedcba9876543210';
const PARTNER = 'arn:aws:sts::444455556666:assumed-role/orders-task/3f2a9c';

const lattice = (principal: string, service = SERVICE): Record<string, string> => ({
  'x-amzn-lattice-identity': `Principal=${principal}; PrincipalOrgID=o-abc123; SessionName=3f2a9c; Type=AWS_IAM`,
  'x-amzn-lattice-network': 'SourceVpcArn=arn:aws:ec2:us-east-1:444455556666:vpc/vpc-0abc',
  'x-amzn-lattice-target': `ServiceArn=${service};ServiceNetworkArn=arn:aws:vpc-lattice:us-east-1:111122223333:servicenetwork/sn-0abc;TargetGroupArn=arn:aws:vpc-lattice:us-east-1:111122223333:targetgroup/tg-0abc`,
});

describe.each<Platform>(['express', 'fastify'])('VPC Lattice identities on %s', (platform) => {
  describe('from a trusted Lattice peer', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startIamApp(platform, {
        iam: {
          lattice: { trustedPeers: ['127.0.0.1', '::1'], serviceArns: [SERVICE] },
          identityPolicies: { unreadableIdentityPolicies: 'resource-policy-only' },
        },
      });
    });
    afterAll(async () => {
      await running.close();
    });

    it("the caller is Lattice's Principal; no Lattice header reaches the handler", async () => {
      const response = await request(running.url).get('/pets').set(lattice(PARTNER));
      expect(response.status).toBe(200);
      const body = response.body as {
        auth: { identity: Record<string, unknown> };
        identityHeadersSeen: string[];
      };
      expect(body.auth.identity).toMatchObject({
        userArn: PARTNER,
        accountId: '444455556666',
        principalOrgId: 'o-abc123',
        accessKey: null,
      });
      expect(body.identityHeadersSeen).toEqual([]);
    });

    it('the resource policy still decides per method (RP-06 Table B)', async () => {
      const response = await request(running.url).post('/pets').set(lattice(PARTNER)).send({});
      expect(response.status).toBe(403);
      expect(response.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    });

    const sig25 = { message: 'The security token included in the request is invalid.' };
    it('a request meant for another Lattice service is refused (SIG-25)', async () => {
      const response = await request(running.url).get('/pets').set(lattice(PARTNER, OTHER_SERVICE));
      expect(response.status).toBe(403);
      expect(response.body).toEqual(sig25);
    });

    it('an identity header sent twice is refused', async () => {
      const headers = ['host', running.host, ...Object.entries(lattice(PARTNER)).flat()];
      headers.push('x-amzn-lattice-identity', `Principal=${PARTNER}`);
      const response = await rawGet(running.url, '/pets', headers);
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toEqual(sig25);
    });

    it('a malformed identity or Principal is refused', async () => {
      for (const identity of ['Principal', 'Principal=arn:aws:s3:::bucket']) {
        const response = await request(running.url)
          .get('/pets')
          .set({ ...lattice(PARTNER), 'x-amzn-lattice-identity': identity });
        expect(response.status).toBe(403);
        expect(response.body).toEqual(sig25);
      }
    });

    it('no Principal (Lattice auth type NONE): Missing Authentication Token (SIG-20)', async () => {
      const response = await request(running.url)
        .get('/pets')
        .set({ ...lattice(PARTNER), 'x-amzn-lattice-identity': 'Principal=; Type=NONE' });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ message: 'Missing Authentication Token' });
    });
  });

  describe('from any other peer, Lattice headers are ignored and never reach the handler', () => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startIamApp(platform, {
        iam: {
          credentials: (await import('../sigv4/iam-test-app')).CREDENTIALS,
          lattice: {
            trustedPeers: ['169.254.171.0/24', 'fd00:ec2:80::/64'],
            serviceArns: [SERVICE],
          },
          identityPolicies: { unreadableIdentityPolicies: 'resource-policy-only' },
        },
      });
    });
    afterAll(async () => {
      await running.close();
    });

    it('spoofed headers alone: Missing Authentication Token', async () => {
      const response = await request(running.url)
        .get('/pets')
        .set({ ...lattice(PARTNER), 'x-forwarded-for': '169.254.171.7' });
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ message: 'Missing Authentication Token' });
    });

    it('with a valid SigV4 signature: the signer is the caller, the spoofed headers are dropped', async () => {
      const signed = await signWithSmithy(
        { method: 'GET', host: running.host, path: '/pets', date: NOW, headers: lattice(PARTNER) },
        ALICE,
      );
      const response = await send(running.url, signed);
      expect(response.status).toBe(200);
      const body = response.body as {
        auth: { identity: Record<string, unknown> };
        identityHeadersSeen: string[];
      };
      expect(body.auth.identity.userArn).toBe('arn:aws:iam::111122223333:user/alice');
      expect(body.identityHeadersSeen).toEqual([]);
    });
  });
});
