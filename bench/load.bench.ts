/**
 * Demo load test (issue 6): the demo runs in its own process (as in a container) with embedded
 * local defaults; autocannon drives it from this process.
 *
 * 1. Each contract route alone, with a caller it accepts: requests/s as a ratio to the unguarded
 *    `GET /health` measured in the same run.
 * 2. Mixed traffic over every route, right and wrong callers interleaved: every response is checked
 *    against the decision it must get (status), so the run reports errors and wrong decisions.
 * 3. The demo's resident memory (RSS) after start and at the end.
 *
 * `npm run bench -- load`; `BENCH_SECONDS` (default 2) is the time per figure (each route is paired
 * with a /health figure), the mixed run takes four times that (defaults: about 50 s measured). `HTTP_PLATFORM=fastify` runs the Fastify platform.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startLocalCognito } from '../scripts/local/cognito-local';
import { signWithSmithy } from '../test/demo/demo-clients';
import { localCognitoDemoEnv, startDemoProcess } from './demo-process';
import { runAutocannon, reportRatio, type LoadResult } from './http-harness';

const ROOT = join(__dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const PLATFORM = process.env.HTTP_PLATFORM === 'fastify' ? 'fastify' : 'express';
const CONNECTIONS = 50;

interface Caller {
  accessKeyId: string;
  secretAccessKey: string;
}

/** One request of the traffic mix and the status its decision must produce. */
interface Probe {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Allowed statuses: for accepted callers anything the handler answers (2xx, 404 after auth). */
  expect: readonly number[];
}

function rssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function main(): Promise<void> {
  const cognito = await startLocalCognito();
  const credentials = JSON.parse(
    readFileSync(join(ROOT, 'apps/demo/config/iam-credentials.json'), 'utf8'),
  ) as { credentials: Caller[] };
  const [admin, reporting] = credentials.credentials as [Caller, Caller];
  const { child, url } = await startDemoProcess({
    ...localCognitoDemoEnv(cognito),
    HTTP_PLATFORM: PLATFORM,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
  try {
    const rssStart = rssMiB(child);
    const { idToken } = await cognito.signIn();
    const read = await cognito.accessTokenWithScopes(['pets/read']);
    const write = await cognito.accessTokenWithScopes(['pets/write']);
    const petBody = JSON.stringify({ type: 'bird', price: 15.5 });
    const sign = async (caller: Caller, method: string, path: string, body?: string) =>
      signWithSmithy({
        baseUrl: url,
        method,
        path,
        caller,
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      });
    const json = { 'content-type': 'application/json' };
    const ok = [200, 201, 404];
    const right: Probe[] = [
      { name: 'GET /health', method: 'GET', path: '/health', headers: {}, expect: [200] },
      {
        name: 'GET /pets (Cognito ID token)',
        method: 'GET',
        path: '/pets',
        headers: { authorization: idToken },
        expect: ok,
      },
      {
        name: 'GET /pets/{id} (Cognito pets/read)',
        method: 'GET',
        path: '/pets/1',
        headers: { authorization: read },
        expect: ok,
      },
      {
        name: 'POST /pets (Cognito pets/write)',
        method: 'POST',
        path: '/pets',
        headers: { authorization: write, ...json },
        body: petBody,
        expect: ok,
      },
      {
        name: 'DELETE /pets/{id} (SigV4)',
        method: 'DELETE',
        path: '/pets/999',
        headers: await sign(admin, 'DELETE', '/pets/999'),
        expect: ok,
      },
      {
        name: 'GET /admin/pets (SigV4)',
        method: 'GET',
        path: '/admin/pets',
        headers: await sign(reporting, 'GET', '/admin/pets'),
        expect: ok,
      },
      {
        name: 'GET /admin/pets/{id} (SigV4)',
        method: 'GET',
        path: '/admin/pets/1',
        headers: await sign(admin, 'GET', '/admin/pets/1'),
        expect: ok,
      },
      {
        name: 'POST /admin/pets (SigV4, JSON body)',
        method: 'POST',
        path: '/admin/pets',
        headers: await sign(admin, 'POST', '/admin/pets', petBody),
        body: petBody,
        expect: ok,
      },
      {
        name: 'GET /orders (TOKEN authorizer, cached)',
        method: 'GET',
        path: '/orders',
        headers: { authorization: 'allow' },
        expect: ok,
      },
      {
        name: 'GET /orders/{id} (TOKEN authorizer, cached)',
        method: 'GET',
        path: '/orders/1',
        headers: { authorization: 'allow' },
        expect: ok,
      },
      {
        name: 'GET /reports (REQUEST authorizer, cached)',
        method: 'GET',
        path: '/reports?QueryString1=queryValue1',
        headers: { headerauth1: 'headerValue1' },
        expect: ok,
      },
    ];
    const wrong: Probe[] = [
      {
        name: 'GET /pets with an access token',
        method: 'GET',
        path: '/pets',
        headers: { authorization: read },
        expect: [401],
      },
      {
        name: 'GET /pets/{id} with an ID token',
        method: 'GET',
        path: '/pets/1',
        headers: { authorization: idToken },
        expect: [401],
      },
      {
        name: 'POST /pets with pets/read',
        method: 'POST',
        path: '/pets',
        headers: { authorization: read, ...json },
        body: petBody,
        expect: [401],
      },
      {
        name: 'POST /admin/pets by a GET-only caller',
        method: 'POST',
        path: '/admin/pets',
        headers: await sign(reporting, 'POST', '/admin/pets', petBody),
        body: petBody,
        expect: [403],
      },
      {
        name: 'GET /admin/pets unsigned',
        method: 'GET',
        path: '/admin/pets',
        headers: {},
        expect: [403],
      },
      {
        name: 'GET /orders deny',
        method: 'GET',
        path: '/orders',
        headers: { authorization: 'deny' },
        expect: [403],
      },
      {
        name: 'GET /orders without a token',
        method: 'GET',
        path: '/orders',
        headers: {},
        expect: [401],
      },
      {
        name: 'GET /reports without the query source',
        method: 'GET',
        path: '/reports',
        headers: { headerauth1: 'headerValue1' },
        expect: [401],
      },
      { name: 'GET /unknown', method: 'GET', path: '/unknown', headers: {}, expect: [403] },
    ];

    // Warm-up (JIT, JWKS, signing keys, authorizer cache): a few seconds of the accepted mix.
    await autocannon({
      url,
      connections: CONNECTIONS,
      duration: Math.max(2, SECONDS),
      requests: right.map((probe) => ({
        method: probe.method,
        path: probe.path,
        headers: probe.headers,
        ...(probe.body === undefined ? {} : { body: probe.body }),
      })),
    });

    // 1. Each route alone, right after /health alone: the machine's two cores are shared, so each
    //    route's ratio uses the /health figure measured next to it (drift cancels out).
    const load = (probe: Probe): Promise<LoadResult> =>
      runAutocannon({
        url: url + probe.path,
        method: probe.method,
        headers: probe.headers,
        ...(probe.body === undefined ? {} : { body: probe.body }),
        durationSeconds: SECONDS,
        connections: CONNECTIONS,
      });
    const [healthProbe, ...routes] = right as [Probe, ...Probe[]];
    console.log(
      `\nDemo load test on ${PLATFORM} (${SECONDS} s per figure, ${CONNECTIONS} connections)`,
    );
    const healthFigures: number[] = [];
    let lastHealth: LoadResult | undefined;
    for (const probe of routes) {
      const health = await load(healthProbe);
      lastHealth = health;
      const result = await load(probe);
      healthFigures.push(health.requestsPerSecond);
      reportRatio(probe.name, result, health, 'GET /health (adjacent)');
    }
    const health: LoadResult = {
      ...(lastHealth as LoadResult),
      requestsPerSecond: healthFigures.reduce((a, b) => a + b, 0) / healthFigures.length,
    };
    console.log(
      `GET /health alone: ${Math.round(health.requestsPerSecond).toLocaleString('en-US')} req/s on average`,
    );

    // 2. Mixed traffic, every response checked.
    const mix = [...right, ...wrong];
    let wrongDecisions = 0;
    const wrongByProbe = new Map<string, number>();
    // Four rounds, RSS sampled after each: growth that levels off is heap sizing and caches
    // filling; growth in every round would be a leak.
    const rounds: autocannon.Result[] = [];
    const rss: number[] = [rssStart];
    for (let round = 0; round < 4; round++) {
      rounds.push(
        await autocannon({
          url,
          connections: CONNECTIONS,
          duration: SECONDS,
          requests: mix.map((probe) => ({
            method: probe.method,
            path: probe.path,
            headers: probe.headers,
            ...(probe.body === undefined ? {} : { body: probe.body }),
            onResponse: (status: number) => {
              if (!probe.expect.includes(status)) {
                wrongDecisions++;
                wrongByProbe.set(probe.name, (wrongByProbe.get(probe.name) ?? 0) + 1);
              }
            },
          })),
        }),
      );
      rss.push(rssMiB(child));
    }
    const mixed = {
      total: rounds.reduce((n, r) => n + r.requests.total, 0),
      average: rounds.reduce((n, r) => n + r.requests.average, 0) / rounds.length,
      errors: rounds.reduce((n, r) => n + r.errors, 0),
      timeouts: rounds.reduce((n, r) => n + r.timeouts, 0),
      p99: Math.max(...rounds.map((r) => r.latency.p99)),
    };
    console.log(
      `\nMixed traffic (${mix.length} kinds of request, ${right.length} accepted / ${wrong.length} refused): ` +
        `${Math.round(mixed.average).toLocaleString('en-US')} req/s ` +
        `(${(mixed.average / health.requestsPerSecond).toFixed(3)}x GET /health), ` +
        `${mixed.total.toLocaleString('en-US')} requests, errors ${mixed.errors}, timeouts ${mixed.timeouts}, ` +
        `wrong decisions ${wrongDecisions}, p99 ${mixed.p99} ms`,
    );
    for (const [name, count] of wrongByProbe) console.log(`  wrong: ${name} x${count}`);
    console.log(
      `Demo RSS (MiB): ${rss.map((m) => m.toFixed(1)).join(' → ')} (after start, then after each mixed round)`,
    );
    if (mixed.errors > 0 || mixed.timeouts > 0 || wrongDecisions > 0) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await cognito.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
