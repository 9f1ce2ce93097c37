/**
 * HTTP throughput harness for the benches: start a Nest app on Express or Fastify on a free port,
 * and drive it with autocannon. autocannon runs in a worker thread by default so the server's event
 * loop keeps the main thread to itself (the machine has two cores).
 */
import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

export type Platform = 'express' | 'fastify';

export interface StartedApp {
  url: string;
  app: INestApplication;
  close(): Promise<void>;
}

/** Starts `moduleClass` on `platform` at 127.0.0.1 on a free port (gateway-auth reads bodies). */
export async function startNestApp(
  moduleClass: Type<unknown>,
  platform: Platform,
): Promise<StartedApp> {
  const app =
    platform === 'fastify'
      ? await NestFactory.create(moduleClass, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(moduleClass, { logger: false });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, app, close: () => app.close() };
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** autocannon request list (static objects only when `workers` > 0). */
  requests?: autocannon.Request[];
  durationSeconds?: number;
  connections?: number;
  /** Worker threads generating load; 0 runs autocannon on the main thread. Default 1. */
  workers?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latencyP99Ms: number;
}

/** Runs autocannon against `url` and summarises the result. */
export async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const workers = options.workers ?? 1;
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    requests: options.requests,
    duration: options.durationSeconds ?? Number(process.env.BENCH_SECONDS ?? 5),
    connections: options.connections ?? 50,
    ...(workers > 0 ? { workers } : {}),
  });
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    latencyP99Ms: result.latency.p99,
  };
}

/** Prints a route's throughput as a ratio to a baseline route measured in the same run. */
export function reportRatio(
  name: string,
  measured: LoadResult,
  baseline: LoadResult,
  baselineName: string,
): void {
  const ratio = measured.requestsPerSecond / baseline.requestsPerSecond;
  console.log(
    `${name.padEnd(60)} ${Math.round(measured.requestsPerSecond).toLocaleString('en-US').padStart(9)} req/s  ${ratio.toFixed(3)}x ${baselineName}` +
      `  (errors ${measured.errors}, non-2xx ${measured.non2xx}, p99 ${measured.latencyP99Ms} ms)`,
  );
}

export interface PairedRatio<T extends LoadResult = LoadResult> {
  /** Median over rounds of the measured route's req/s divided by the baseline's in the same round. */
  ratio: number;
  /** Every round's ratio, in order (the spread is the noise). */
  ratios: number[];
  /** The round whose ratio is the median (its two runs, for reporting). */
  baseline: T;
  measured: T;
}

/**
 * Alternates a baseline run and a measured run `rounds` times (throwing if the measured route
 * answers anything but 2xx) and reports the median of the
 * per-round ratios. On a shared 2-vCPU machine throughput swings between seconds; a ratio of two
 * adjacent runs cancels most of a swing, and the median ignores the rounds a burst spoiled (a
 * "best of each" ratio could pair a lucky baseline with an unlucky measurement, or the reverse).
 */
export async function pairedRatio<T extends LoadResult>(
  baseline: () => Promise<T>,
  measured: () => Promise<T>,
  rounds = 5,
): Promise<PairedRatio<T>> {
  const pairs: Array<{ ratio: number; baseline: T; measured: T }> = [];
  for (let round = 0; round < rounds; round++) {
    const b = await baseline();
    const m = await measured();
    // A guarded route that refuses its own bench traffic would measure error responses.
    if (m.non2xx > 0) throw new Error(`the measured route refused ${m.non2xx} requests`);
    pairs.push({ ratio: m.requestsPerSecond / b.requestsPerSecond, baseline: b, measured: m });
  }
  const sorted = [...pairs].sort((x, y) => x.ratio - y.ratio);
  const median = sorted[sorted.length >> 1] as (typeof pairs)[number];
  return { ...median, ratios: pairs.map((p) => p.ratio) };
}

/** Prints a {@link pairedRatio}: the median round's two runs, then every round's ratio. */
export function reportPaired(name: string, paired: PairedRatio, baselineName: string): void {
  reportRatio(name, paired.measured, paired.baseline, baselineName);
  console.log(
    `${name}: median of ${paired.ratios.length} paired rounds ${paired.ratio.toFixed(3)}x ` +
      `(rounds: ${paired.ratios.map((r) => r.toFixed(3)).join(', ')})`,
  );
}

/** What the load process of {@link serverCpuPerRequest} runs: autocannon over a request list. */
const LOAD_PROCESS = `
const autocannon = require(process.argv[1]);
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const { url, requests, amount, connections } = JSON.parse(input);
  autocannon({ url, requests, amount, connections }, (error, result) => {
    if (error) { console.error(error); process.exit(2); }
    process.exit(result.non2xx > 0 || result.errors > 0 ? 1 : 0);
  });
});`;

/**
 * The server's CPU time per request (µs) while a separate process sends `amount` requests, each
 * connection cycling through `requests` (e.g. a new token per request). CPU time of this process (the
 * server's) per request does not depend on what else shares the machine, as requests/s does: its
 * inverse is the throughput a dedicated core would reach.
 * @throws Error when a response is not 2xx (the route refused its bench traffic) or the load failed.
 */
export async function serverCpuPerRequest(
  url: string,
  requests: autocannon.Request[],
  amount = Number(process.env.BENCH_CPU_REQUESTS ?? 20000),
  connections = 20,
): Promise<number> {
  const before = process.cpuUsage();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', LOAD_PROCESS, require.resolve('autocannon')], {
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c ?? 1));
    child.stdin.end(JSON.stringify({ url, requests, amount, connections }));
  });
  const used = process.cpuUsage(before);
  if (code !== 0) throw new Error(`load on ${url} failed (exit ${code}: non-2xx or errors)`);
  return (used.user + used.system) / amount;
}
