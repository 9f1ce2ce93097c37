/**
 * A real load run of the demo for docs/observability.md: the demo runs in its own process with the
 * OpenTelemetry SDK serving Prometheus on its own port (as `npm start` does), autocannon drives four
 * phases of traffic, and this script scrapes `/metrics` every second, then computes the dashboard's
 * series (the same queries as deploy/grafana/gateway-auth.json) into docs/observability/load-run.json
 * and plots them with scripts/observability/plot-dashboard.py (python3-matplotlib).
 *
 *   node -r @swc-node/register scripts/observability/dashboard-run.ts     (PHASE_SECONDS=15)
 *
 * Phases: (1) steady mixed traffic, allowed and refused, on every model; (2) an attack of bad
 * tokens, unsigned and denied requests; (3) Lambda-authorizer misses (unique tokens its function
 * rejects: 500s, never cached); (4) the Cognito endpoint (JWKS) down — cached keys keep verifying
 * known tokens, unknown kids are refused and every refetch fails.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { startLocalCognito } from '../local/cognito-local';
import { signWithSmithy } from '../../test/demo/demo-clients';
import { freePort } from '../../test/helpers/free-port';
import { localCognitoDemoEnv, startDemoProcess } from '../../bench/demo-process';

const ROOT = join(__dirname, '..', '..');
const PHASE_SECONDS = Number(process.env.PHASE_SECONDS ?? 15);
const OUT_DIR = join(ROOT, 'docs', 'observability');

interface Caller {
  accessKeyId: string;
  secretAccessKey: string;
}

/** One scraped sample: metric name + labels → value. */
type Sample = Map<string, number>;

function parsePrometheus(text: string): Sample {
  const sample: Sample = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    sample.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return sample;
}

/** Sum of the values whose key starts with `name{` and holds every label in `labels`. */
function sum(sample: Sample, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, value] of sample) {
    if (!key.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) total += value;
  }
  return total;
}

function labelValues(sample: Sample, name: string, label: string): string[] {
  const values = new Set<string>();
  for (const key of sample.keys()) {
    if (!key.startsWith(`${name}{`)) continue;
    const match = new RegExp(`${label}="([^"]*)"`).exec(key);
    if (match?.[1]) values.add(match[1]);
  }
  return [...values];
}

/** `histogram_quantile` over the bucket increase between two samples (linear within a bucket). */
function quantile(q: number, before: Sample, after: Sample, name: string): number | null {
  const buckets = new Map<number, number>();
  for (const [key, value] of after) {
    if (!key.startsWith(`${name}_bucket{`)) continue;
    const le = /le="([^"]+)"/.exec(key)?.[1] ?? '';
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value - (before.get(key) ?? 0));
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let previousBound = 0;
  let previousCount = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (!Number.isFinite(bound)) return previousBound;
      const within = count - previousCount;
      return (
        previousBound + (bound - previousBound) * (within > 0 ? (rank - previousCount) / within : 0)
      );
    }
    previousBound = bound;
    previousCount = count;
  }
  return previousBound;
}

