/**
 * The package as users get it (issue 12), part 1: `npm pack` of libs/gateway-auth (contents, the
 * exports map), then NestJS services installing the tarball with a clean `npm install`:
 *   (a) Nest 11 on Express, (b) Nest 11 on Fastify, (c) Nest 10 — one CommonJS TypeScript service
 *       (test/fixtures/consumers/nest-service) compiled with `module: commonjs` (node10
 *       resolution: the `typesVersions` path), using the decorators as the docs show.
 * Needs the npm registry; run by `npm run test:package` (CI), not by `npm test`. Part 2:
 * express-esm.package-spec.ts (jest runs the two files in parallel).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LIBRARY,
  createProject,
  removeProject,
  run,
  startService,
  versionOf,
  type RunningService,
} from './consumer-project';
import {
  consumerConfig,
  exercise,
  exerciseBody,
  packReport,
  tarball,
  usePackedLibrary,
} from './consumer-checks';

jest.setTimeout(600_000);
usePackedLibrary();

describe('npm pack', () => {
  it('contains only what a user needs: the build, the bin, the manifest, README and LICENSE', () => {
    const unexpected = packReport().files.filter(
      (f) =>
        !/^dist\/.+\.(js|d\.ts)$/.test(f) &&
        !['bin/gateway-auth.js', 'package.json', 'README.md', 'LICENSE'].includes(f),
    );
    expect(unexpected).toEqual([]);
    expect(packReport().files.filter((f) => /spec|fixture|test/.test(f))).toEqual([]);
    for (const entry of ['dist/index.js', 'dist/nest/index.js', 'dist/express/index.js'])
      expect(packReport().files).toContain(entry);
    console.log(
      `api-gateway-auth: packed ${(packReport().size / 1024).toFixed(0)} kB, unpacked ` +
        `${(packReport().unpackedSize / 1024).toFixed(0)} kB, ${packReport().entryCount} files`,
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
      expect(packReport().files).toContain(`dist/${name}index.js`);
      expect(packReport().files).toContain(`dist/${name}index.d.ts`);
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
    service = await startService(dir, ['dist/main.js'], consumerConfig({ platform }));
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
