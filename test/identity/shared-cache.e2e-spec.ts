// Several tasks behind the ALB share verified proofs and IAM policy reads through the Redis that
// already shares authorizer decisions (cache.redis): a caller's proof costs one STS call per
// fleet, not one per task (STS quotas are the caller's and cannot be raised), and a task that
// never saw a caller answers it from Redis even when IAM and STS are unreachable.
import {
  GatewayAuth,
  fixedClock,
  silentLogger,
  systemClock,
  type GatewayAuthOptions,
  type HttpRequest,
} from '../../libs/gateway-auth/src';
import { signIdentityProof } from '../../libs/gateway-auth/src/client';
import Redis from 'ioredis';
import { RedisDecisionCache } from '../../libs/gateway-auth/src';
import { describeWithMoto, startMotoServer } from '../helpers/moto-server';
import { describeWithRedis, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { startHostileSts, type HostileSts } from './hostile-sts';
import { API_ACCOUNT, assumeRole, seedAccounts } from './moto-accounts';

const NOW = new Date('2026-03-01T10:00:00Z');
const API = { region: 'us-east-1', accountId: API_ACCOUNT, apiId: 'petstore', stage: 'prod' };
const AUDIENCE = `arn:aws:execute-api:us-east-1:${API_ACCOUNT}:petstore`;
const CALLER = {
  accessKeyId: 'ASIACALLER0000000001',
  secretAccessKey: 'caller-secret-key-0000000000000000000000',
  sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==',
};

const request = (proof: string): HttpRequest => ({
  method: 'GET',
  path: '/pets',
  rawQuery: '',
  headers: { 'x-gateway-auth-identity': proof },
  sourceIp: '10.0.0.9',
  secure: true,
});
const authorize = async (gateway: GatewayAuth, proof: string): Promise<unknown> =>
  gateway.authorize(request(proof), { model: 'iam', options: {} });

/** Waits until `count` clients besides itself are connected to Redis (tasks that finished booting). */
async function connectedClients(url: string, count: number): Promise<void> {
  const admin = new Redis(url);
  try {
    for (let i = 0; i < 100; i++) {
      const list = (await admin.client('LIST')) as string;
      if (list.trim().split('\n').length > count) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`fewer than ${count} Redis clients connected`);
  } finally {
    admin.disconnect();
  }
}

describeWithRedis('identity proofs and IAM policies shared through Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  describe('against a counting STS', () => {
    let sts: HostileSts;
    beforeAll(async () => {
      sts = await startHostileSts([
        {
          ...CALLER,
          arn: 'arn:aws:sts::444455556666:assumed-role/orders-lambda/fn',
          userId: 'AROACALLER:fn',
          account: '444455556666',
        },
      ]);
    });
    afterAll(async () => {
      await sts.close();
    });

    it('one STS call for a proof used on three tasks', async () => {
      // Each task's own connection (the `cache.store` form), connected before the first request.
      const stores = [0, 1, 2].map(
        () => new RedisDecisionCache({ redis: redis.url, keyPrefix: 'gateway-auth:identity:' }),
      );
      await Promise.all(stores.map((s) => s.waitUntilReady()));
      const task = (store: RedisDecisionCache): GatewayAuth =>
        new GatewayAuth({
          api: API,
          resourcePolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: '444455556666' },
                Action: 'execute-api:Invoke',
                Resource: 'execute-api:/*',
              },
            ],
          },
          iam: {
            identityProofs: { stsEndpoint: sts.url },
            identityPolicies: { unreadableIdentityPolicies: 'resource-policy-only' },
          },
          cache: { store },
          clock: fixedClock(NOW.getTime()),
          logger: silentLogger,
        });
      const tasks = stores.map(task);
      try {
        const proof = await signIdentityProof({
          audience: AUDIENCE,
          region: 'us-east-1',
          credentials: CALLER,
          date: NOW,
        });
        await authorize(tasks[0] as GatewayAuth, proof);
        await Promise.all(tasks.slice(1).map((t) => authorize(t, proof)));
        expect(sts.received).toHaveLength(1);
      } finally {
        await Promise.all(tasks.map((t) => t.close()));
        await Promise.all(stores.map((s) => s.close()));
      }
    });
  });

  describeWithMoto('against moto', () => {
    it('a task that never saw the caller answers from Redis while STS and IAM are down', async () => {
      const moto = await startMotoServer();
      const saved = { ...process.env };
      const gateways: GatewayAuth[] = [];
      try {
        const seeded = await seedAccounts(moto.url);
        await moto.setAuth(true);
        Object.assign(process.env, {
          AWS_ACCESS_KEY_ID: seeded.service.accessKeyId,
          AWS_SECRET_ACCESS_KEY: seeded.service.secretAccessKey,
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL_IAM: moto.url,
          AWS_ENDPOINT_URL_STS: moto.url,
        });
        delete process.env.AWS_SESSION_TOKEN;
        const options: GatewayAuthOptions = {
          api: API,
          iam: { identityProofs: true },
          cache: { redis: redis.url },
          clock: systemClock,
          logger: silentLogger,
        };
        const keys = await assumeRole(
          moto.url,
          seeded.launchers[API_ACCOUNT] as typeof CALLER,
          `arn:aws:iam::${API_ACCOUNT}:role/svc/orders-task`,
          'fleet',
        );
        const proof = await signIdentityProof({
          audience: AUDIENCE,
          region: 'us-east-1',
          credentials: keys,
        });
        // Both tasks start together (`cache.redis`: each connects at boot); only the first sees
        // the caller while STS and IAM answer.
        const first = new GatewayAuth(options);
        const second = new GatewayAuth(options);
        gateways.push(first, second);
        await connectedClients(redis.url, 2);
        await expect(authorize(first, proof)).resolves.toMatchObject({ type: 'AWS_IAM' });
        await moto.stop();
        await expect(authorize(second, proof)).resolves.toMatchObject({ type: 'AWS_IAM' });
      } finally {
        await Promise.all(gateways.map((g) => g.close()));
        await moto.stop();
        process.env = saved;
      }
    }, 60_000);
  });
});
