// Request bodies (issue 11): what GatewayAuthModule's per-request machinery costs a route that no
// model guards — the body capture installed ahead of every parser (Express: a middleware that parses
// JSON and forms itself; Fastify: its content-type parsers, a preParsing and a preValidation hook)
// and the API-definition guard (a no-op without `apiDefinition`) — as the ratio of the same open
// route in an app with the module to one without it, on Express and Fastify: a GET, and a POST
// with a small JSON body. Median of paired autocannon rounds (BENCH_ROUNDS, default 5);
// `BENCH_PLATFORMS=fastify` picks one.
import 'reflect-metadata';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { silentLogger } from '../libs/gateway-auth/src';
import { GatewayAuthModule } from '../libs/gateway-auth/src/nest';
import {
  pairedRatio,
  reportPaired,
  runAutocannon,
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

@Module({ controllers: [OpenController] })
class WithoutModule {}

@Module({
  imports: [
    GatewayAuthModule.forRoot({
      api: API,
      logger: silentLogger,
      iam: { credentials: [] },
    }),
  ],
  controllers: [OpenController],
})
class WithModule {}

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
    } finally {
      await without.close();
      await withModule.close();
    }
  }
}

void main();
