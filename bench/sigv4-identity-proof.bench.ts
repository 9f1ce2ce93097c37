// Identity proofs (issue 13), every figure a ratio measured in the same run:
//  (1) the hit path: a request carrying an already-verified X-Gateway-Auth-Identity proof vs a
//      request signed with SigV4 by a key of a credential file (the target: the proof
//      costs at most 1.1x the credential-file request). Both run IamAuthenticator.authorize()
//      synchronously, with decisions memoized (no policy reads the request context).
//  (2) the miss path: STS calls per proof (one), measured against a local STS stand-in that
//      verifies the signature (test/identity/hostile-sts.ts) — first use, repeats, and 50
//      concurrent first uses of another proof.
// Rounds are interleaved batches; each round's ratio is reported, then the median and spread.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileCredentialProvider,
  fixedClock,
  silentLogger,
  type HttpRequest,
} from '../libs/gateway-auth/src';
import { signIdentityProof } from '../libs/gateway-auth/src/client';
import type { SharedServices } from '../libs/gateway-auth/src/core/authenticator';
import { compilePolicy } from '../libs/gateway-auth/src/core/iam';
import { IamAuthenticator } from '../libs/gateway-auth/src/core/sigv4/iam-authenticator';
import { startHostileSts } from '../test/identity/hostile-sts';
import { signedPetsHeaders } from './signed-pets-request';

const DATE = new Date('2026-03-01T10:00:00Z');
const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const FILE_KEY = {
  accessKeyId: 'AKIABENCH00000000001',
  secretAccessKey: 'bench-secret-key-00000000000000',
};
/** A role session of another account, with a session token of a real one's length (~1 KB). */
const SESSION = {
  accessKeyId: 'ASIABENCH00000000001',
  secretAccessKey: 'bench-session-secret-0000000000000000000',
  sessionToken: `IQoJb3JpZ2luX2VjE${'A'.repeat(1000)}==`,
};
const INVOKE_PETS = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/GET/pets',
    },
  ],
};
const RESOURCE_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: '444455556666' },
      Action: 'execute-api:Invoke',
      Resource: 'arn:aws:execute-api:us-east-1:111122223333:petstore/prod/GET/pets',
    },
  ],
};

const request = (headers: Record<string, string>): HttpRequest => ({
  method: 'GET',
  path: '/pets',
  rawQuery: 'limit=10&sort=name',
  headers,
  sourceIp: '10.0.0.1',
  secure: true,
});

async function main(): Promise<void> {
  const sts = await startHostileSts([
    {
      ...SESSION,
      arn: 'arn:aws:sts::444455556666:assumed-role/orders-task/bench',
      userId: 'AROABENCH:bench',
      account: '444455556666',
    },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'gateway-auth-bench-'));
  const file = join(dir, 'iam-credentials.json');
  writeFileSync(
    file,
    JSON.stringify({
      credentials: [
        {
          ...FILE_KEY,
          principal: { arn: 'arn:aws:iam::111122223333:user/bench' },
          policies: [INVOKE_PETS],
        },
      ],
    }),
  );
  const shared: SharedServices = {
    api: API,
    clock: fixedClock(DATE.getTime()),
    logger: silentLogger,
    resourcePolicy: compilePolicy(RESOURCE_POLICY, 'resourcePolicy', { kind: 'resource' }),
  };
  const authenticator = new IamAuthenticator(
    {
      credentials: new FileCredentialProvider(file, { watch: false }),
      identityProofs: { stsEndpoint: sts.url },
      identityPolicies: { unreadableIdentityPolicies: 'resource-policy-only' },
    },
    shared,
  );
  try {
    const signed = request(await signedPetsHeaders(FILE_KEY, 'api.example.com', DATE));
    const proofValue = await signIdentityProof({
      audience: 'arn:aws:execute-api:us-east-1:111122223333:petstore',
      region: 'us-east-1',
      credentials: SESSION,
      date: DATE,
    });
    const proved = request({
      host: 'api.example.com',
      accept: 'application/json',
      'user-agent': 'bench/1.0',
      'x-gateway-auth-identity': proofValue,
    });

    // (2) the miss path.
    const started = process.hrtime.bigint();
    await authenticator.authorize(proved, {});
    const missMs = Number(process.hrtime.bigint() - started) / 1e6;
    for (let i = 0; i < 100; i++) await authenticator.authorize(proved, {});
    const other = request({
      'x-gateway-auth-identity': await signIdentityProof({
        audience: 'arn:aws:execute-api:us-east-1:111122223333:petstore',
        region: 'us-east-1',
        credentials: SESSION,
        date: new Date(DATE.getTime() - 1000),
      }),
    });
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        await authenticator.authorize(other, {});
      }),
    );
    console.log(
      `proof header: ${proofValue.length} bytes (session token of ${SESSION.sessionToken.length})`,
    );
    console.log(
      `miss path: first use ${missMs.toFixed(1)} ms (local STS stand-in; real STS adds its round trip)`,
    );
    console.log(
      `STS calls: ${sts.received.length} for 2 proofs (one used 101 times in sequence, one 50 times concurrently)`,
    );

    // (1) the hit path, interleaved batches.
    if (authenticator.authorize(proved, {}) instanceof Promise)
      throw new Error('cached proof not sync');
    if (authenticator.authorize(signed, {}) instanceof Promise)
      throw new Error('file key not sync');
    const candidates = [
      { name: 'credential-file SigV4 request', run: () => authenticator.authorize(signed, {}) },
      { name: 'cached identity proof', run: () => authenticator.authorize(proved, {}) },
    ];
    const BATCH = 1000;
    const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
    const perRound = Number(process.env.BENCH_SECONDS ?? 1) * 1e9;
    const ratios: number[] = [];
    const nsPerOp = candidates.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      const fastest = candidates.map(() => Infinity);
      let spent = 0;
      while (spent < perRound) {
        candidates.forEach((c, k) => {
          const start = process.hrtime.bigint();
          // Both answer synchronously (checked above): no promise to await.
          for (let i = 0; i < BATCH; i++) void c.run();
          const ns = Number(process.hrtime.bigint() - start);
          if (ns < (fastest[k] as number)) fastest[k] = ns;
          spent += ns;
        });
      }
      fastest.forEach((ns, k) => nsPerOp[k]?.push(ns / BATCH));
      ratios.push((fastest[1] as number) / (fastest[0] as number));
    }
    candidates.forEach((c, k) => {
      const sorted = [...(nsPerOp[k] as number[])].sort((a, b) => a - b);
      console.log(
        `${c.name.padEnd(34)} ${((sorted[Math.floor(sorted.length / 2)] as number) / 1000).toFixed(2)} µs/request (median of ${rounds} rounds)`,
      );
    });
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(
      `cost of a cached proof / a credential-file request: median ${(sorted[Math.floor(sorted.length / 2)] as number).toFixed(3)}x, ` +
        `range ${(sorted[0] as number).toFixed(3)}-${(sorted[sorted.length - 1] as number).toFixed(3)}x over ${rounds} rounds (target <= 1.1x)`,
    );
  } finally {
    await authenticator.close();
    await sts.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
