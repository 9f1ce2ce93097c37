// Importing the package has no side effects (issue 12): the core entry loads no framework, no
// optional integration and no reflect-metadata; the Express entry loads no NestJS either. Checked
// in a fresh process, on the sources (what the build compiles one to one).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function loadedBy(entry: string): { modules: string[]; reflectMetadata: boolean } {
  const script = `
    require(${JSON.stringify(join(ROOT, 'libs', 'gateway-auth', 'src', entry))});
    const modules = Object.keys(require.cache)
      .map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file)?.[1])
      .filter(Boolean);
    process.stdout.write(JSON.stringify({
      modules: [...new Set(modules)].sort(),
      reflectMetadata: typeof Reflect.getMetadata === 'function',
    }));`;
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { modules: string[]; reflectMetadata: boolean };
}

const OPTIONAL =
  /^(@nestjs\/|passport|ioredis|@aws-sdk\/|@smithy\/|yaml$|node-cache$|express$|reflect-metadata$|rxjs$)/;

it.each(['index.ts', 'express/index.ts'])(
  'importing %s loads no framework or optional peer and defines no Reflect.metadata',
  (entry) => {
    const { modules, reflectMetadata } = loadedBy(entry);
    expect(modules.filter((name) => OPTIONAL.test(name))).toEqual([]);
    expect(reflectMetadata).toBe(false);
  },
  60_000,
);
