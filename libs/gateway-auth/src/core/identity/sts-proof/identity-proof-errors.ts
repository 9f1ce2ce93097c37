import { AuthError } from '../../errors';

/**
 * The refusals of the STS identity-proof way in. API Gateway has no such header, so each refusal
 * answers like the SigV4 refusal it stands for: a malformed proof like a malformed signature
 * (SIG-21), a stale one like an expired signature (SIG-23/24), a proof STS rejects like an unknown
 * key (SIG-25), an STS that cannot answer like any failed authorization dependency (500). Messages
 * never echo the proof, its signature or its token.
 */

/** The proof is not what the wire contract says (docs/iam-auth.md, "Identity proofs"). */
export function malformedProof(detail: string): AuthError {
  return new AuthError('IDENTITY_PROOF_MALFORMED', {
    responseType: 'INVALID_SIGNATURE',
    errorType: 'IncompleteSignatureException',
    message: `X-Gateway-Auth-Identity is not a valid identity proof: ${detail}.`,
    reason: `identity proof refused before STS: ${detail}`,
  });
}

/** The proof is well formed but signed for something else (region, service, headers). */
export function proofScope(message: string, reason: string): AuthError {
  return new AuthError('IDENTITY_PROOF_SCOPE', {
    responseType: 'INVALID_SIGNATURE',
    message,
    reason: `identity proof refused before STS: ${reason}`,
  });
}

/** SIG-23/24 for the proof's signed date. */
export function proofTime(
  code: 'IDENTITY_PROOF_EXPIRED' | 'IDENTITY_PROOF_NOT_YET_CURRENT',
  message: string,
  reason: string,
): AuthError {
  return new AuthError(code, {
    responseType: 'INVALID_SIGNATURE',
    message,
    reason: `identity proof refused before STS: ${reason}`,
  });
}

/** SIG-25: STS did not accept the proof (bad signature, unknown key, another audience). */
export function proofRejected(reason: string): AuthError {
  return new AuthError('IDENTITY_PROOF_REJECTED', {
    responseType: 'ACCESS_DENIED',
    message: 'The security token included in the request is invalid.',
    reason,
  });
}

/** SIG-26: STS says the proof's session credentials have expired. */
export function proofTokenExpired(reason: string): AuthError {
  return new AuthError('IDENTITY_PROOF_EXPIRED_TOKEN', {
    responseType: 'EXPIRED_TOKEN',
    message: 'The security token included in the request is expired',
    reason,
  });
}

/**
 * STS could not be asked or answered something we do not trust (unreachable, timeout, 5xx,
 * throttling, a malformed or hostile answer): fail closed with API Gateway's 500 for a failed
 * authorization dependency, `{"message": null}`.
 */
export function stsUnavailable(reason: string, cause?: unknown): AuthError {
  return new AuthError('STS_UNAVAILABLE', {
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    errorType: 'AuthorizerConfigurationException',
    message: null,
    category: 'infrastructure',
    reason,
    cause,
  });
}