async function main(): Promise<void> {
  const cognito = await startLocalCognito();
  const credentials = (await import(join(ROOT, 'apps/demo/config/iam-credentials.json'))) as {
    credentials: Caller[];
  };
  const [admin, reporting] = credentials.credentials as [Caller, Caller];
  const metricsPort = await freePort();
  const { child: demo, url } = await startDemoProcess({
    ...localCognitoDemoEnv(cognito),
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
  });
  const samples: Array<{ t: number; sample: Sample }> = [];
  const started = Date.now();
  const scrape = async (): Promise<void> => {
    try {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      samples.push({ t: (Date.now() - started) / 1000, sample: parsePrometheus(text) });
    } catch {
      // a missed scrape is a gap
    }
  };
  const scraper = setInterval(() => void scrape(), 1000);
  try {
    const { idToken } = await cognito.signIn();
    const read = await cognito.accessTokenWithScopes(['pets/read']);
    const sign = (caller: Caller, method: string, path: string) =>
      signWithSmithy({ baseUrl: url, method, path, caller });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = (kid: string) =>
      new SignJWT({ token_use: 'id', sub: 'mallory' })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(cognito.issuer)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
    type Req = { method: 'GET'; path: string; headers: Record<string, string> };
    const get = (path: string, headers: Record<string, string> = {}): Req => ({
      method: 'GET',
      path,
      headers,
    });
    const allowed: Req[] = [
      get('/pets', { authorization: idToken }),
      get('/pets/1', { authorization: read }),
      get('/admin/pets', await sign(reporting, 'GET', '/admin/pets')),
      get('/admin/pets/1', await sign(admin, 'GET', '/admin/pets/1')),
      get('/orders', { authorization: 'allow' }),
      get('/orders/1', { authorization: 'allow' }),
      get('/reports?QueryString1=queryValue1', { headerauth1: 'headerValue1' }),
    ];
    const refused: Req[] = [
      get('/pets', { authorization: 'not-a-token' }),
      get('/admin/pets'),
      get('/orders', { authorization: 'deny' }),
      get('/orders', { authorization: 'unauthorized' }),
    ];
    const phase = async (name: string, requests: Req[]): Promise<void> => {
      const at = (Date.now() - started) / 1000;
      console.log(`${at.toFixed(0)} s: ${name}`);
      phases.push({ name, start: at });
      await autocannon({
        url,
        requests,
        duration: PHASE_SECONDS,
        connections: 20,
        overallRate: 1500,
      });
    };
    const phases: Array<{ name: string; start: number }> = [];
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await phase('steady traffic', [
      ...allowed,
      ...allowed,
      ...allowed,
      refused[0] as Req,
      refused[2] as Req,
    ]);
    await phase('attack: bad tokens, unsigned, denied', [...refused, ...refused, ...allowed]);
    const misses = Array.from({ length: 3000 }, () =>
      get('/orders', { authorization: randomUUID() }),
    );
    await phase('authorizer misses: unique tokens', [
      ...misses.slice(0, 1500),
      ...allowed,
      ...misses.slice(1500),
    ]);
    await cognito.stop();
    const unknownKids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => forged(`rotated-${i}`)),
    );
    await phase('JWKS endpoint down', [
      ...allowed,
      ...unknownKids.map((token) => get('/pets', { authorization: token })),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    clearInterval(scraper);
    await scrape();
    writeSeries(samples, phases);
  } finally {
    clearInterval(scraper);
    demo.kill('SIGTERM');
    await cognito.stop().catch(() => undefined);
  }
  const plot = spawnSync(
    '/usr/bin/python3',
    [
      join(__dirname, 'plot-dashboard.py'),
      join(OUT_DIR, 'load-run.json'),
      join(OUT_DIR, 'dashboard.png'),
    ],
    { stdio: 'inherit' },
  );
  if (plot.status !== 0) throw new Error('plotting failed (apt-get install python3-matplotlib)');
}

function writeSeries(
  samples: Array<{ t: number; sample: Sample }>,
  phases: Array<{ name: string; start: number }>,
): void {
  const WINDOW = 5; // seconds, like rate(...[5s])
  const decisions = 'gateway_auth_decisions_total';
  const last = samples.at(-1)?.sample ?? new Map();
  const models = labelValues(last, decisions, 'gateway_auth_model');
  const types = labelValues(last, decisions, 'gateway_auth_response_type');
  const series: Record<string, Array<[number, number | null]>> = {};
  const push = (name: string, t: number, value: number | null): void => {
    (series[name] ??= []).push([t, value]);
  };
  for (let i = WINDOW; i < samples.length; i++) {
    const a = samples[i - WINDOW] as { t: number; sample: Sample };
    const b = samples[i] as { t: number; sample: Sample };
    const dt = b.t - a.t;
    const rate = (name: string, labels: Record<string, string> = {}): number =>
      (sum(b.sample, name, labels) - sum(a.sample, name, labels)) / dt;
    for (const model of models)
      push(`rate:${model}`, b.t, rate(decisions, { gateway_auth_model: model }));
    for (const type of types) {
      push(`refusals:${type}`, b.t, rate(decisions, { gateway_auth_response_type: type }));
    }
    const p50 = quantile(0.5, a.sample, b.sample, 'gateway_auth_authorization_duration');
    const p99 = quantile(0.99, a.sample, b.sample, 'gateway_auth_authorization_duration');
    push('latency:p50', b.t, p50 === null ? null : p50 * 1000);
    push('latency:p99', b.t, p99 === null ? null : p99 * 1000);
    const lookups = 'gateway_auth_decision_cache_lookups_total';
    const hits = rate(lookups, { gateway_auth_cache_result: 'hit' });
    const all = rate(lookups);
    push('cache:hit_ratio', b.t, all > 0 ? (100 * hits) / all : null);
    push(
      'jwks:success',
      b.t,
      sum(b.sample, 'gateway_auth_jwks_fetches_total', { gateway_auth_outcome: 'success' }),
    );
    push(
      'jwks:failure',
      b.t,
      sum(b.sample, 'gateway_auth_jwks_fetches_total', { gateway_auth_outcome: 'failure' }),
    );
  }
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(
    join(OUT_DIR, 'load-run.json'),
    JSON.stringify(
      { generated: new Date().toISOString(), phaseSeconds: PHASE_SECONDS, phases, series },
      null,
      1,
    ) + '\n',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
