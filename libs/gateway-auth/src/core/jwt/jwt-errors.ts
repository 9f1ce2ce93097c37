/**
 * Cognito/JWT refusals as API Gateway answers them: the stable codes, and the 401/403 responses of
 * the REST Cognito authorizer and the HTTP API JWT authorizer.
 */
import { AuthError } from '../errors';
import { JwtRejection } from './jwt-rejection';

/**
 * Stable codes of every Cognito/JWT refusal. Clients only ever see API Gateway's bodies; the code and
 * the reason go to the decision log.
 */
export type JwtErrorCode =
  | 'TOKEN_MISSING'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_UNSUPPORTED_ALG'
  | 'TOKEN_KID_MISSING'
  | 'TOKEN_CRIT_HEADER'
  | 'TOKEN_UNKNOWN_ISSUER'
  | 'TOKEN_UNKNOWN_KID'
  | 'TOKEN_BAD_SIGNATURE'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_ISSUED_IN_FUTURE'
  | 'TOKEN_BAD_CLAIM'
  | 'TOKEN_WRONG_AUDIENCE'
  | 'TOKEN_WRONG_USE'
  | 'TOKEN_IDENTITY_VALIDATION'
  | 'TOKEN_INSUFFICIENT_SCOPE'
  | 'TOKEN_GROUP_DENIED'
  | 'JWKS_UNAVAILABLE'
  | 'ALB_SIGNER_MISMATCH'
  | 'RESOURCE_POLICY_DENIED';

/** Which API Gateway authorizer's wire behaviour to reproduce. */
export type JwtMode = 'rest' | 'http';

/**
 * A 401 as the REST Cognito authorizer (COG-06) or the HTTP API JWT authorizer (HJWT-03, with its
 * `www-authenticate` header) answers it.
 * @param reason log-only detail; never includes the token.
 */
export function unauthorized(
  code: JwtErrorCode,
  mode: JwtMode,
  reason: string,
  options: { category?: 'client' | 'infrastructure'; cause?: unknown; description?: string } = {},
): AuthError {
  return new AuthError(code, {
    responseType: 'UNAUTHORIZED',
    message: 'Unauthorized',
    reason,
    category: options.category,
    cause: options.cause,
    headers:
      mode === 'http'
        ? {
            'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${options.description ?? 'the token is not valid'}"`,
          }
        : undefined,
  });
}

/**
 * An expired token. REST: 401 `{"message":"The incoming token has expired"}` (COG-06). HTTP: the
 * generic HJWT-03 401 with `error_description="the token has expired"`.
 */
export function expired(mode: JwtMode, reason: string): AuthError {
  if (mode === 'http') {
    return unauthorized('TOKEN_EXPIRED', mode, reason, { description: 'the token has expired' });
  }
  return new AuthError('TOKEN_EXPIRED', {
    responseType: 'UNAUTHORIZED',
    message: 'The incoming token has expired',
    reason,
  });
}

/**
 * A valid token without a scope the route needs. REST: 401 Unauthorized (COG-03, developer guide;
 * Q-COG-2). HTTP: 403 `{"message":"Forbidden"}` with `error="insufficient_scope"` (HJWT-04, Q-HJWT-1).
 */
export function insufficientScope(
  mode: JwtMode,
  routeScopes: readonly string[],
  reason: string,
  restStatus: 401 | 403 = 401,
): AuthError {
  if (mode === 'rest' && restStatus === 401) {
    return unauthorized('TOKEN_INSUFFICIENT_SCOPE', mode, reason);
  }
  if (mode === 'rest') {
    return new AuthError('TOKEN_INSUFFICIENT_SCOPE', {
      responseType: 'ACCESS_DENIED',
      message: 'Forbidden',
      errorType: 'ForbiddenException',
      reason,
    });
  }
  return new AuthError('TOKEN_INSUFFICIENT_SCOPE', {
    responseType: 'ACCESS_DENIED',
    message: 'Forbidden',
    errorType: 'ForbiddenException',
    reason,
    headers: {
      'www-authenticate': `Bearer scope="${routeScopes.join(' ')}" error="insufficient_scope" error_description="the token does not have the required scope"`,
    },
  });
}

/**
 * A valid token outside the route's required `cognito:groups` (not an API Gateway feature): 403 with
 * the body API Gateway uses when an authorizer denies (`{"Message":"User is not authorized to access
 * this resource"}`).
 */
export function groupDenied(reason: string): AuthError {
  return new AuthError('TOKEN_GROUP_DENIED', {
    responseType: 'ACCESS_DENIED',
    message: 'User is not authorized to access this resource',
    bodyKey: 'Message',
    reason,
  });
}

/**
 * Any failure of token handling as API Gateway's response for `mode`: a {@link JwtRejection} by its
 * code, an `AuthError` as is, anything unexpected as a 401 logged as infrastructure (fail closed).
 * @param routeScopes the route's scopes, for HTTP's `insufficient_scope` header (HJWT-04).
 * @param scopeMismatchStatus REST's status for a missing scope (`scopeMismatchStatus` option).
 */
export function toJwtAuthError(
  error: unknown,
  mode: JwtMode,
  routeScopes: readonly string[],
  scopeMismatchStatus?: 401 | 403,
): AuthError {
  if (error instanceof AuthError) return error;
  if (!(error instanceof JwtRejection)) {
    const detail = error instanceof Error ? error.message : String(error);
    return unauthorized('TOKEN_MALFORMED', mode, `unexpected: ${detail}`, {
      category: 'infrastructure',
      cause: error,
    });
  }
  switch (error.code) {
    case 'TOKEN_EXPIRED':
      return expired(mode, error.message);
    case 'TOKEN_INSUFFICIENT_SCOPE':
      return insufficientScope(mode, routeScopes, error.message, scopeMismatchStatus);
    case 'TOKEN_GROUP_DENIED':
      return groupDenied(error.message);
    case 'JWKS_UNAVAILABLE':
      return unauthorized(error.code, mode, error.message, {
        category: 'infrastructure',
        cause: error,
      });
    default:
      return unauthorized(error.code, mode, error.message, { description: error.description });
  }
}
