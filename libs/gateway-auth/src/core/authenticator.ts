// What every authorization model shares: its services, and the one protocol of `authorize()`
// (an answer now, or a promise of one when I/O was needed) with `isPending` to tell which.
import type { ApiOptions } from './api-options';
import type { AuthContext } from './auth-context';
import type { Clock } from './clock';
import type { HttpRequest } from './http-request';
import type { CompiledPolicy } from './iam';
import type { Logger } from './logger';
import type { AuthTelemetry } from './telemetry/auth-telemetry';

/**
 * What every authorization model shares: the API identity, the clock, the logger, the API's compiled
 * resource policy (combined per RP-03 by each model) and the telemetry seam.
 */
export interface SharedServices {
  api: ApiOptions;
  clock: Clock;
  logger: Logger;
  /** The API's resource policy, compiled once at boot; `undefined` when none is configured. */
  resourcePolicy?: CompiledPolicy;
  /**
   * Where models report decision-cache lookups and wrap outgoing calls (authorizer invocations, JWKS
   * fetches, Redis commands, AWS API calls) for metrics, traces and access logs. Default: records
   * nothing.
   */
  telemetry?: AuthTelemetry;
}

/**
 * What `authorize()` answers, in every model, the facade and the adapters: the caller's context
 * directly when nothing had to be awaited (a cached authorizer decision, a verified-token cache hit,
 * credentials held in memory), or a promise of it when real I/O was needed. A refusal known without
 * I/O is thrown; one found after I/O rejects the promise. Tell the two apart with {@link isPending}.
 */
export type Authorization<T = AuthContext> = T | Promise<T>;

/**
 * The one test of which answer an `authorize()` gave: true for a promise or any other thenable (a
 * model is never trusted to have settled by its type alone). `await` works on both answers.
 */
export function isPending<T>(outcome: T | PromiseLike<T>): outcome is PromiseLike<T> {
  return typeof (outcome as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * Hands an authorization's answer to `allow` or `refuse`, for callback-style adapters (the Express
 * middleware, passport strategies): synchronously when `authorize` answered with a value or threw,
 * once the promise settles otherwise.
 */
export function settle<T>(
  authorize: () => Authorization<T>,
  allow: (value: T) => void,
  refuse: (error: unknown) => void,
): void {
  let outcome: Authorization<T>;
  try {
    outcome = authorize();
  } catch (error) {
    refuse(error);
    return;
  }
  if (isPending(outcome)) outcome.then(allow, refuse);
  else allow(outcome);
}

/**
 * One authorization model (AWS_IAM, Cognito/JWT, Lambda authorizer): the caller's context (see
 * {@link Authorization}), or an `AuthError` thrown or rejected; any other throw is turned into a
 * fail-closed 500 by the facade.
 */
export interface Authenticator<TRoute> {
  authorize(request: HttpRequest, route: TRoute): Authorization;
  /** Releases timers, sockets and watchers. */
  close?(): Promise<void>;
}
