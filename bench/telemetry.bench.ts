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
  GatewayAuth,
  silentLogger,
  type GatewayAuthOptions,
  type HttpRequest,
} from '../libs/gateway-auth/src';
import { CustomAuthorizer, GatewayAuthModule } from '../libs/gateway-auth/src/nest';
import { measure } from './harness';
import { runAutocannon, startNestApp, type StartedApp } from './http-harness';
import { authorizerPolicy } from '../test/helpers/authorizer-policy';

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
        handler: () => Promise.resolve(authorizerPolicy('Allow', 'user')),
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
  const run = (auth: GatewayAuth) => () => {
    void auth.authorize({ ...request }, route);
  };
  const seconds = Number(process.env.BENCH_SECONDS ?? 2) / 4;
  const off = new GatewayAuth(options(false));
  await off.authorize({ ...request }, route);
  /** Paired rounds of `off` and `measured`: the per-round ratios. */
  const paired = (measured: GatewayAuth): number[] => {
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = measure('off', run(off), seconds).opsPerSecond;
      const b = measure('measured', run(measured), seconds).opsPerSecond;
      ratios.push(b / a);
    }
    return ratios;
  };
  // 1. No SDK registered (the default telemetry sees only the API's no-ops).
  const noSdk = new GatewayAuth(options(undefined));
  await noSdk.authorize({ ...request }, route);
  summary('default telemetry, no SDK installed', paired(noSdk), 'telemetry off');
  // 2. The SDK's MeterProvider registered: metrics on, traces off.
  const provider = installMeterProvider();
  const withMetrics = new GatewayAuth(options({ openTelemetry: { traces: false } }));
  await withMetrics.authorize({ ...request }, route);
  summary('OpenTelemetry SDK, metrics on (traces off)', paired(withMetrics), 'telemetry off');
  // 3. And a TracerProvider (AlwaysOn sampler; spans dropped by a no-op processor).
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }),
  );
  const withTraces = new GatewayAuth(options(undefined));
  await withTraces.authorize({ ...request }, route);
  summary('OpenTelemetry SDK, metrics + traces (AlwaysOn)', paired(withTraces), 'telemetry off');
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
  const load = (app: StartedApp) => async () => {
    const result = await runAutocannon({
      url: `${app.url}/orders`,
      headers: { authorization: 'bench-token' },
    });
    if (result.non2xx > 0 || result.errors > 0) throw new Error('the bench route failed');
    return result;
  };
  const rounds = Math.min(ROUNDS, 5);
  /** Alternating rounds of `off` and each measured app: the per-round ratios. */
  const alternate = async (off: StartedApp, measured: StartedApp[]): Promise<number[][]> => {
    const ratios = measured.map(() => [] as number[]);
    const rps: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const a = await load(off)();
      const row = [a.requestsPerSecond];
      for (const [i, app] of measured.entries()) {
        const b = await load(app)();
        ratios[i]?.push(b.requestsPerSecond / a.requestsPerSecond);
        row.push(b.requestsPerSecond);
      }
      rps.push(row.map((r) => Math.round(r).toLocaleString('en-US')).join(' / '));
    }
    console.log(`req/s per round (off first): ${rps.join('; ')}`);
    return ratios;
  };
  const off = await start(false);
  // 1. No SDK registered: the default telemetry, and the access log (telemetry off).
  const noSdk = await start(undefined);
  const logged = await start(false);
  new AccessLog(logged.app.get(GatewayAuth), { format: 'JSON', write: () => undefined }).attach(
    logged.app.getHttpServer() as Server,
  );
  const [noSdkRatios, loggedRatios] = await alternate(off, [noSdk, logged]);
  summary('default telemetry, no SDK installed', noSdkRatios ?? [], 'telemetry off');
  summary('access log on (JSON example, telemetry off)', loggedRatios ?? [], 'telemetry off');
  await Promise.all([noSdk.close(), logged.close()]);
  // 2. The SDK's MeterProvider registered: metrics on (traces off).
  const provider = installMeterProvider();
  const withMetrics = await start({ openTelemetry: { traces: false } });
  const [metricsRatios] = await alternate(off, [withMetrics]);
  summary('OpenTelemetry SDK, metrics on (traces off)', metricsRatios ?? [], 'telemetry off');
  await Promise.all([off.close(), withMetrics.close()]);
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
