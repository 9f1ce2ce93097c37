import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../test/helpers/free-port';

const ROOT = join(__dirname, '..');

/**
 * Starts the demo in its own process (as in a container), configured by `env`, on a free port;
 * resolves once `/health` answers. Its stdout (JSON logs, access lines) goes to /dev/null: still
 * produced, as in production.
 */
export async function startDemoProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(ROOT, 'apps/demo/src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`demo exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      if (i > 300) throw new Error('demo did not start within 30 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, url };
}

/** The demo's environment for a local Cognito pool, the demo SigV4 callers and resource policy. */
export function localCognitoDemoEnv(cognito: {
  userPoolId: string;
  clientId: string;
  issuer: string;
  jwksUri: string;
}): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    COGNITO_USER_POOL_ID: cognito.userPoolId,
    COGNITO_CLIENT_IDS: cognito.clientId,
    COGNITO_ISSUER: cognito.issuer,
    COGNITO_JWKS_URI: cognito.jwksUri,
    IAM_CREDENTIALS_FILE: join(ROOT, 'apps/demo/config/iam-credentials.json'),
    RESOURCE_POLICY_FILE: join(ROOT, 'apps/demo/config/resource-policy.json'),
  };
}
