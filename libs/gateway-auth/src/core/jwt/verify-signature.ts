/**
 * JWS signature verification (RFC 7518 §3) with `node:crypto` and keys parsed once: which key may
 * verify which algorithm, and the verify itself. The crypto is Node's; this file only maps JOSE's
 * names and encodings onto it (ECDSA signatures are IEEE P1363, PSS salts the digest length). Kept
 * rather than a JOSE library's verifier for the reasons measured at the top of decode-jwt.ts.
 */
import { constants, verify, type KeyObject } from 'node:crypto';

/** JWS algorithms the verifier implements (RFC 7518 §3); `none` and HMAC are deliberately absent. */
export type JwsAlgorithm =
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

interface AlgorithmSpec {
  hash: string;
  keyType: 'rsa' | 'ec';
  curve?: string;
  /** ECDSA: raw r||s length (JWS uses IEEE P1363, not DER). */
  signatureBytes?: number;
  pss?: boolean;
}

const SPECS: Readonly<Record<JwsAlgorithm, AlgorithmSpec>> = {
  RS256: { hash: 'sha256', keyType: 'rsa' },
  RS384: { hash: 'sha384', keyType: 'rsa' },
  RS512: { hash: 'sha512', keyType: 'rsa' },
  PS256: { hash: 'sha256', keyType: 'rsa', pss: true },
  PS384: { hash: 'sha384', keyType: 'rsa', pss: true },
  PS512: { hash: 'sha512', keyType: 'rsa', pss: true },
  ES256: { hash: 'sha256', keyType: 'ec', curve: 'prime256v1', signatureBytes: 64 },
  ES384: { hash: 'sha384', keyType: 'ec', curve: 'secp384r1', signatureBytes: 96 },
  ES512: { hash: 'sha512', keyType: 'ec', curve: 'secp521r1', signatureBytes: 132 },
};

/** Smallest RSA modulus accepted (RFC 7518 §3.3 requires 2048 bits). */
export const MIN_RSA_MODULUS_BITS = 2048;

/** True for the algorithm names this module implements. */
export function isJwsAlgorithm(alg: string): alg is JwsAlgorithm {
  return Object.prototype.hasOwnProperty.call(SPECS, alg);
}

/**
 * Whether `key` may verify `alg`: right key type and curve, public, RSA ≥ 2048 bits with an odd
 * exponent ≥ 3. Checked once
 * when a key is imported, so the per-request verify does no inspection.
 */
export function keyFitsAlgorithm(key: KeyObject, alg: JwsAlgorithm): boolean {
  const spec = SPECS[alg];
  if (key.type !== 'public' || key.asymmetricKeyType !== spec.keyType) return false;
  const details = key.asymmetricKeyDetails;
  if (spec.keyType === 'rsa') {
    // Exponent 1 (or even) makes "signatures" trivially forgeable (Wycheproof rejectsPublicExponent1).
    const e = details?.publicExponent ?? 0n;
    return (details?.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS && e >= 3n && e % 2n === 1n;
  }
  return details?.namedCurve === spec.curve;
}

/**
 * Verifies a JWS signature over `signingInput` with an already-parsed public key. Returns false (never
 * throws) for a wrong or malformed signature; the caller has checked {@link keyFitsAlgorithm}.
 * @param signingInput the ASCII text that was signed, or its bytes.
 * @see https://datatracker.ietf.org/doc/html/rfc7518#section-3
 */
export function verifyJwsSignature(
  alg: JwsAlgorithm,
  key: KeyObject,
  signingInput: string | Buffer,
  signature: Buffer,
): boolean {
  const spec = SPECS[alg];
  if (spec.signatureBytes !== undefined && signature.length !== spec.signatureBytes) return false;
  const data =
    typeof signingInput === 'string' ? Buffer.from(signingInput, 'latin1') : signingInput;
  try {
    if (spec.keyType === 'ec') {
      return verify(spec.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    if (spec.pss) {
      return verify(
        spec.hash,
        data,
        {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        },
        signature,
      );
    }
    return verify(spec.hash, data, key, signature);
  } catch {
    return false;
  }
}
