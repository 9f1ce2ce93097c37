// Request bodies (issue 11): what GatewayAuthModule's per-request machinery costs a route that no
// model guards — the body capture installed ahead of every parser (Express: a middleware that parses
// JSON and forms itself; Fastify: its content-type parsers, a preParsing and a preValidation hook)
// and the API-definition guard (a no-op without `apiDefinition`) — as the ratio of the same open
// route in an app with the module to one without it, on Express and Fastify: a GET, and a POST
// with a small JSON body. Then, in the app with the module, the same signed JSON POST to an
// `@IamAuth()` route (body hashed into the signature check) against the open route. Median of paired
// autocannon rounds (BENCH_ROUNDS, default 5); `BENCH_PLATFORMS=fastify` picks one. Then the server's
// CPU time per request for the first two figures, the load coming from a separate autocannon
// process (BENCH_CPU_REQUESTS, default 10000, 20 connections), three alternating rounds: steadier
// than requests/s on a shared machine.
import 'reflect-metadata';
import { Sha256 } from '@aws-crypto/sha256-js';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { HttpRequest as SmithyRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { silentLogger, systemClock } from '../libs/gateway-auth/src';
import { GatewayAuthModule, IamAuth } from '../libs/gateway-auth/src/nest';
import {
  pairedRatio,
  reportPaired,
  runAutocannon,
  serverCpuPerRequest,
  startNestApp,
  type Platform,
} from './http-harness';

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PLATFORMS = (process.env.BENCH_PLATFORMS ?? 'express,fastify').split(',') as Platform[];
const BODY = JSON.stringify({
  name: 'Rex',
  kind: 'dog',
  tags: ['good', 'boy'],
  owner: { id: 42, since: '2026-01-01' },
  notes: 'x'.repeat(120),
});

@Controller()
class OpenController {
  @Get('open')
  get(): unknown {
    return { ok: true };
  }

  @Post('open')
  post(@Body() body: { name?: string }): unknown {
    return { name: body.name };
  }
}

@Controller()
class PetsController {
  @IamAuth()
  @Post('pets')
  pets(@Body() body: { name?: string }): unknown {
    return { name: body.name };
  }
}

const CREDS = {
  accessKeyId: 'AKIABENCH00000000001',
  secretAccessKey: 'bench-secret-key-00000000000000000000000',
};

/** Headers of a JSON POST of {@link BODY} to `path`, signed by @smithy/signature-v4. */
async function signedPost(host: string, path: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: CREDS,
    region: API.region,
    service: 'execute-api',
    sha256: Sha256,
  });
  const request = new SmithyRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: host.split(':')[0],
    path,
    headers: { host, 'content-type': 'application/json' },
    body: BODY,
  });
  return (await signer.sign(request, { signingDate: new Date() })).headers;
}

@Module({ controllers: [OpenController] })
class WithoutModule {}

@Module({
  imports: [
    GatewayAuthModule.forRoot({
      api: API,
      logger: silentLogger,
      clock: systemClock,
      iam: {
        credentials: [
          {
            ...CREDS,
            principal: { arn: `arn:aws:iam::${API.accountId}:user/bench` },
            policies: [
              {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
              },
            ],
          },
        ],
      },
    }),
  ],
  controllers: [OpenController, PetsController],
})
class WithModule {}

interface Load {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** This process's CPU µs per request while a separate load process sends `load`. */
function cpuPerRequest(url: string, load: Load): Promise<number> {
  const request = { method: load.method, headers: load.headers, body: load.body };
  return serverCpuPerRequest(url, [request], Number(process.env.BENCH_CPU_REQUESTS ?? 10000));
}

async function cpuFigures(platform: Platform, without: string, withModule: string): Promise<void> {
  const loads: Array<[string, Load]> = [
    ['GET /open', { method: 'GET' }],
    [
      'POST /open, JSON body',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY },
    ],
  ];
  for (const [name, load] of loads) {
    const rounds: Array<{ without: number; with: number }> = [];
    for (let round = 0; round < 3; round++) {
      rounds.push({
        without: await cpuPerRequest(`${without}/open`, load),
        with: await cpuPerRequest(`${withModule}/open`, load),
      });
    }
    const ratio = (r: (typeof rounds)[number]): number => r.with / r.without;
    const middle = [...rounds].sort((a, b) => ratio(a) - ratio(b))[1] as (typeof rounds)[number];
    console.log(
      `${`${platform} ${name}: server CPU per request, with vs without`.padEnd(66)} ${middle.with.toFixed(1)} µs vs ${middle.without.toFixed(1)} µs => median ${ratio(middle).toFixed(3)}x (rounds: ${rounds.map((r) => ratio(r).toFixed(3)).join(', ')})`,
    );
  }
}

async function main(): Promise<void> {
  for (const platform of PLATFORMS) {
    const without = await startNestApp(WithoutModule, platform);
    const withModule = await startNestApp(WithModule, platform);
    try {
      for (const [name, load] of [
        ['GET /open', { method: 'GET' as const }],
        [
          'POST /open, JSON body',
          {
            method: 'POST' as const,
            headers: { 'content-type': 'application/json' },
            body: BODY,
          },
        ],
      ] as const) {
        const paired = await pairedRatio(
          () => runAutocannon({ url: `${without.url}/open`, ...load }),
          () => runAutocannon({ url: `${withModule.url}/open`, ...load }),
          ROUNDS,
        );
        reportPaired(`${platform} ${name} with GatewayAuthModule`, paired, 'without');
      }
      // The path is signed: each route gets its own signature, same body and headers otherwise.
      const host = new URL(withModule.url).host;
      const [openHeaders, petsHeaders] = await Promise.all([
        signedPost(host, '/open'),
        signedPost(host, '/pets'),
      ]);
      // (Before issue 11 this route answered 500 SIGV4_BODY_NOT_CAPTURED: reported, not measured.)
      const signed = await pairedRatio(
        () =>
          runAutocannon({
            url: `${withModule.url}/open`,
            method: 'POST',
            headers: openHeaders,
            body: BODY,
          }),
        () =>
          runAutocannon({
            url: `${withModule.url}/pets`,
            method: 'POST',
            headers: petsHeaders,
            body: BODY,
          }),
        ROUNDS,
      ).catch((error: Error) => error);
      if (signed instanceof Error) {
        console.log(`${platform} signed POST /pets, JSON body, @IamAuth(): ${signed.message}`);
      } else {
        reportPaired(`${platform} signed POST /pets, JSON body, @IamAuth()`, signed, 'unguarded');
      }
      if (process.env.BENCH_SKIP_CPU !== '1')
        await cpuFigures(platform, without.url, withModule.url);
    } finally {
      await without.close();
      await withModule.close();
    }
  }
}

void main();
