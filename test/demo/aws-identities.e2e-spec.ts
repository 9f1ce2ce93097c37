// The demo's /admin/pets routes accept all three kinds of AWS_IAM caller (issue 13): a key of the
// credentials file (SigV4), a role with AWS-issued credentials through an identity proof
// (IAM_IDENTITY_PROOFS, STS reached through the SDK's AWS_ENDPOINT_URL_STS), and a caller VPC
// Lattice verified (LATTICE_TRUSTED_PEERS, LATTICE_SERVICE_ARNS). The proof's caller is in another
// account without a reader role: IAM_UNREADABLE_IDENTITY_POLICIES=resource-policy-only lets the
// API's resource policy (RESOURCE_POLICY_FILE) decide, so no IAM is needed here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo, type RunningDemo } from '../../apps/demo/src/create-demo-app';
import { loadDemoConfig } from '../../apps/demo/src/config/demo-config';
import { silentLogger } from '../../libs/gateway-auth/src';
import { withAwsIdentity } from '../../libs/gateway-auth/src/client';
import { startHostileSts, type HostileSts } from '../identity/hostile-sts';
import { demoCallers, localDemoEnv, signWithSmithy } from './demo-clients';

const SERVICE = 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0';
const PARTNER_SESSION = {
  accessKeyId: 'ASIAPARTNER000000001',
  secretAccessKey: 'partner-secret-key-000000000000000000000',
  sessionToken: 'IQoJb3JpZ2luX2VjEPartnerSessionToken==',
};
const PARTNER_ARN = 'arn:aws:sts::444455556666:assumed-role/orders-lambda/orders-fn';

describe.each(['express', 'fastify'])(
  'demo /admin/pets with three kinds of caller on %s',
  (platform) => {
    let sts: HostileSts;
    let demo: RunningDemo;
    let dir: string;
    const savedEndpoint = process.env.AWS_ENDPOINT_URL_STS;

    beforeAll(async () => {
      sts = await startHostileSts([
        {
          ...PARTNER_SESSION,
          arn: PARTNER_ARN,
          userId: 'AROAPARTNER:orders-fn',
          account: '444455556666',
        },
      ]);
      process.env.AWS_ENDPOINT_URL_STS = sts.url;
      dir = mkdtempSync(join(tmpdir(), 'demo-identities-'));
      const policy = join(dir, 'resource-policy.json');
      writeFileSync(
        policy,
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: ['444455556666'] },
              Action: 'execute-api:Invoke',
              Resource: 'arn:aws:execute-api:*:*:*/*/GET/admin/pets',
            },
          ],
        }),
      );
      const config = loadDemoConfig(
        localDemoEnv(platform, {
          RESOURCE_POLICY_FILE: policy,
          IAM_IDENTITY_PROOFS: 'true',
          IAM_UNREADABLE_IDENTITY_POLICIES: 'resource-policy-only',
          LATTICE_TRUSTED_PEERS: '127.0.0.1,::1',
          LATTICE_SERVICE_ARNS: SERVICE,
        }),
      );
      demo = await startDemo(config, { logger: silentLogger, nestLogger: false });
    });

    afterAll(async () => {
      await demo.close();
      await sts.close();
      rmSync(dir, { recursive: true, force: true });
      if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_STS;
      else process.env.AWS_ENDPOINT_URL_STS = savedEndpoint;
    });

    const userArnOf = async (response: Response): Promise<unknown> =>
      ((await response.json()) as { authContext: { identity: { userArn: unknown } } }).authContext
        .identity.userArn;

    it('a SigV4 caller of the credentials file', async () => {
      const { admin } = demoCallers();
      const headers = await signWithSmithy({
        baseUrl: demo.url,
        method: 'GET',
        path: '/admin/pets',
        caller: admin,
      });
      const response = await fetch(`${demo.url}/admin/pets`, { headers });
      expect(response.status).toBe(200);
      expect(await userArnOf(response)).toBe(admin.arn);
    });

    it('a Lambda role of another account, with an identity proof added by withAwsIdentity()', async () => {
      const apiFetch = withAwsIdentity({
        audience: 'arn:aws:execute-api:us-east-1:111122223333:petstore',
        region: 'us-east-1',
        credentials: PARTNER_SESSION,
      });
      const response = await apiFetch(`${demo.url}/admin/pets`);
      expect(response.status).toBe(200);
      expect(await userArnOf(response)).toBe(PARTNER_ARN);
      // The resource policy lets that account GET only.
      expect(
        (await apiFetch(`${demo.url}/admin/pets`, { method: 'POST', body: '{}' })).status,
      ).toBe(403);
    });

    it('a caller VPC Lattice verified', async () => {
      const response = await fetch(`${demo.url}/admin/pets`, {
        headers: {
          'x-amzn-lattice-identity': `Principal=arn:aws:sts::444455556666:assumed-role/billing-task/t1; SessionName=t1`,
          'x-amzn-lattice-target': `ServiceArn=${SERVICE}`,
        },
      });
      expect(response.status).toBe(200);
      expect(await userArnOf(response)).toBe(
        'arn:aws:sts::444455556666:assumed-role/billing-task/t1',
      );
    });
  },
);
