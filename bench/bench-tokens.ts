/**
 * The JWT benches' issuer: one RS256 key (2048 bits), its JWKS served from memory, and Cognito-shaped
 * ID tokens of a bench user pool.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { JwksKeySource, silentLogger, systemClock } from '../libs/gateway-auth/src';

export const POOL = 'us-east-1_Bench1';
export const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
export const CLIENT = 'bench-client';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
export { publicKey };
/** The public key as the pool's JWKS publishes it. */
export const jwk = {
  ...publicKey.export({ format: 'jwk' }),
  kid: 'bench-1',
  alg: 'RS256',
  use: 'sig',
};

/** A key source serving {@link jwk} without a network (its first getKey fetches from memory). */
export function benchKeySource(): JwksKeySource {
  return new JwksKeySource({
    jwksUri: 'https://bench.invalid/jwks.json',
    algorithms: ['RS256'],
    clock: systemClock,
    logger: silentLogger,
    fetchDocument: () => Promise.resolve({ keys: [jwk] }),
  });
}

/** `count` distinct ID tokens of the pool, valid for an hour. */
export async function mintIdTokens(count: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(
      await new SignJWT({
        sub: `user-${i}`,
        'cognito:username': `user-${i}`,
        'cognito:groups': ['readers'],
        email: `user-${i}@example.com`,
        email_verified: true,
        aud: CLIENT,
        iss: ISS,
        token_use: 'id',
        auth_time: now,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'bench-1' })
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(privateKey),
    );
  }
  return out;
}
