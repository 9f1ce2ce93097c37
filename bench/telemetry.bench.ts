// Telemetry (issue 15): what metrics, traces and access logs cost on the hot path — a Lambda
// authorizer's cached decision — as ratios to the same path with telemetry off, measured in the same
// run. CPU: `authorize()` in a loop, paired batches (median and range of the per-round ratios).
// HTTP: the Express `@CustomAuthorizer()` route under autocannon, alternating rounds (median and
// range). Configurations: telemetry off; the default (OpenTelemetry API) without an SDK; the real
// SDK with a MeterProvider (metrics on); SDK metrics + traces (AlwaysOn sampler, spans dropped);
// the access log (AWS's JSON example) on.
import 'reflect-metadata';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { metrics, trace } from '@opentelemetry/api';
import {
  InMemoryMetricExporter,
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Server } from 'node:http';
import {
  AccessLog,
  CustomAuthorizer,
  GatewayAuth,
  GatewayAuthModule,
  silentLogger,
  type GatewayAuthOptions,
  type HttpRequest,
} from '../libs/gateway-auth/src';
import { measure } from './harness';
import { runAutocannon, startNestApp, type StartedApp } from './http-harness';

const API = { region: 'us-east-1', accountId: '111122223333', apiId: 'petstore', stage: 'prod' };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

function options(telemetry: GatewayAuthOptions['telemetry']): GatewayAuthOptions {
  return {
    api: API,
    logger: silentLogger,
    ...(telemetry === undefined ? {} : { telemetry }),
    authorizers: {
      orders: {
        type: 'TOKEN',
        ttlSeconds: 300,
        handler: () =>
          Promise.resolve({
            principalId: 'user',
            policyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }],
            },
          }),
      },
    },
  };
}

const request: HttpRequest = {
  method: 'GET',
  path: '/orders',
  rawQuery: '',
  headers: { authorization: 'bench-token' },
  sourceIp: '127.0.0.1',
  secure: false,
};
const route = { model: 'custom', options: { name: 'orders' } } as const;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

function summary(name: string, ratios: readonly number[], baseline: string): void {
  const min = Math.min(...ratios);
  const max = Math.max(...ratios);
  console.log(
    `${name.padEnd(58)} ${median(ratios).toFixed(3)}x ${baseline} (median of ${ratios.length}; range ${min.toFixed(3)}-${max.toFixed(3)})`,
  );
}

function installMeterProvider(): MeterProvider {
  const provider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  });
  metrics.setGlobalMeterProvider(provider);
  return provider;
}

async function cpuFigures(): Promise<void> {
  console.log('\n--- CPU: authorize() of a cached Lambda-authorizer decision, in a loop ---');
  const off = new GatewayAuth(options(false));
  const noSdk = new GatewayAuth(options(undefined));
  // Warm the default instance before any SDK exists: its instruments are the API's no-ops.
  for (let i = 0; i < 10; i++) await noSdk.authorize({ ...request }, route);
  await off.authorize({ ...request }, route);
  const provider = installMeterProvider();
  const withMetrics = new GatewayAuth(options({ openTelemetry: { traces: false } }));
  await withMetrics.authorize({ ...request }, route);
  const run = (auth: GatewayAuth) => () => {
    auth.authorize({ ...request }, route);
  };
  const seconds = Number(process.env.BENCH_SECONDS ?? 2) / 4;
  const noSdkRatios: number[] = [];
  const metricsRatios: number[] = [];
  let last = { off: 0, noSdk: 0, metrics: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const a = measure('off', run(off), seconds).opsPerSecond;
    const b = measure('no SDK', run(noSdk), seconds).opsPerSecond;
    const c = measure('SDK metrics', run(withMetrics), seconds).opsPerSecond;
    noSdkRatios.push(b / a);
    metricsRatios.push(c / a);
    last = { off: a, noSdk: b, metrics: c };
  }
  console.log(
    `last round: off ${Math.round(last.off).toLocaleString('en-US')} ops/s, no SDK ${Math.round(last.noSdk).toLocaleString('en-US')}, SDK metrics ${Math.round(last.metrics).toLocaleString('en-US')}`,
  );
  summary('default telemetry, no SDK installed', noSdkRatios, 'telemetry off');
  summary('OpenTelemetry SDK, metrics on (traces off)', metricsRatios, 'telemetry off');

  // Traces last: a TracerProvider also reaches the no-SDK instance's ProxyTracer.
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }),
  );
  const withTraces = new GatewayAuth(options(undefined));
  await withTraces.authorize({ ...request }, route);
  const tracesRatios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = measure('off', run(off), seconds).opsPerSecond;
    const d = measure('SDK metrics + traces', run(withTraces), seconds).opsPerSecond;
    tracesRatios.push(d / a);
  }
  summary('OpenTelemetry SDK, metrics + traces (AlwaysOn)', tracesRatios, 'telemetry off');
  await Promise.all([off.close(), noSdk.close(), withMetrics.close(), withTraces.close()]);
  trace.disable();
  await provider.shutdown();
  metrics.disable();
}

