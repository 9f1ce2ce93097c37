/**
 * The refusals of the authorizer model as API Gateway answers them: 401 Unauthorized, 403 for a
 * Deny (REST or HTTP API wording), 403 from the resource policy's pre-check, 500 for every failure.
 */
import { maskAccountInArn } from '../arn/execute-api-arn';
import { AuthError } from '../errors';

/** REST or HTTP API wording of the outcomes. */
export type ApiFlavour = 'rest' | 'http';

/**
 * 401 `{"message":"Unauthorized"}`: identity source missing or empty, validation expression
 * failed (LT-02/03, LR-03, HL-04), or the function failed with `Unauthorized` (LO-05).
 */
export function unauthorized(reason: string): AuthError {
  return new AuthError('AUTHORIZER_UNAUTHORIZED', {
    responseType: 'UNAUTHORIZED',
    message: 'Unauthorized',
    reason,
  });
}

/**
 * 403 for a Deny (LO-03): REST `{"Message":"User is not authorized to access this resource[ with an
 * explicit deny]"}` (`Message`/`message` per Q-L-1 setting); HTTP API `{"message":"Forbidden"}`
 * (HL-06, Q-HL-2).
 */
export function accessDenied(
  explicit: boolean,
  flavour: ApiFlavour,
  bodyKey: 'Message' | 'message',
  reason: string,
): AuthError {
  if (flavour === 'http') {
    return new AuthError('AUTHORIZER_DENIED', {
      responseType: 'ACCESS_DENIED',
      message: 'Forbidden',
      errorType: 'ForbiddenException',
      reason,
    });
  }
  return new AuthError('AUTHORIZER_DENIED', {
    responseType: 'ACCESS_DENIED',
    message: explicit
      ? 'User is not authorized to access this resource with an explicit deny'
      : 'User is not authorized to access this resource',
    bodyKey,
    reason,
  });
}

/**
 * 403 from the resource policy's pre-authorizer check (PIPE-04, RP-07): the caller is still
 * anonymous, and the method ARN's account is masked (SIG-31).
 */
export function resourcePolicyDenied(methodArn: string): AuthError {
  return new AuthError('RESOURCE_POLICY_DENIED', {
    responseType: 'ACCESS_DENIED',
    message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${maskAccountInArn(methodArn)} with an explicit deny in a resource-based policy`,
    bodyKey: 'Message',
    reason: 'explicit deny in the resource policy before the authorizer (PIPE-04)',
  });
}

/**
 * 500 for any other failure: the function threw or timed out, its response was malformed, it could
 * not be reached (LO-05/06/07, HL-06). REST `{"message": null}` with
 * `AuthorizerConfigurationException`; HTTP API `{"message":"Internal Server Error"}`.
 */
export function authorizerFailure(flavour: ApiFlavour, reason: string, cause?: unknown): AuthError {
  return new AuthError('AUTHORIZER_FAILURE', {
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    message: flavour === 'http' ? 'Internal Server Error' : null,
    errorType:
      flavour === 'http' ? 'InternalServerErrorException' : 'AuthorizerConfigurationException',
    reason,
    category: 'infrastructure',
    cause,
  });
}
