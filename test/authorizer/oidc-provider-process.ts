// Runs test/authorizer/oidc-provider.mjs in a child process and fetches tokens from it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const OIDC_AUDIENCE = 'https://pets.example.com';

export interface OidcProviderProcess {
  issuer: string;
  /** A client_credentials access token (RS256 JWT) for `clientId`. */
  token(clientId: string, clientSecret: string, scope: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startOidcProvider(): Promise<OidcProviderProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'oidc-provider.mjs')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Forward the provider's errors, not its start-up warnings (Node 20, in-memory adapter).
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = chunk
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('oidc-provider WARNING'));
    if (lines.length > 0) process.stderr.write(lines.join('\n') + '\n');
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('oidc-provider did not start')), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /READY (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`oidc-provider exited with ${code}`));
    });
  });
  return {
    issuer,
    async token(clientId, clientSecret, scope) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope,
          resource: OIDC_AUDIENCE,
        }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`token request failed: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
