// The packed library and the checks every consumer service passes: the three models, allowed
// and refused with API Gateway's answers (SigV4 by @smithy/signature-v4, JWTs minted by jose and
// verified against a JWKS URL, a Lambda authorizer).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mint, newKey } from '../cognito/helpers/tokens';
import { startJwksServer, type JwksServer } from '../cognito/helpers/jwks-server';
import { send } from '../sigv4/send';
import { signWithSmithy } from '../sigv4/sign-request';
import { ALICE, API, CREDENTIALS } from '../sigv4/iam-test-app';
import { packLibrary, type Packed } from './consumer-project';

const POOL = 'us-east-1_Consumer1';
export const ALICE_ARN = 'arn:aws:iam::111122223333:user/alice';
const key = newKey('consumer-key');

let work: string;
let packed: Packed;
let jwks: JwksServer;
let consumerEnv: Record<string, string>;

/**
 * Registers the suite's setup: the package packed into a temporary folder, and a JWKS endpoint
 * for the Cognito pool the consumer services trust. Call once at the top of a spec file.
 */
export function usePackedLibrary(): void {
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
}

/** What `npm pack` reported. */
export const packReport = (): Packed => packed;

/** The environment of a consumer service (`CONSUMER_CONFIG`), with extra settings. */
export function consumerConfig(extra: Record<string, unknown> = {}): Record<string, string> {
  return {
    CONSUMER_CONFIG: JSON.stringify({
      ...(JSON.parse(consumerEnv.CONSUMER_CONFIG as string) as object),
      ...extra,
    }),
  };
}

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

export async function signed(url: string, method: 'GET' | 'POST', path: string, body?: string) {
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
export async function exercise(url: string, { denies = true } = {}): Promise<void> {
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

/** A signed POST: the body's SHA-256 is part of the signature (read by gateway-auth, no wiring). */
export async function exerciseBody(url: string): Promise<void> {
  const body = JSON.stringify({ name: 'Rex' });
  const res = await send(url, await signed(url, 'POST', '/admin/pets', body));
  expect(res.status).toBeLessThan(300);
  expect(res.body).toEqual({ name: 'Rex', arn: ALICE_ARN });
}

/** The tarball as a dependency specifier. */
export const tarball = (): string => `file:${packed.tarball}`;
