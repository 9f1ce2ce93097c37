import { AuthError } from '../errors';

/**
 * The refusals of the AWS_IAM model, worded as API Gateway words them (SIG-20..SIG-31). Stable
 * `code`s are documented in docs/iam-auth.md. Reasons (for logs) never hold secrets or signatures.
 * @see https://repost.aws/knowledge-center/api-gateway-iam-403-error
 */

/** SIG-20: no `Authorization` header and no SigV4 query parameters. */
export function missingAuthenticationToken(): AuthError {
  return new AuthError('SIGV4_MISSING', {
    responseType: 'MISSING_AUTHENTICATION_TOKEN',
    message: 'Missing Authentication Token',
    reason: 'no SigV4 Authorization header or presigned query parameters',
  });
}

/** SIG-21 and other malformed-signature refusals (`IncompleteSignatureException`). */
export function incompleteSignature(message: string, reason: string): AuthError {
  return new AuthError('SIGV4_INCOMPLETE', {
    responseType: 'INVALID_SIGNATURE',
    errorType: 'IncompleteSignatureException',
    message,
    reason,
  });
}

/** An `InvalidSignatureException` with `message` (SIG-22..24, SIG-27). */
export function invalidSignature(code: string, message: string, reason: string): AuthError {
  return new AuthError(code, { responseType: 'INVALID_SIGNATURE', message, reason });
}

/** SIG-22: the recomputed signature differs; `detail` echoes the canonical request when enabled. */
export function signatureMismatch(
  detail: { canonicalRequest: string; stringToSign: string } | undefined,
  reason: string,
): AuthError {
  let message =
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
  if (detail) {
    message +=
      `\n\nThe Canonical String for this request should have been\n'${detail.canonicalRequest}'\n\n` +
      `The String-to-Sign should have been\n'${detail.stringToSign}'\n`;
  }
  return invalidSignature('SIGV4_SIGNATURE_MISMATCH', message, reason);
}

/** SIG-25: unknown access key id, or a session token that does not belong to it. */
export function invalidSecurityToken(reason: string): AuthError {
  return new AuthError('SIGV4_INVALID_TOKEN', {
    responseType: 'ACCESS_DENIED',
    message: 'The security token included in the request is invalid.',
    reason,
  });
}

/** SIG-26 / Q-SIG-4: the credential's session has expired (`EXPIRED_TOKEN`). */
export function expiredSecurityToken(reason: string): AuthError {
  return new AuthError('SIGV4_EXPIRED_TOKEN', {
    responseType: 'EXPIRED_TOKEN',
    message: 'The security token included in the request is expired',
    reason,
  });
}

/**
 * SIG-28/29/31: `{"Message":"User: <caller> is not authorized to perform: execute-api:Invoke on
 * resource: <masked method ARN> ..."}` with `AccessDeniedException`.
 */
export function accessDenied(
  code: 'IAM_IMPLICIT_DENY' | 'IAM_EXPLICIT_DENY',
  message: string,
  reason: string,
): AuthError {
  return new AuthError(code, {
    responseType: 'ACCESS_DENIED',
    bodyKey: 'Message',
    message,
    reason,
  });
}

/** The raw body was not captured, so the payload hash cannot be checked: fail closed (500). */
export function bodyNotCaptured(): AuthError {
  return new AuthError('SIGV4_BODY_NOT_CAPTURED', {
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    errorType: 'AuthorizerConfigurationException',
    message: null,
    category: 'infrastructure',
    reason:
      'the request has a body but its raw bytes were not kept (something read the body before gateway-auth: ' +
      'mount the gateway-auth middleware before body parsers, or keep req.rawBody in their verify hook; ' +
      'a content-type parser of your own on Fastify must keep request.rawBody) and no x-amz-content-sha256 ' +
      'header was sent: cannot verify the payload hash',
  });
}
