import type { ApiOptions } from './api-options';
import type { AuthContext } from './auth-context';
import type { Clock } from './clock';
import type { HttpRequest } from './http-request';
import type { CompiledPolicy } from './iam';
import type { Logger } from './logger';

/**
 * What every authorization model shares: the API identity, the clock, the logger and the API's
 * compiled resource policy (combined per RP-03 by each model).
 */
export interface SharedServices {
  api: ApiOptions;
  clock: Clock;
  logger: Logger;
  /** The API's resource policy, compiled once at boot; `undefined` when none is configured. */
  resourcePolicy?: CompiledPolicy;
}

/**
 * One authorization model (AWS_IAM, Cognito/JWT, Lambda authorizer). Resolves with the caller's
 * context or throws an `AuthError`; any other throw is turned into a fail-closed 500 by the caller.
 */
export interface Authenticator<TRoute> {
  authenticate(request: HttpRequest, route: TRoute): Promise<AuthContext>;
  /** Releases timers, sockets and watchers. */
  close?(): Promise<void>;
}
