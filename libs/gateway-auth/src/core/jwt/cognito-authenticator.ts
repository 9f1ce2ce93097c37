// PLACEHOLDER until issue 4 lands: refuses everything (fail closed).
import type { AuthContext } from '../auth-context';
import type { Authenticator, SharedServices } from '../authenticator';
import { AuthError } from '../errors';
import type { HttpRequest } from '../http-request';

/** Options of the Cognito user pool / JWT model. */
export interface CognitoAuthOptions {
  userPools: readonly unknown[];
}

/** Per-route options of `@CognitoAuth()`. */
export interface CognitoRouteOptions {
  /** OAuth scopes of the method (COG-03); none means ID tokens only (COG-02). */
  scopes?: readonly string[];
  /** Required `cognito:groups` membership (any of). Not an API Gateway feature. */
  groups?: readonly string[];
}

export class CognitoAuthenticator implements Authenticator<CognitoRouteOptions> {
  constructor(
    readonly options: CognitoAuthOptions,
    readonly shared: SharedServices,
  ) {}

  authenticate(_request: HttpRequest, _route: CognitoRouteOptions): Promise<AuthContext> {
    return Promise.reject(
      new AuthError('NOT_IMPLEMENTED', {
        responseType: 'UNAUTHORIZED',
        message: 'Unauthorized',
        reason: 'Cognito authentication not built yet',
      }),
    );
  }
}
