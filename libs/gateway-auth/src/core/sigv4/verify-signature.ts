import { createHmac } from 'node:crypto';
import type { HttpRequest } from '../http-request';
import { buildCanonicalRequest } from './canonical-request';
import { HmacSha256Key } from './hmac-sha256';
import { sha256Hex } from './sha256-hex';
import { SIGV4_ALGORITHM, type SigV4Claims } from './parse-sigv4';

/** What signature verification computed; the texts feed the SIG-22 echo. */
export interface SignatureCheck {
  valid: boolean;
  canonicalRequest: string;
  stringToSign: string;
}

/**
 * Recomputes the signature of `request` over exactly its signed headers (SIG-05..08) and compares it
 * with the one sent, in constant time.
 * The MAC is {@link HmacSha256Key} (a key prepared once, SHA-256 from node:crypto) when the caller
 * has one, as the signing-key cache does; a raw key goes through `createHmac`. Why not `createHmac`
 * on the hot path: see the top of `hmac-sha256.ts`.
 * @param signingKey the derived key for the claimed scope, raw or prepared (see {@link SigningKeyCache}).
 * @param payloadHash hex SHA-256 of the body, or the signed `x-amz-content-sha256` value.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export function verifySignature(
  request: HttpRequest,
  claims: SigV4Claims,
  signingKey: Buffer | HmacSha256Key,
  payloadHash: string,
): SignatureCheck {
  let canonicalRequest: string;
  try {
    canonicalRequest = buildCanonicalRequest(
      request,
      claims.query,
      claims.signedHeaders,
      payloadHash,
      claims.form === 'query',
    );
  } catch {
    // A lone surrogate cannot be encoded: nothing can have signed it.
    return { valid: false, canonicalRequest: '', stringToSign: '' };
  }
  // The scope is the Credential value after the access key id (already checked part by part).
  const scope = claims.credential.slice(claims.accessKeyId.length + 1);
  const stringToSign = `${SIGV4_ALGORITHM}\n${claims.amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const expected =
    signingKey instanceof HmacSha256Key
      ? signingKey.hex(stringToSign)
      : createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return {
    valid: hexEquals(expected, claims.signature),
    canonicalRequest,
    stringToSign,
  };
}

/** Constant-time comparison of two hex strings (no early exit on the first differing character). */
function hexEquals(expected: string, sent: string): boolean {
  if (sent.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ sent.charCodeAt(i);
  return diff === 0;
}
