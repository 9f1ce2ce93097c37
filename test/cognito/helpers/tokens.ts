// Test keys and tokens: valid tokens are minted with `jose` (an independent JOSE implementation);
// hostile ones are assembled by hand from raw segments so every byte can be wrong on purpose.
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { KeySource, VerificationKey } from 'api-gateway-auth';

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Public JWK with kid, alg and use, as a JWKS publishes it. */
  jwk: Record<string, unknown>;
}

/** A fresh RSA-2048 (RS256) or P-256 (ES256) key pair. */
export function newKey(kid: string, type: 'rsa' | 'ec' = 'rsa'): TestKey {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid,
    privateKey,
    publicKey,
    jwk: {
      ...publicKey.export({ format: 'jwk' }),
      kid,
      alg: type === 'rsa' ? 'RS256' : 'ES256',
      use: 'sig',
    },
  };
}

/** Signs claims with jose (RS256 unless `alg` says otherwise). */
export function mint(
  key: TestKey,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
  alg = 'RS256',
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

export const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** `header.payload.signature` with an RS256 signature by `key` over the given raw segments. */
export function rawSigned(headerSegment: string, payloadSegment: string, key: TestKey): string {
  const input = `${headerSegment}.${payloadSegment}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

/** HS256 over the segments with `secret` as the HMAC key (algorithm-confusion attacks). */
export function hmacSigned(headerSegment: string, payloadSegment: string, secret: Buffer): string {
  const input = `${headerSegment}.${payloadSegment}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A fixed key set (the KeySource interface is public: apps can bring their own). */
export class StaticKeySource implements KeySource {
  private readonly keys = new Map<string, VerificationKey>();

  constructor(keys: readonly TestKey[]) {
    for (const key of keys) this.set(key);
  }

  set(key: TestKey): void {
    this.keys.set(key.kid, {
      kid: key.kid,
      algorithms: [key.jwk.alg as 'RS256'],
      keyObject: key.publicKey,
    });
  }

  remove(kid: string): void {
    this.keys.delete(kid);
  }

  getKey(kid: string): Promise<VerificationKey> {
    const key = this.keys.get(kid);
    return key ? Promise.resolve(key) : Promise.reject(new Error(`unknown kid ${kid}`));
  }

  peekKey(kid: string): VerificationKey | undefined {
    return this.keys.get(kid);
  }
}
