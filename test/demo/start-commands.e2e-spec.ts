/**
 * The commands `npm start` prints (issue 6 item 2) work as printed: each is run by bash, against the
 * demo configured as `npm start` configures it (local Cognito pool, demo SigV4 callers, example
 * authorizers, demo resource policy), and must reach its handler. `npx gateway-auth` is replaced by
 * the CLI's TypeScript entry (the suite does not depend on a prior build); the arguments are the
 * printed ones.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { loadDemoConfig } from '../../apps/demo/src/config/demo-config';
import { startDemo, type RunningDemo } from '../../apps/demo/src/create-demo-app';
import { routeCommands } from '../../apps/demo/src/route-commands';
import { silentLogger } from 'api-gateway-auth';
import { startLocalCognito, type LocalCognito } from '../../scripts/local/cognito-local';
import { demoCallers } from './demo-clients';

const ROOT = join(__dirname, '..', '..');
const CLI = `node -r @swc-node/register -e "require('./libs/gateway-auth/src/cli/main').main(process.argv.slice(1)).then((c) => process.exit(c))"`;

const execFileAsync = promisify(execFile);

async function run(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('bash', ['-c', script], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let cognito: LocalCognito;
let demo: RunningDemo;
let commands: ReturnType<typeof routeCommands>;

beforeAll(async () => {
  cognito = await startLocalCognito();
  const config = loadDemoConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    COGNITO_USER_POOL_ID: cognito.userPoolId,
    COGNITO_CLIENT_IDS: cognito.clientId,
    COGNITO_ISSUER: cognito.issuer,
    COGNITO_JWKS_URI: cognito.jwksUri,
    IAM_CREDENTIALS_FILE: demoCallers().file,
    RESOURCE_POLICY_FILE: join(ROOT, 'apps/demo/config/resource-policy.json'),
  });
  demo = await startDemo(config, {
    logger: silentLogger,
    nestLogger: false,
    accessLogWrite: () => undefined,
  });
  const { admin } = demoCallers();
  commands = routeCommands({
    baseUrl: demo.url,
    region: config.api.region,
    idToken: (await cognito.signIn()).idToken,
    readToken: await cognito.accessTokenWithScopes(['pets/read']),
    writeToken: await cognito.accessTokenWithScopes(['pets/write']),
    iamCaller: admin,
  });
}, 60_000);

afterAll(async () => {
  await demo?.close();
  await cognito?.stop();
});

describe('the copy-paste commands printed by npm start', () => {
  it('cover every contract route', () => {
    expect(commands.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /health',
      'GET /pets',
      'GET /pets/{id}',
      'POST /pets',
      'DELETE /pets/{id}',
      'GET /admin/pets',
      'GET /admin/pets/{id}',
      'POST /admin/pets',
      'GET /orders',
      'GET /orders/{id}',
      'GET /reports',
    ]);
  });

  it('each succeeds when pasted into a shell after the exports', async () => {
    const failures: string[] = [];
    for (const route of commands.routes) {
      const script = [
        ...commands.exports,
        route.command.replace(/^npx gateway-auth /, `${CLI} `),
      ].join('\n');
      // Asynchronously: the demo answers from this process's event loop.
      const result = await run(script);
      const reached = /"status":"ok"|"data":/.test(result.stdout);
      if (result.code !== 0 || !reached) {
        failures.push(
          `${route.method} ${route.path}: exit ${result.code} ${result.stdout} ${result.stderr}`,
        );
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
