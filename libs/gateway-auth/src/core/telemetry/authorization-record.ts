import type { AuthContext } from '../auth-context';
import type { AuthError } from '../errors';
import type { AuthModel, AuthorizerInvocation } from './auth-telemetry';

/**
 * The property of a Node `IncomingMessage` where an access log keeps the request's
 * {@link AuthorizationRecord}; adapters hand it to the core as `HttpRequest.record`.
 */
export const AUTHORIZATION_RECORD: unique symbol = Symbol.for('gateway-auth.authorization-record');

/**
 * What gateway-auth decided about one request, filled while it is authorized and read when its
 * response ends (the access log's `$context.authorizer.*`, `$context.identity.*`, `$context.error.*`).
 * Holds the caller's context as handlers see it, never tokens, signatures or secrets.
 */
export class AuthorizationRecord {
  /** The model that decided; `undefined` when the route is not guarded. */
  model: AuthModel | undefined = undefined;
  /** The Lambda authorizer's name (custom model). */
  authorizer: string | undefined = undefined;
  /** The caller's context when allowed. */
  context: AuthContext | undefined = undefined;
  /** The refusal when refused. */
  error: AuthError | undefined = undefined;
  /** 200 when allowed, else the refusal's status. */
  statusCode: number | undefined = undefined;
  /** Milliseconds the whole authorization took (cache lookups and invocations included). */
  latencyMs: number | undefined = undefined;
  /** The route template the framework matched, e.g. `/pets/:id`. */
  routePath: string | undefined = undefined;
  /** The Lambda authorizer invocation, when one ran (not on a cache hit). */
  invocation: AuthorizerInvocation | undefined = undefined;
  /** Whether the Lambda authorizer's decision came from its cache. */
  cacheHit: boolean | undefined = undefined;
  /** The W3C trace id of the authorization span, when traced. */
  traceId: string | undefined = undefined;
}
