/**
 * Proves the demo image's steps without a Docker engine (issue 6 item 4): performs what
 * `apps/demo/Dockerfile` does — `npm run build` (the library, then the demo), then in a clean
 * folder holding only package.json, package-lock.json, the library workspace's package.json, bin
 * and dist, and the built demo, `npm ci --omit=dev --ignore-scripts` — and starts the demo from that
 * folder as the image's CMD does, then runs the image's HEALTHCHECK. The demo imports the library
 * by its package name (`api-gateway-auth`), resolved through the workspace link as a user's
 * service resolves an installed package (issue 12).
 *
 * Offline: npm resolves every tarball from its local cache (`--offline`). The lockfile copy gets
 * each package's registry URL filled in (`resolved`, which this lockfile omits) so npm can look
 * tarballs up by integrity without fetching packuments; versions and integrity hashes are untouched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/free-port';

const ROOT = join(__dirname, '..', '..');
const LIB = join(ROOT, 'libs', 'gateway-auth');
const DOCKERFILE = readFileSync(join(ROOT, 'apps', 'demo', 'Dockerfile'), 'utf8');

let work: string;
let child: ChildProcess | undefined;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gateway-auth-image-'));
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: '' },
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

function withResolvedUrls(lockText: string): string {
  const lock = JSON.parse(lockText) as {
    packages: Record<
      string,
      { resolved?: string; version?: string; name?: string; link?: boolean }
    >;
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.resolved || entry.link || !entry.version) continue;
    if (!key.includes('node_modules/')) continue; // a workspace folder (libs/gateway-auth)
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const base = name.split('/').pop() as string;
    entry.resolved = `https://registry.npmjs.org/${name}/-/${base}-${entry.version}.tgz`;
  }
  return JSON.stringify(lock, null, 2);
}

describe('the demo image, without Docker (apps/demo/Dockerfile)', () => {
  it('the Dockerfile is multi-stage, installs production dependencies only and runs as non-root', () => {
    expect(DOCKERFILE).toMatch(/^FROM \S+ AS build$/m);
    expect(DOCKERFILE).toMatch(/^FROM \S+ AS runtime$/m);
    expect(DOCKERFILE).toContain('npm ci --omit=dev --ignore-scripts');
    expect(DOCKERFILE).toMatch(/^USER node$/m);
    expect(DOCKERFILE).toMatch(/^HEALTHCHECK /m);
    expect(DOCKERFILE).toContain('CMD ["node", "dist/apps/demo/src/main.js"]');
  });

  it('builds, installs production dependencies into a clean folder, starts and is healthy', async () => {
    // Build stage: `npm run build` = the library (tsc -p libs/gateway-auth/tsconfig.build.json),
    // then the demo against it (tsc -p tsconfig.build.json), both into the clean folder.
    const tsc = require.resolve('typescript/bin/tsc');
    const lib = join(work, 'libs', 'gateway-auth');
    run(
      process.execPath,
      [tsc, '-p', join(LIB, 'tsconfig.build.json'), '--outDir', join(lib, 'dist')],
      ROOT,
    );
    run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(work, 'dist')], ROOT);

    // Runtime stage: package files, `npm ci --omit=dev --ignore-scripts`, the resource policy.
    copyFileSync(join(LIB, 'package.json'), join(lib, 'package.json'));
    cpSync(join(LIB, 'bin'), join(lib, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(work, 'package.json'));
    writeFileSync(
      join(work, 'package-lock.json'),
      withResolvedUrls(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')),
    );
    run(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'],
      work,
    );
    mkdirSync(join(work, 'config'));
    copyFileSync(
      join(ROOT, 'apps', 'demo', 'config', 'resource-policy.json'),
      join(work, 'config', 'resource-policy.json'),
    );
    copyFileSync(
      join(ROOT, 'apps', 'demo', 'config', 'iam-credentials.json'),
      join(work, 'iam-credentials.json'),
    );

    // Production dependencies only: no test runner, compiler or CDK in the image.
    for (const dev of [
      'jest',
      'typescript',
      '@swc/core',
      'aws-cdk-lib',
      'cognito-local',
      'supertest',
    ]) {
      expect(existsSync(join(work, 'node_modules', dev))).toBe(false);
    }
    expect(existsSync(join(work, 'node_modules', '@nestjs', 'core'))).toBe(true);
    // The library, by its package name: the workspace link to libs/gateway-auth and its dist.
    expect(lstatSync(join(work, 'node_modules', 'api-gateway-auth')).isSymbolicLink()).toBe(true);
    expect(
      readFileSync(join(work, 'dist', 'apps', 'demo', 'src', 'app.module.js'), 'utf8'),
    ).toMatch(/require\("api-gateway-auth\/nest"\)/);
    // Identity proofs (on in the CDK deployment) read IAM and parse STS answers at run time.
    for (const runtime of ['@aws-sdk/client-iam', '@aws-sdk/client-sts', 'fast-xml-parser']) {
      expect(existsSync(join(work, 'node_modules', runtime))).toBe(true);
    }

    // CMD ["node", "dist/apps/demo/src/main.js"], configured through the environment only.
    const metricsPort = await freePort();
    child = spawn(process.execPath, ['dist/apps/demo/src/main.js'], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        COGNITO_USER_POOL_ID: 'us-east-1_Demo12345',
        COGNITO_CLIENT_IDS: 'democlient1',
        IAM_CREDENTIALS_FILE: 'iam-credentials.json',
        RESOURCE_POLICY_FILE: 'config/resource-policy.json',
        LOG_LEVEL: 'warn',
        ACCESS_LOG_FORMAT: 'off',
        // The OpenTelemetry SDK (a production dependency) serves Prometheus on its own port.
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child?.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      child?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /"event":"listening","url":"([^"]+)"/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child?.once('exit', (code) => reject(new Error(`demo exited ${code}:\n${out}\n${err}`)));
    });

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    // The routes are guarded in the production build too (fail closed without credentials).
    expect((await fetch(`${url}/pets`)).status).toBe(401);
    expect((await fetch(`${url}/admin/pets`)).status).toBe(403);
    expect((await fetch(`${url}/orders`, { headers: { authorization: 'allow' } })).status).toBe(
      200,
    );

    // gateway-auth's metrics, from the production install's OpenTelemetry SDK (issue 15).
    const scraped = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(scraped).toMatch(
      /gateway_auth_decisions_total\{[^}]*gateway_auth_model="custom"[^}]*\} 1/,
    );
    expect(scraped).toContain('gateway_auth_authorization_duration_bucket');

    // Invalid configuration stops the container at start, naming each variable (exit code 1).
    const misconfigured = spawnSync(process.execPath, ['dist/apps/demo/src/main.js'], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, NODE_ENV: 'production', HTTP_PLATFORM: 'koa' },
    });
    expect(misconfigured.status).toBe(1);
    expect(misconfigured.stderr).toMatch(/HTTP_PLATFORM: must be "express" or "fastify"/);
    expect(misconfigured.stderr).toMatch(/COGNITO_USER_POOL_ID: required/);
    expect(misconfigured.stderr).toMatch(/IAM_CREDENTIALS_FILE: required/);

    // The image's HEALTHCHECK command, verbatim.
    const healthcheck = /CMD \["node", "-e", "(.+)"\]\n/.exec(DOCKERFILE)?.[1];
    expect(healthcheck).toBeDefined();
    const probe = spawnSync(process.execPath, ['-e', healthcheck as string], {
      env: { ...process.env, PORT: new URL(url).port },
    });
    expect(probe.status).toBe(0);
  }, 180_000);
});
