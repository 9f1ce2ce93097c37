// Identity proofs against moto in server mode as a real STS and IAM, with its SigV4 verification
// on (issue 13): two accounts; roles and users with inline, attached, group and boundary policies;
// AssumeRole sessions; same-account allow, implicit deny and explicit deny; cross-account allowed
// only when both the identity and the resource policy allow (RP-06 Table B); a boundary removing
// an allow; a reader role for the second account; proofs signed by @smithy/signature-v4 (our
// client helper) and by botocore. Skipped, loudly, where moto_server is not installed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { systemClock, type GatewayAuthOptions } from '../../libs/gateway-auth/src';
import { signIdentityProof } from '../../libs/gateway-auth/src/client';
import { pythonWithBotocore } from '../helpers/botocore';
import { describeWithMoto, startMotoServer, type MotoServer } from '../helpers/moto-server';
import { startIamApp, type Platform, type RunningApp } from '../sigv4/iam-test-app';
import {
  API_ACCOUNT,
  API_ARN,
  PARTNER_ACCOUNT,
  assumeRole,
  seedAccounts,
  type Keys,
  type SeededAccounts,
} from './moto-accounts';
import { proofHeader } from './proofs';

const AUDIENCE = `arn:aws:execute-api:us-east-1:${API_ACCOUNT}:petstore`;
/** The partner account may GET /pets; role callers under /svc/ may GET any pet (path from IAM). */
const RESOURCE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` },
      Action: 'execute-api:Invoke',
      Resource: `${API_ARN}/GET/pets`,
    },
    {
      Effect: 'Allow',
      Principal: '*',
      Action: 'execute-api:Invoke',
      Resource: `${API_ARN}/GET/pets/*`,
      Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${API_ACCOUNT}:role/svc/*` } },
    },
  ],
};
const ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_ENDPOINT_URL_IAM',
  'AWS_ENDPOINT_URL_STS',
] as const;

describeWithMoto('identity proofs verified by moto (STS and IAM, SigV4 on)', () => {
  let moto: MotoServer;
  let seeded: SeededAccounts;
  const saved: Partial<Record<(typeof ENV)[number], string>> = {};
  const sessions = new Map<string, Keys>();

  /** Session credentials of a role (assumed once per suite). */
  const session = async (account: string, role: string): Promise<Keys> => {
    const key = `${account}:${role}`;
    let keys = sessions.get(key);
    if (keys === undefined) {
      const launcher = seeded.launchers[account] as Keys;
      keys = await assumeRole(
        moto.url,
        launcher,
        `arn:aws:iam::${account}:role/${role.split('/').pop() as string}`,
        `${role.split('/').pop() as string}-session`,
      );
      sessions.set(key, keys);
    }
    return keys;
  };
  const proofFor = (credentials: Keys): Promise<string> =>
    signIdentityProof({ audience: AUDIENCE, region: 'us-east-1', credentials });

  beforeAll(async () => {
    moto = await startMotoServer();
    seeded = await seedAccounts(moto.url);
    await moto.setAuth(true);
    for (const name of ENV) saved[name] = process.env[name];
    // The service's own credentials and the AWS SDK's standard endpoint configuration.
    process.env.AWS_ACCESS_KEY_ID = seeded.service.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = seeded.service.secretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ENDPOINT_URL_IAM = moto.url;
    process.env.AWS_ENDPOINT_URL_STS = moto.url;
  }, 60_000);

  afterAll(async () => {
    for (const name of ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await moto?.stop();
  });

  const options = (identityPolicies: object = {}): Partial<GatewayAuthOptions> => ({
    resourcePolicy: RESOURCE_POLICY,
    clock: systemClock,
    iam: {
      identityProofs: true,
      identityPolicies: {
        readerRoles: { [PARTNER_ACCOUNT]: seeded.readerRoleArn },
        ...identityPolicies,
      },
    },
  });

  describe.each<Platform>(['express', 'fastify'])('on %s', (platform) => {
    let running: RunningApp;
    beforeAll(async () => {
      running = await startIamApp(platform, options());
    });
    afterAll(async () => {
      await running.close();
    });

    const call = async (
      method: 'GET' | 'POST',
      path: string,
      header: string,
    ): Promise<{ status: number; body: Record<string, unknown>; errorType: string | null }> => {
      const response = await fetch(`${running.url}${path}`, {
        method,
        headers: {
          'x-gateway-auth-identity': header,
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        ...(method === 'POST' ? { body: '{"name":"Rex"}' } : {}),
      });
      return {
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
        errorType: response.headers.get('x-amzn-errortype'),
      };
    };
    const denied = (caller: string, method: string, path: string, why: string): object => ({
      status: 403,
      errorType: 'AccessDeniedException',
      body: {
        Message: `User: ${caller} is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********3333:petstore/prod/${method}${path} ${why}`,
      },
    });
    const sessionArn = (account: string, role: string): string =>
      `arn:aws:sts::${account}:assumed-role/${role}/${role}-session`;

    it('same account, an inline identity policy allows: the session is the caller', async () => {
      const keys = await session(API_ACCOUNT, 'svc/orders-task');
      const outcome = await call('GET', '/pets', await proofFor(keys));
      expect(outcome.status).toBe(200);
      const identity = (outcome.body.auth as { identity: Record<string, unknown> }).identity;
      expect(identity).toMatchObject({
        accountId: API_ACCOUNT,
        userArn: sessionArn(API_ACCOUNT, 'orders-task'),
        accessKey: keys.accessKeyId,
        caller: expect.stringMatching(/^AROA[A-Z0-9]+:orders-task-session$/) as unknown,
      });
      // The proof never reaches the handler (PIPE-09).
      expect(outcome.body.identityHeadersSeen).toEqual([]);
    });

    it('same account, no policy allows the method: implicit deny', async () => {
      const keys = await session(API_ACCOUNT, 'svc/orders-task');
      expect(await call('POST', '/pets', await proofFor(keys))).toEqual(
        denied(
          sessionArn(API_ACCOUNT, 'orders-task'),
          'POST',
          '/pets',
          'because no identity-based policy allows the execute-api:Invoke action',
        ),
      );
    });

    it("the role's path, read with GetRole, is aws:PrincipalArn (resource policy by path)", async () => {
      const inPath = await session(API_ACCOUNT, 'svc/orders-task');
      expect((await call('GET', '/pets/7', await proofFor(inPath))).status).toBe(200);
      const outside = await session(API_ACCOUNT, 'idle-task');
      expect((await call('GET', '/pets/7', await proofFor(outside))).status).toBe(403);
    });

    it('an inline deny beats an attached allow: explicit deny', async () => {
      const keys = await session(API_ACCOUNT, 'denied-task');
      expect(await call('GET', '/pets', await proofFor(keys))).toEqual(
        denied(
          sessionArn(API_ACCOUNT, 'denied-task'),
          'GET',
          '/pets',
          'with an explicit deny in an identity-based policy',
        ),
      );
    });

    it('a permissions boundary removes an allow', async () => {
      const keys = await session(API_ACCOUNT, 'bounded-task');
      expect((await call('GET', '/pets', await proofFor(keys))).status).toBe(200);
      expect(await call('POST', '/pets', await proofFor(keys))).toEqual(
        denied(
          sessionArn(API_ACCOUNT, 'bounded-task'),
          'POST',
          '/pets',
          'because no permissions boundary allows the execute-api:Invoke action',
        ),
      );
    });

    it("a user's group policies, inline and attached, with long-term keys", async () => {
      const header = await proofFor(seeded.alice);
      expect((await call('GET', '/pets', header)).status).toBe(200);
      expect((await call('POST', '/pets', header)).status).toBe(201);
      const idle = await session(API_ACCOUNT, 'idle-task');
      expect((await call('GET', '/pets', await proofFor(idle))).status).toBe(403);
    });

    it('cross account: allowed when the identity (read through the reader role) and the resource policy allow', async () => {
      const keys = await session(PARTNER_ACCOUNT, 'partner-task');
      const header = await proofFor(keys);
      expect((await call('GET', '/pets', header)).status).toBe(200);
      expect(await call('POST', '/pets', header)).toEqual(
        denied(
          sessionArn(PARTNER_ACCOUNT, 'partner-task'),
          'POST',
          '/pets',
          'because no resource-based policy allows the execute-api:Invoke action',
        ),
      );
    });

    it('cross account: the resource policy alone is not enough', async () => {
      const keys = await session(PARTNER_ACCOUNT, 'partner-idle');
      expect(await call('GET', '/pets', await proofFor(keys))).toEqual(
        denied(
          sessionArn(PARTNER_ACCOUNT, 'partner-idle'),
          'GET',
          '/pets',
          'because no identity-based policy allows the execute-api:Invoke action',
        ),
      );
    });

    // botocore is installed with moto; without it, this one test is skipped (and said so).
    (pythonWithBotocore === undefined ? it.skip : it)('a proof signed by botocore', async () => {
      const python = pythonWithBotocore as string;
      const keys = await session(API_ACCOUNT, 'svc/orders-task');
      const run = spawnSync(python, [join(__dirname, 'botocore_identity_proof.py')], {
        input: JSON.stringify({ credentials: keys, region: 'us-east-1', audience: AUDIENCE }),
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      expect((await call('GET', '/pets', run.stdout.trim())).status).toBe(200);
    });

    it('moto refuses a proof for another audience, and session keys without their token: SIG-25', async () => {
      const keys = await session(API_ACCOUNT, 'svc/orders-task');
      const sig25 = {
        status: 403,
        errorType: 'AccessDeniedException',
        body: { message: 'The security token included in the request is invalid.' },
      };
      const otherAudience = await signIdentityProof({
        audience: `${AUDIENCE}-other`,
        region: 'us-east-1',
        credentials: keys,
      });
      expect(await call('GET', '/pets', otherAudience)).toEqual(sig25);
      const { sessionToken: _dropped, ...withoutToken } = keys;
      expect(
        await call(
          'GET',
          '/pets',
          await proofHeader({ audience: AUDIENCE, credentials: withoutToken, date: new Date() }),
        ),
      ).toEqual(sig25);
    });
  });

  describe('a partner account without a reader role', () => {
    it('deny (default): refused even though the resource policy allows', async () => {
      const running = await startIamApp('express', {
        ...options(),
        iam: { identityProofs: true },
      });
      try {
        const keys = await session(PARTNER_ACCOUNT, 'partner-task');
        const response = await fetch(`${running.url}/pets`, {
          headers: { 'x-gateway-auth-identity': await proofFor(keys) },
        });
        expect(response.status).toBe(403);
      } finally {
        await running.close();
      }
    });

    it('resource-policy-only: the resource policy alone decides', async () => {
      const running = await startIamApp('express', {
        ...options(),
        iam: {
          identityProofs: true,
          identityPolicies: { unreadableIdentityPolicies: 'resource-policy-only' },
        },
      });
      try {
        const keys = await session(PARTNER_ACCOUNT, 'partner-idle');
        const header = await proofFor(keys);
        expect(
          (await fetch(`${running.url}/pets`, { headers: { 'x-gateway-auth-identity': header } }))
            .status,
        ).toBe(200);
        expect(
          (
            await fetch(`${running.url}/pets`, {
              method: 'POST',
              headers: { 'x-gateway-auth-identity': header },
            })
          ).status,
        ).toBe(403);
      } finally {
        await running.close();
      }
    });
  });

  describe('a VPC Lattice caller', () => {
    it('is authorized with its identity policies read from IAM, like a proof caller', async () => {
      const service = 'arn:aws:vpc-lattice:us-east-1:111122223333:service/svc-0123456789abcdef0';
      const running = await startIamApp('express', {
        ...options(),
        iam: { lattice: { trustedPeers: ['127.0.0.1', '::1'], serviceArns: [service] } },
      });
      const headers = (role: string): Record<string, string> => ({
        'x-amzn-lattice-identity': `Principal=arn:aws:sts::${API_ACCOUNT}:assumed-role/${role}/lattice-1; SessionName=lattice-1; Type=AWS_IAM`,
        'x-amzn-lattice-target': `ServiceArn=${service}`,
      });
      try {
        const allowed = await fetch(`${running.url}/pets`, { headers: headers('orders-task') });
        expect(allowed.status).toBe(200);
        const body = (await allowed.json()) as { auth: { identity: Record<string, unknown> } };
        // aws:userid from the role's id (GetRole) and the session name: Lattice does not send it.
        expect(body.auth.identity.caller).toMatch(/^AROA[A-Z0-9]+:lattice-1$/);
        const denied = await fetch(`${running.url}/pets`, { headers: headers('denied-task') });
        expect(denied.status).toBe(403);
      } finally {
        await running.close();
      }
    });
  });
});
