/**
 * The package as users get it (issue 12): `npm pack` of libs/gateway-auth, installed from the
 * tarball with a clean `npm install` into fresh projects, each sending real requests (SigV4 signed
 * by @smithy/signature-v4, JWTs minted by jose and verified against a JWKS URL, a Lambda
 * authorizer) through the decorators or the middleware as the docs show:
 *   (a) Nest 11 on Express, (b) Nest 11 on Fastify, (c) Nest 10 — one CommonJS TypeScript service
 *       compiled with `module: commonjs` (node10 resolution: the `typesVersions` path);
 *   (d) plain Express 5 in JavaScript with no @nestjs/* installed, the CLI on the PATH;
 *   (e) an ES module TypeScript service (`nodenext`, `skipLibCheck: false`) importing every subpath,
 *       type-checked and run; every TypeScript snippet of the docs compiles in it.
 * Needs the npm registry; run by `npm run test:package` (CI), not by `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mint, newKey } from '../cognito/helpers/tokens';
import { startJwksServer, type JwksServer } from '../cognito/helpers/jwks-server';
import { send } from '../sigv4/send';
import { signWithSmithy } from '../sigv4/sign-request';
import { ALICE, API, CREDENTIALS } from '../sigv4/iam-test-app';
import {
  LIBRARY,
  createProject,
  installedPackages,
  packLibrary,
  removeProject,
  run,
  sizeOf,
  startService,
  versionOf,
  type Packed,
  type RunningService,
} from './consumer-project';
import { documentedFiles, extractSnippets } from './snippets';

jest.setTimeout(600_000);

const POOL = 'us-east-1_Consumer1';
const ALICE_ARN = 'arn:aws:iam::111122223333:user/alice';
const key = newKey('consumer-key');

let work: string;
let packed: Packed;
let jwks: JwksServer;
let consumerEnv: Record<string, string>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gateway-auth-pack-'));
  packed = packLibrary(work);
  jwks = await startJwksServer([key.jwk]);
  consumerEnv = {
    CONSUMER_CONFIG: JSON.stringify({
      api: API,
      credentials: CREDENTIALS,
      userPoolId: POOL,
      issuer: `${jwks.url}/${POOL}`,
      jwksUri: `${jwks.url}/${POOL}/.well-known/jwks.json`,
    }),
  };
});

afterAll(async () => {
  await jwks?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function idToken(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return mint(key, {
    sub: 'consumer-user',
    iss: `${jwks.url}/${POOL}`,
    aud: 'consumer-client',
    token_use: 'id',
    iat: now,
    exp: now + 300,
  });
}

async function signed(url: string, method: 'GET' | 'POST', path: string, body?: string) {
  return signWithSmithy(
    {
      method,
      host: new URL(url).host,
      path,
      date: new Date(),
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    },
    ALICE,
  );
}

/** The three models, allowed and refused with API Gateway's answers. */
async function exercise(url: string, { denies = true } = {}): Promise<void> {
  const admin = await send(url, await signed(url, 'GET', '/admin/pets'));
  expect(admin.status).toBe(200);
  expect(admin.body).toEqual({ arn: ALICE_ARN });
  const unsigned = await fetch(`${url}/admin/pets`);
  expect(unsigned.status).toBe(403);
  expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  expect(await unsigned.json()).toEqual({ message: 'Missing Authentication Token' });

  const pets = await fetch(`${url}/pets`, { headers: { authorization: await idToken() } });
  expect(pets.status).toBe(200);
  expect(await pets.json()).toEqual({ sub: 'consumer-user' });
  const anonymous = await fetch(`${url}/pets`);
  expect(anonymous.status).toBe(401);
  expect(await anonymous.json()).toEqual({ message: 'Unauthorized' });

  const orders = await fetch(`${url}/orders`, { headers: { authorization: 'allow' } });
  expect(orders.status).toBe(200);
  expect(await orders.json()).toMatchObject({ type: 'CUSTOM' });
  if (denies) {
    const denied = await fetch(`${url}/orders`, { headers: { authorization: 'deny' } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  }
}

/** A signed POST: the body's SHA-256 is part of the signature (raw body captured). */
async function exerciseBody(url: string): Promise<void> {
  const body = JSON.stringify({ name: 'Rex' });
  const res = await send(url, await signed(url, 'POST', '/admin/pets', body));
  expect(res.status).toBeLessThan(300);
  expect(res.body).toEqual({ name: 'Rex', arn: ALICE_ARN });
}

const tarball = (): string => `file:${packed.tarball}`;

describe('npm pack', () => {
  it('contains only what a user needs: the build, the bin, the manifest, README and LICENSE', () => {
    const unexpected = packed.files.filter(
      (f) =>
        !/^dist\/.+\.(js|d\.ts)$/.test(f) &&
        !['bin/gateway-auth.js', 'package.json', 'README.md', 'LICENSE'].includes(f),
    );
    expect(unexpected).toEqual([]);
    expect(packed.files.filter((f) => /spec|fixture|test/.test(f))).toEqual([]);
    for (const entry of ['dist/index.js', 'dist/nest/index.js', 'dist/express/index.js'])
      expect(packed.files).toContain(entry);
    console.log(
      `api-gateway-auth: packed ${(packed.size / 1024).toFixed(0)} kB, unpacked ` +
        `${(packed.unpackedSize / 1024).toFixed(0)} kB, ${packed.entryCount} files`,
    );
  });

  it('every subpath of "exports" is a barrel of the same name, and every barrel is exported', () => {
    const manifest = JSON.parse(readFileSync(join(LIBRARY, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { types: string; default: string }>;
    };
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue;
      const name = subpath === '.' ? '' : `${subpath.slice(2)}/`;
      expect(target).toEqual({
        types: `./dist/${name}index.d.ts`,
        default: `./dist/${name}index.js`,
      });
      expect(packed.files).toContain(`dist/${name}index.js`);
      expect(packed.files).toContain(`dist/${name}index.d.ts`);
    }
  });
});

describe.each([
  {
    label: '(a) Nest 11 on Express',
    platform: 'express',
    nest: '^11.0.0',
    extra: { '@nestjs/platform-express': '^11.0.0' },
  },
  {
    label: '(b) Nest 11 on Fastify',
    platform: 'fastify',
    nest: '^11.0.0',
    extra: { '@nestjs/platform-fastify': '^11.0.0' },
  },
  {
    label: '(c) Nest 10 on Express',
    platform: 'express',
    nest: '^10.2.0',
    extra: { '@nestjs/platform-express': '^10.2.0' },
  },
])('$label', ({ platform, nest, extra }) => {
  let dir: string;
  let service: RunningService;
  beforeAll(async () => {
    dir = createProject(`nest-${platform}-${nest.replace(/\W/g, '')}`, 'nest-service', {
      dependencies: {
        'api-gateway-auth': tarball(),
        '@nestjs/common': nest,
        '@nestjs/core': nest,
        ...extra,
        'reflect-metadata': '^0.2.0',
        rxjs: '^7.8.0',
      },
      devDependencies: { typescript: '~5.9.0', '@types/node': '^20.0.0' },
    });
    run('npx', ['--no-install', 'tsc', '-p', '.'], dir);
    service = await startService(dir, ['dist/main.js'], {
      ...consumerEnv,
      CONSUMER_CONFIG: JSON.stringify({
        ...(JSON.parse(consumerEnv.CONSUMER_CONFIG as string) as object),
        platform,
      }),
    });
  });
  afterAll(async () => {
    await service?.stop();
    removeProject(dir);
  });

  it('runs on the Nest it installed: one copy, the right major', () => {
    expect(versionOf(dir, '@nestjs/core').split('.')[0]).toBe(nest.replace(/\D/g, '').slice(0, 2));
    expect(existsSync(join(dir, 'node_modules', 'api-gateway-auth', 'node_modules'))).toBe(false);
  });

  it('@IamAuth(), @CognitoAuth() and @CustomAuthorizer() answer like API Gateway', async () => {
    await exercise(service.url);
    await exerciseBody(service.url);
  });
});

describe('(d) plain Express 5, no NestJS', () => {
  let dir: string;
  let baseline: string;
  let service: RunningService;
  beforeAll(async () => {
    dir = createProject('express-only', 'express-service', {
      dependencies: { 'api-gateway-auth': tarball(), express: '^5.1.0' },
    });
    baseline = createProject('express-baseline', 'express-service', {
      dependencies: { express: '^5.1.0' },
    });
    service = await startService(dir, ['server.js'], consumerEnv);
  });
  afterAll(async () => {
    await service?.stop();
    removeProject(dir);
    removeProject(baseline);
  });

  it('installs no @nestjs/* package, nor any other optional peer', () => {
    const installed = installedPackages(dir);
    expect(installed.filter((p) => p.startsWith('@nestjs/'))).toEqual([]);
    for (const peer of ['passport', 'ioredis', '@aws-sdk/client-lambda', 'rxjs', 'yaml'])
      expect(installed).not.toContain(peer);
    const own = installed.filter((p) => !installedPackages(baseline).includes(p));
    const footprint = sizeOf(join(dir, 'node_modules')) - sizeOf(join(baseline, 'node_modules'));
    console.log(
      `Express-only service: node_modules ${(sizeOf(join(dir, 'node_modules')) / 1e6).toFixed(1)} MB` +
        ` (${installed.length} packages); api-gateway-auth adds ${(footprint / 1e6).toFixed(2)} MB` +
        ` in ${own.length} packages: ${own.join(', ')}`,
    );
    // A budget, so a heavy dependency cannot slip in unnoticed.
    expect(footprint).toBeLessThan(3e6);
  });

  it('iamAuth(), cognitoAuth() and customAuthorizer() answer like API Gateway', async () => {
    await exercise(service.url);
    await exerciseBody(service.url);
  });

  it('an optional integration configured without its package fails at boot, naming it', () => {
    const script = `
      const { GatewayAuth } = require('api-gateway-auth');
      try {
        new GatewayAuth({ api: ${JSON.stringify(API)}, cache: { redis: 'redis://127.0.0.1:9' },
          authorizers: { a: { type: 'TOKEN', handler: async () => null } } });
        console.log('no error');
      } catch (error) { console.log(error.message); }`;
    expect(run(process.execPath, ['-e', script], dir)).toMatch(
      /cache\.redis: needs the package 'ioredis', which is not installed: npm install ioredis/,
    );
  });

  it('the gateway-auth CLI is on the PATH through npx and npm exec', () => {
    const version = (
      JSON.parse(readFileSync(join(LIBRARY, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    expect(run('npx', ['--no-install', 'gateway-auth', '--version'], dir).trim()).toBe(version);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' },
    });
    const validate = spawnSync('npm', ['exec', '--', 'gateway-auth', 'policy', 'validate', '-'], {
      cwd: dir,
      input: policy,
      encoding: 'utf8',
    });
    expect(validate.stdout).toContain('-: valid identity policy');
    expect(validate.status).toBe(0);
    // sign/curl need the AWS SDK's signer, an optional peer: the error says what to install.
    const sign = spawnSync('npx', ['--no-install', 'gateway-auth', 'sign', 'http://x/'], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'A',
        AWS_SECRET_ACCESS_KEY: 'B',
      },
    });
    expect(sign.status).toBe(2);
    expect(sign.stderr).toMatch(/npm install @smithy\/(protocol-http|signature-v4)/);
  });
});

describe('(e) an ES module TypeScript service (nodenext), and the docs snippets', () => {
  let dir: string;
  let service: RunningService;
  beforeAll(() => {
    dir = createProject('esm-service', 'esm-service', {
      type: 'module',
      dependencies: {
        'api-gateway-auth': tarball(),
        '@nestjs/common': '^11.0.0',
        '@nestjs/core': '^11.0.0',
        '@nestjs/platform-express': '^11.0.0',
        '@nestjs/config': '^4.0.0',
        'reflect-metadata': '^0.2.0',
        rxjs: '^7.8.0',
        express: '^5.1.0',
        passport: '^0.7.0',
      },
      devDependencies: {
        typescript: '~5.9.0',
        '@types/node': '^20.0.0',
        '@types/express': '^5.0.0',
        '@types/passport': '^1.0.0',
      },
    });
  });
  afterAll(async () => {
    await service?.stop();
    removeProject(dir);
  });

  it('type-checks against the packed types (strict, skipLibCheck false) and runs as ES modules: decorators, middleware and passport on one app', async () => {
    // tsc exits non-zero on any type error: the type check and the build are one step.
    run('npx', ['--no-install', 'tsc', '-p', '.'], dir);
    service = await startService(dir, ['dist/main.js'], consumerEnv);
    await exercise(service.url, { denies: false });
    for (const path of ['/express/admin', '/passport/admin']) {
      const res = await send(service.url, await signed(service.url, 'GET', path));
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain(ALICE_ARN);
    }
    expect((await fetch(`${service.url}/passport/admin`)).status).toBe(403);
  });

  it('every TypeScript snippet of README.md, the package README and docs/ compiles', () => {
    const folder = join(dir, 'snippets');
    mkdirSync(folder);
    let count = 0;
    let partial = 0;
    for (const file of documentedFiles()) {
      const extracted = extractSnippets(file);
      partial += extracted.partial;
      for (const snippet of extracted.snippets) {
        count++;
        const module = /^\s*(import|export)\b/m.test(snippet.code) ? '' : '\nexport {};\n';
        writeFileSync(
          join(folder, `${String(count).padStart(2, '0')}.ts`),
          `// ${snippet.source}\n${snippet.code}\n${module}`,
        );
      }
    }
    writeFileSync(
      join(dir, 'tsconfig.snippets.json'),
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false, noUncheckedIndexedAccess: false },
        include: ['snippets'],
      }),
    );
    const result = spawnSync('npx', ['--no-install', 'tsc', '-p', 'tsconfig.snippets.json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    // Name each failing snippet by its document and line.
    const failures = result.stdout.replace(/snippets\/(\d+)\.ts/g, (whole, n: string) => {
      const first = readFileSync(join(folder, `${n}.ts`), 'utf8').split('\n')[0] ?? '';
      return `${whole} (${first.slice(3)})`;
    });
    expect(failures).toBe('');
    expect(result.status).toBe(0);
    console.log(`docs snippets: ${count} compiled, ${partial} marked partial`);
    expect(count).toBeGreaterThan(5);
  });
});
