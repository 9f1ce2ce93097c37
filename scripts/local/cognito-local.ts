/**
 * Local Cognito user pool for tests and the demo: starts the `cognito-local` emulator (npm) in a
 * child process behind a small front server, creates a pool, an app client and a confirmed user
 * through Cognito's JSON API, and signs in with `USER_PASSWORD_AUTH`.
 *
 * Why a front server: cognito-local 5.x issues real RS256 ID/access tokens from a real JWKS, but its
 * access tokens always carry `scope: "aws.cognito.signin.user.admin"` (its token generator has a
 * "TODO: scopes") and it has no `client_credentials` grant. Cognito issues custom OAuth scopes
 * (`pets/read`) through `POST /oauth2/token` with `grant_type=client_credentials`, so the front
 * server implements exactly that grant — checking the app client's id, secret and
 * `AllowedOAuthScopes` against cognito-local — and signs those tokens with its own RSA key, whose
 * public half it adds to the pool's JWKS. Everything else (sign-in, JWKS, OIDC discovery, the
 * authorization-code flow) is proxied unchanged to cognito-local. The issuer is the front server's
 * URL (cognito-local is configured with it as `TokenConfig.IssuerDomain`), so every token, from
 * either signer, has the same `iss` and the verifier trusts one JWKS URL — nothing is weakened.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 * @see https://github.com/jagregory/cognito-local
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID, sign as rsaSign } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running local user pool. */
export interface LocalCognito {
  /** Base URL of the Cognito API and OAuth endpoints (the front server). */
  endpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  /** `iss` of every token issued here: `${endpoint}/${userPoolId}`. */
  issuer: string;
  jwksUri: string;
  username: string;
  password: string;
  /** Signs in with USER_PASSWORD_AUTH (real cognito-local flow). */
  signIn(username?: string, password?: string): Promise<{ idToken: string; accessToken: string }>;
  /** An access token carrying the given OAuth scopes (e.g. ['pets/read']), obtained through the
   * `client_credentials` grant of the front server's token endpoint (see the file comment). */
  accessTokenWithScopes(scopes: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Options for {@link startLocalCognito}. */
export interface StartLocalCognitoOptions {
  /** Port of the front server (the `endpoint`); default: a free port. */
  port?: number;
  /** Directory for cognito-local's `.cognito/` data; default: a fresh temp dir removed on stop. */
  dataDir?: string;
}

const REGION = 'local';
const DEFAULT_USERNAME = 'demo-user';
const DEFAULT_PASSWORD = 'Demo-Passw0rd!';
const SCOPES_KID = 'LocalScopes';
const READY_TIMEOUT_MS = 20_000;

/**
 * Starts cognito-local and its front server, creates pool/client/user and returns handles.
 * @throws Error when cognito-local does not start within 20 s or an API call fails.
 */
export async function startLocalCognito(
  options: StartLocalCognitoOptions = {},
): Promise<LocalCognito> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cognito-local-'));
  const backendPort = await freePort();
  const scopesKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const scopesJwk = {
    ...scopesKey.publicKey.export({ format: 'jwk' }),
    kid: SCOPES_KID,
    alg: 'RS256',
    use: 'sig',
  };

  // The front server starts first so its port (the issuer) is known before cognito-local's config.
  const state: { userPoolId: string } = { userPoolId: '' };
  const backend = `http://127.0.0.1:${backendPort}`;
  const front = createServer((req, res) => {
    void handleFront(req, backend, state, scopesKey.privateKey, scopesJwk, frontUrl)
      .then((r) => {
        if (r === undefined) return proxy(req, res, backendPort);
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const frontUrl = `http://localhost:${(front.address() as AddressInfo).port}`;

  mkdirSync(join(dataDir, '.cognito'), { recursive: true });
  writeFileSync(
    join(dataDir, '.cognito', 'config.json'),
    JSON.stringify({
      TokenConfig: { IssuerDomain: frontUrl },
      // cognito-local defaults to email usernames; Cognito's own default is plain usernames.
      UserPoolDefaults: { UsernameAttributes: [] },
    }),
  );
  const child = spawn(process.execPath, [require.resolve('cognito-local/lib/bin/start.js')], {
    cwd: dataDir,
    env: { ...process.env, PORT: String(backendPort), HOST: '127.0.0.1', DEBUG: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // If the parent exits without calling stop() (crash, process.exit), do not leave the emulator running.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await stopChild(child);
    await new Promise<void>((resolve) => front.close(() => resolve()));
    front.closeAllConnections();
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitReady(backend, child, () => stderr);
    const api = (op: string, body: object): Promise<Record<string, unknown>> =>
      callCognito(backend, op, body);
    const pool = (await api('CreateUserPool', { PoolName: 'gateway-auth-local' })) as {
      UserPool: { Id: string };
    };
    const userPoolId = pool.UserPool.Id;
    state.userPoolId = userPoolId;
    const client = (await api('CreateUserPoolClient', {
      UserPoolId: userPoolId,
      ClientName: 'gateway-auth-local',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [],
    })) as { UserPoolClient: { ClientId: string; ClientSecret: string } };
    const { ClientId: clientId, ClientSecret: clientSecret } = client.UserPoolClient;
    await api('AdminCreateUser', {
      UserPoolId: userPoolId,
      Username: DEFAULT_USERNAME,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'demo-user@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    await api('AdminSetUserPassword', {
      UserPoolId: userPoolId,
      Username: DEFAULT_USERNAME,
      Password: DEFAULT_PASSWORD,
      Permanent: true,
    });

    const signIn = async (
      username = DEFAULT_USERNAME,
      password = DEFAULT_PASSWORD,
    ): Promise<{ idToken: string; accessToken: string }> => {
      const secretHash = createHmac('sha256', clientSecret)
        .update(username + clientId)
        .digest('base64');
      const out = (await api('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: secretHash },
      })) as { AuthenticationResult?: { IdToken: string; AccessToken: string } };
      if (!out.AuthenticationResult) throw new Error('cognito-local: sign-in returned a challenge');
      return {
        idToken: out.AuthenticationResult.IdToken,
        accessToken: out.AuthenticationResult.AccessToken,
      };
    };

    let queue: Promise<unknown> = Promise.resolve();
    const grantScopes = async (scopes: readonly string[]): Promise<string> => {
      // As with a real pool, scopes must be allowed on the app client before they can be granted.
      const described = (await api('DescribeUserPoolClient', {
        UserPoolId: userPoolId,
        ClientId: clientId,
      })) as { UserPoolClient: { AllowedOAuthScopes?: string[] } };
      const allowed = new Set(described.UserPoolClient.AllowedOAuthScopes ?? []);
      if (scopes.some((s) => !allowed.has(s))) {
        await api('UpdateUserPoolClient', {
          UserPoolId: userPoolId,
          ClientId: clientId,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthScopes: [...new Set([...allowed, ...scopes])],
        });
      }
      const res = await fetch(`${frontUrl}/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: scopes.join(' ') }),
      });
      const body = (await res.json()) as { access_token?: string; error?: string };
      if (!res.ok || !body.access_token) {
        throw new Error(`local token endpoint: ${res.status} ${body.error ?? ''}`);
      }
      return body.access_token;
    };

    return {
      endpoint: frontUrl,
      region: REGION,
      userPoolId,
      clientId,
      issuer: `${frontUrl}/${userPoolId}`,
      jwksUri: `${frontUrl}/${userPoolId}/.well-known/jwks.json`,
      username: DEFAULT_USERNAME,
      password: DEFAULT_PASSWORD,
      signIn,
      accessTokenWithScopes: (scopes: readonly string[]) => {
        // Serialised: concurrent calls would race on the client's AllowedOAuthScopes update.
        const result = queue.then(() => grantScopes(scopes));
        queue = result.catch(() => undefined);
        return result;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface FrontResult {
  status: number;
  body: unknown;
}

/** Handles the two routes the front server owns; `undefined` means "proxy to cognito-local". */
async function handleFront(
  req: IncomingMessage,
  backend: string,
  state: { userPoolId: string },
  privateKey: import('node:crypto').KeyObject,
  scopesJwk: object,
  frontUrl: string,
): Promise<FrontResult | undefined> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'GET' && url.pathname.endsWith('/.well-known/jwks.json')) {
    const res = await fetch(backend + url.pathname);
    const jwks = (await res.json()) as { keys: object[] };
    return { status: 200, body: { keys: [...jwks.keys, scopesJwk] } };
  }
  if (req.method === 'GET' && url.pathname.endsWith('/.well-known/openid-configuration')) {
    // cognito-local hard-codes localhost:9229 here; answer with the real issuer and JWKS URL.
    const poolId = url.pathname.split('/')[1] ?? '';
    return {
      status: 200,
      body: {
        issuer: `${frontUrl}/${poolId}`,
        jwks_uri: `${frontUrl}/${poolId}/.well-known/jwks.json`,
        token_endpoint: `${frontUrl}/oauth2/token`,
        id_token_signing_alg_values_supported: ['RS256'],
      },
    };
  }
  if (req.method !== 'POST' || url.pathname !== '/oauth2/token') return undefined;
  const raw = await readBody(req);
  const form = new URLSearchParams(raw.toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials') {
    // Let cognito-local answer the grants it implements; re-send the buffered body.
    (req as IncomingMessage & { bufferedBody?: Buffer }).bufferedBody = raw;
    return undefined;
  }
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
  const [id, secret] = basic?.[1]
    ? Buffer.from(basic[1], 'base64').toString('utf8').split(':')
    : [form.get('client_id') ?? '', form.get('client_secret') ?? ''];
  let client: {
    ClientSecret?: string;
    AllowedOAuthScopes?: string[];
    AllowedOAuthFlows?: string[];
  };
  try {
    client = (
      (await callCognito(backend, 'DescribeUserPoolClient', {
        UserPoolId: state.userPoolId,
        ClientId: id,
      })) as { UserPoolClient: typeof client }
    ).UserPoolClient;
  } catch {
    return { status: 400, body: { error: 'invalid_client' } };
  }
  if (!client.ClientSecret || client.ClientSecret !== secret) {
    return { status: 400, body: { error: 'invalid_client' } };
  }
  if (!(client.AllowedOAuthFlows ?? []).includes('client_credentials')) {
    return { status: 400, body: { error: 'unauthorized_client' } };
  }
  const allowed = client.AllowedOAuthScopes ?? [];
  const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
  const scopes = requested.length > 0 ? requested : allowed;
  if (scopes.length === 0 || scopes.some((s) => !allowed.includes(s))) {
    return { status: 400, body: { error: 'invalid_scope' } };
  }
  const now = Math.floor(Date.now() / 1000);
  // Claims as Cognito issues them for client_credentials (sub = client_id, no username).
  const claims = {
    sub: id,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: now,
    iss: `${frontUrl}/${state.userPoolId}`,
    exp: now + 3600,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: id,
  };
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ kid: SCOPES_KID, alg: 'RS256' })}.${b64(claims)}`;
  const signature = rsaSign('sha256', Buffer.from(input), privateKey).toString('base64url');
  return {
    status: 200,
    body: { access_token: `${input}.${signature}`, expires_in: 3600, token_type: 'Bearer' },
  };
}

function proxy(
  req: IncomingMessage & { bufferedBody?: Buffer },
  res: import('node:http').ServerResponse,
  backendPort: number,
): void {
  const upstream = httpRequest(
    {
      host: '127.0.0.1',
      port: backendPort,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: `127.0.0.1:${backendPort}` },
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  if (req.bufferedBody) upstream.end(req.bufferedBody);
  else req.pipe(upstream);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function callCognito(
  backend: string,
  op: string,
  body: object,
): Promise<Record<string, unknown>> {
  const res = await fetch(backend + '/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${op}`,
    },
    body: JSON.stringify(body),
  });
  const out = (await res.json()) as Record<string, unknown>;
  if (!res.ok)
    throw new Error(
      `cognito-local ${op}: ${res.status} ${typeof out.message === 'string' ? out.message : ''}`,
    );
  return out;
}

async function waitReady(
  backend: string,
  child: ChildProcess,
  stderr: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`cognito-local exited (${child.exitCode}): ${stderr()}`);
    }
    try {
      const res = await fetch(`${backend}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`cognito-local did not become ready: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    timer.unref();
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s: Server = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
