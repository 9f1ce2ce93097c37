/**
 * The package as users get it (issue 12), part 2: the tarball installed with a clean
 * `npm install` into
 *   (d) a plain Express 5 service in JavaScript with no @nestjs/* installed (its footprint, an
 *       optional peer missing, the CLI on the PATH through npx and npm exec);
 *   (e) an ES module TypeScript service (`nodenext`, `skipLibCheck: false`) importing every
 *       subpath, type-checked and run — compiled together with every TypeScript snippet of the
 *       README, the package's README and docs/ (a block marked `ts partial` is skipped).
 * Needs the npm registry; run by `npm run test:package` (CI), not by `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { send } from '../sigv4/send';
import { API } from '../sigv4/iam-test-app';
import {
  LIBRARY,
  createProject,
  installedPackages,
  removeProject,
  run,
  sizeOf,
  startService,
  type RunningService,
} from './consumer-project';
import {
  ALICE_ARN,
  consumerConfig,
  exercise,
  exerciseBody,
  signed,
  tarball,
  usePackedLibrary,
} from './consumer-checks';
import { documentedFiles, extractSnippets } from './snippets';

jest.setTimeout(600_000);
usePackedLibrary();

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
    service = await startService(dir, ['server.js'], consumerConfig());
  });
  afterAll(async () => {
    await service?.stop();
    removeProject(dir);
    removeProject(baseline);
  });

  it('installs no @nestjs/* package, nor any other optional peer', () => {
    const installed = installedPackages(dir);
    expect(installed.filter((p) => p.startsWith('@nestjs/'))).toEqual([]);
    for (const peer of [
      'passport',
      'ioredis',
      '@aws-sdk/client-lambda',
      'rxjs',
      'yaml',
      'fast-xml-parser',
    ])
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
    // STS identity proofs parse STS's XML answers with fast-xml-parser, an optional peer.
    const proofs = `
      const { GatewayAuth } = require('api-gateway-auth');
      try {
        new GatewayAuth({ api: ${JSON.stringify(API)}, iam: { identityProofs: true } });
        console.log('no error');
      } catch (error) { console.log(error.message); }`;
    expect(run(process.execPath, ['-e', proofs], dir)).toMatch(
      /iam\.identityProofs: needs the package 'fast-xml-parser', which is not installed: npm install fast-xml-parser/,
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
  let compiled: { status: number | null; output: string };
  let snippetCount = 0;
  let partialCount = 0;
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
    // The docs' snippets go in the same compilation as the service (one tsc run).
    const folder = join(dir, 'src', 'snippets');
    mkdirSync(folder);
    for (const file of documentedFiles()) {
      const extracted = extractSnippets(file);
      partialCount += extracted.partial;
      for (const snippet of extracted.snippets) {
        snippetCount++;
        const module = /^\s*(import|export)\b/m.test(snippet.code) ? '' : '\nexport {};\n';
        writeFileSync(
          join(folder, `${String(snippetCount).padStart(2, '0')}.ts`),
          `// ${snippet.source}\n${snippet.code}\n${module}`,
        );
      }
    }
    const result = spawnSync('npx', ['--no-install', 'tsc', '-p', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    // Name each failing snippet by its document and line.
    const output = result.stdout.replace(/src\/snippets\/(\d+)\.ts/g, (whole, n: string) => {
      const first = readFileSync(join(folder, `${n}.ts`), 'utf8').split('\n')[0] ?? '';
      return `${whole} (${first.slice(3)})`;
    });
    compiled = { status: result.status, output };
  });
  afterAll(async () => {
    await service?.stop();
    removeProject(dir);
  });

  it('type-checks against the packed types (strict, skipLibCheck false) and runs as ES modules: decorators, middleware and passport on one app', async () => {
    const serviceErrors = compiled.output.split('\n').filter((l) => /^src\/(?!snippets\/)/.test(l));
    expect(serviceErrors).toEqual([]);
    service = await startService(dir, ['dist/main.js'], consumerConfig());
    await exercise(service.url, { denies: false });
    for (const path of ['/express/admin', '/passport/admin']) {
      const res = await send(service.url, await signed(service.url, 'GET', path));
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain(ALICE_ARN);
    }
    expect((await fetch(`${service.url}/passport/admin`)).status).toBe(403);
  });

  it('every TypeScript snippet of README.md, the package README and docs/ compiles', () => {
    const snippetErrors = compiled.output.split('\n').filter((l) => /^src\/snippets\//.test(l));
    expect(snippetErrors).toEqual([]);
    // Any other error (the package's own declarations, say) by its message.
    expect(compiled.output.split('\n').filter((l) => l.includes('error TS'))).toEqual([]);
    expect(compiled.status).toBe(0);
    console.log(`docs snippets: ${snippetCount} compiled, ${partialCount} marked partial`);
    expect(snippetCount).toBeGreaterThan(5);
  });
});
