import { JwtRejection } from './jwt-rejection';
import type { KeySource, VerificationKey } from './key-source';
import { verifyJwsSignature } from './verify-signature';

/** A verified `x-amzn-oidc-data` token. */
export interface VerifiedAlbToken {
  /** The JOSE header (`signer`, `iss`, `client`, `exp`, ...). */
  readonly header: Readonly<Record<string, unknown>>;
  /** The user claims (`sub`, `email`, ...), parsed for this token alone (the caller may convert them). */
  readonly payload: Record<string, unknown>;
  readonly key: VerificationKey;
  /** `exp` from the header, seconds. */
  readonly exp: number;
}

/** What to accept; `null` lists accept any value, explicitly. */
export interface AlbVerifyPolicy {
  readonly signerArns: ReadonlySet<string>;
  readonly clientIds: ReadonlySet<string> | null;
  readonly issuers: ReadonlySet<string> | null;
  readonly toleranceSeconds: number;
}

/** Base64 or base64url, with optional `=` padding (ALB pads, ALB-04). */
const PADDED_B64 = /^[A-Za-z0-9_\-+/]+={0,2}$/;

/**
 * Verifies ALB's `x-amzn-oidc-data` (ALB-02..05): ES256 over the raw `header.payload` text as received
 * (padding included), key by `kid` from the ALB key URL, `signer` among the expected ALB ARNs,
 * `client` and `iss` among the expected values, and `exp` — which ALB puts in the header.
 * @throws JwtRejection for every failure.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html#user-claims-encoding
 */
export async function verifyAlbOidcData(
  token: string,
  keySource: KeySource,
  policy: AlbVerifyPolicy,
  nowSeconds: number,
  maxLength: number,
): Promise<VerifiedAlbToken> {
  if (token.length === 0 || token.length > maxLength) {
    throw new JwtRejection('TOKEN_MALFORMED', 'ALB token empty or too long');
  }
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new JwtRejection('TOKEN_MALFORMED', 'ALB token is not three segments');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeObject(headerPart, 'header');
  const payload = decodeObject(payloadPart, 'payload');
  const signature = decodeBytes(signaturePart, 'signature');
  if (header.alg !== 'ES256')
    throw new JwtRejection('TOKEN_UNSUPPORTED_ALG', 'ALB token alg is not ES256');
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new JwtRejection('TOKEN_KID_MISSING', 'ALB token has no kid');
  }
  if (header.crit !== undefined) throw new JwtRejection('TOKEN_CRIT_HEADER', 'ALB token has crit');
  if (typeof header.signer !== 'string' || !policy.signerArns.has(header.signer)) {
    throw new JwtRejection(
      'ALB_SIGNER_MISMATCH',
      'ALB token signer is not an expected load balancer',
    );
  }
  if (
    policy.clientIds &&
    (typeof header.client !== 'string' || !policy.clientIds.has(header.client))
  ) {
    throw new JwtRejection('TOKEN_WRONG_AUDIENCE', 'ALB token client is not accepted');
  }
  if (policy.issuers && (typeof header.iss !== 'string' || !policy.issuers.has(header.iss))) {
    throw new JwtRejection('TOKEN_UNKNOWN_ISSUER', 'ALB token iss is not accepted');
  }
  const exp = header.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new JwtRejection('TOKEN_BAD_CLAIM', 'ALB token exp missing or not a number');
  }
  if (nowSeconds >= exp + policy.toleranceSeconds) {
    throw new JwtRejection('TOKEN_EXPIRED', `ALB token expired at ${exp}`);
  }
  const key = await keySource.getKey(header.kid);
  const signingInput = Buffer.from(`${headerPart}.${payloadPart}`, 'latin1');
  if (!verifyJwsSignature('ES256', key.keyObject, signingInput, signature)) {
    throw new JwtRejection('TOKEN_BAD_SIGNATURE', 'ALB token signature does not verify');
  }
  return { header, payload, key, exp };
}

function decodeBytes(segment: string, what: string): Buffer {
  if (!PADDED_B64.test(segment))
    throw new JwtRejection('TOKEN_MALFORMED', `ALB ${what} is not base64`);
  return Buffer.from(
    segment.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    'base64url',
  );
}

function decodeObject(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodeBytes(segment, what).toString('utf8'));
  } catch (error) {
    if (error instanceof JwtRejection) throw error;
    throw new JwtRejection('TOKEN_MALFORMED', `ALB ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtRejection('TOKEN_MALFORMED', `ALB ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
