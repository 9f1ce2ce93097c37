// PLACEHOLDER until issue 5 lands: refuses everything (fail closed).
import type { AuthContext } from '../auth-context';
import type { Authenticator, SharedServices } from '../authenticator';
import { AuthError } from '../errors';
import type { HttpRequest } from '../http-request';

/** One Lambda authorizer's configuration. */
export interface AuthorizerOptions {
  type: 'TOKEN' | 'REQUEST';
  handler?: unknown;
  ttlSeconds?: number;
}

/** Per-route options of `@CustomAuthorizer(name)`. */
export interface CustomAuthorizerRouteOptions {
  name: string;
}

export class CustomAuthorizerAuthenticator implements Authenticator<CustomAuthorizerRouteOptions> {
  constructor(
    readonly authorizers: Readonly<Record<string, AuthorizerOptions>>,
    readonly shared: SharedServices,
  ) {}

  authenticate(_request: HttpRequest, _route: CustomAuthorizerRouteOptions): Promise<AuthContext> {
    return Promise.reject(
      new AuthError('NOT_IMPLEMENTED', {
        responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
        message: null,
        reason: 'Lambda authorizers not built yet',
        category: 'infrastructure',
      }),
    );
  }
}