@Controller()
class OrdersController {
  @CustomAuthorizer('orders')
  @Get('orders')
  orders(): { ok: boolean } {
    return { ok: true };
  }
}

function appModule(telemetry: GatewayAuthOptions['telemetry']): DynamicModule {
  @Module({})
  class BenchTelemetryModule {}
  return {
    module: BenchTelemetryModule,
    imports: [GatewayAuthModule.forRoot(options(telemetry))],
    controllers: [OrdersController],
  };
}

async function httpFigures(): Promise<void> {
  console.log('\n--- HTTP: Express @CustomAuthorizer() route, cached decision, autocannon ---');
  const start = (telemetry: GatewayAuthOptions['telemetry']): Promise<StartedApp> =>
    startNestApp(appModule(telemetry) as never, 'express');
  const off = await start(false);
  const noSdk = await start(undefined);
  const load = (app: StartedApp) => () =>
    runAutocannon({ url: `${app.url}/orders`, headers: { authorization: 'bench-token' } });
  // Warm the default app before the SDK exists (its instruments stay the API's no-ops).
  await runAutocannon({
    url: `${noSdk.url}/orders`,
    headers: { authorization: 'bench-token' },
    durationSeconds: 1,
  });
  const provider = installMeterProvider();
  const withMetrics = await start({ openTelemetry: { traces: false } });
  const logged = await start(false);
  new AccessLog(logged.app.get(GatewayAuth), { format: 'JSON', write: () => undefined }).attach(
    logged.app.getHttpServer() as Server,
  );
  const ratios = { noSdk: [] as number[], metrics: [] as number[], accessLog: [] as number[] };
  const rps: string[] = [];
  for (let round = 0; round < Math.min(ROUNDS, 5); round++) {
    const a = await load(off)();
    const b = await load(noSdk)();
    const c = await load(withMetrics)();
    const d = await load(logged)();
    for (const r of [a, b, c, d]) {
      if (r.non2xx > 0 || r.errors > 0) throw new Error('the bench route refused or failed');
    }
    ratios.noSdk.push(b.requestsPerSecond / a.requestsPerSecond);
    ratios.metrics.push(c.requestsPerSecond / a.requestsPerSecond);
    ratios.accessLog.push(d.requestsPerSecond / a.requestsPerSecond);
    rps.push(
      [a, b, c, d].map((r) => Math.round(r.requestsPerSecond).toLocaleString('en-US')).join(' / '),
    );
  }
  console.log(`req/s per round (off / no SDK / SDK metrics / access log): ${rps.join('; ')}`);
  summary('default telemetry, no SDK installed', ratios.noSdk, 'telemetry off');
  summary('OpenTelemetry SDK, metrics on (traces off)', ratios.metrics, 'telemetry off');
  summary('access log on (JSON example, telemetry off)', ratios.accessLog, 'telemetry off');
  await Promise.all([off.close(), noSdk.close(), withMetrics.close(), logged.close()]);
  await provider.shutdown();
  metrics.disable();
}

async function main(): Promise<void> {
  await cpuFigures();
  await httpFigures();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
