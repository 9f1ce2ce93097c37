import { AuthError } from '../errors';

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
