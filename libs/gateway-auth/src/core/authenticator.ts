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
 * One authorization model (AWS_IAM, Cognito/JWT, Lambda authorizer). Resolves with the caller's
 * context or throws an `AuthError`; any other throw is turned into a fail-closed 500 by the caller.
 */
export interface Authenticator<TRoute> {
  authenticate(request: HttpRequest, route: TRoute): Promise<AuthContext>;
  /**
   * {@link authenticate} for the hot path: the same decisions and errors, but the context is
   * returned directly (no promise, no microtask) when nothing had to be awaited — a cached
   * authorizer decision, a verified-token cache hit, credentials held in memory — and a refusal
   * known synchronously is thrown. Returns a promise whenever real I/O is needed. Optional: the
   * facade calls `authenticate` for a model without it.
   */
  authorize?(request: HttpRequest, route: TRoute): AuthContext | Promise<AuthContext>;
  /** Releases timers, sockets and watchers. */
  close?(): Promise<void>;
}
