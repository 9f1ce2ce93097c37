import type { AuthContext } from '../auth-context';
import type { AuthError } from '../errors';
import type { HttpRequest } from '../http-request';

/** The authorization models, as route requirements name them. */
export type AuthModel = 'iam' | 'cognito' | 'custom';

/** How one authorization ended, as the facade reports it to {@link AuthTelemetry}. */
export interface AuthorizationOutcome {
  /** The caller's context when allowed; `undefined` when refused. */
  context: AuthContext | undefined;
  /** The refusal (with its response type) when refused; `undefined` when allowed. */
  error: AuthError | undefined;
  /** 200 when allowed, else the status the refusal is answered with (after customisation). */
  statusCode: number;
}

/** Where a Lambda authorizer runs. */
export type AuthorizerTarget = 'in-process' | 'lambda' | 'http' | 'custom';

/**
 * An outgoing call the core makes while authorizing: a Lambda-authorizer invocation, a JWKS fetch, a
 * Redis command of the shared decision cache, or an AWS API call (STS, IAM).
 */
export type DependencyCall =
  | { kind: 'authorizer'; authorizer: string; target: AuthorizerTarget; functionName?: string }
  | { kind: 'jwks'; url: string }
  | { kind: 'redis'; operation: string }
  | { kind: 'aws'; service: string; operation: string; region?: string };

/** What a call's body learns from the telemetry: the trace context to hand to the callee. */
export interface CallTrace {
  /**
   * The active trace context as propagation headers (`traceparent`, `X-Amzn-Trace-Id`... as the
   * configured propagators write them); empty when nothing is traced. Computed on first read.
   */
  readonly headers: Readonly<Record<string, string>>;
}

/** One decision-cache lookup of a Lambda authorizer. */
export interface CacheLookup {
  authorizer: string;
  /** `memory` (in process), `redis`, or `custom` (a store the application provides). */
  store: 'memory' | 'redis' | 'custom';
  hit: boolean;
}

/** What a finished Lambda-authorizer invocation tells the access log (`$context.authorizer.*`). */
export interface AuthorizerInvocation {
  latencyMs: number;
  /** 200 when the function answered (even with a function error), `undefined` when unreachable. */
  status: number | undefined;
}

/** A started authorization; the facade ends it exactly once. */
export interface AuthorizationScope {
  /** Runs `fn` with this authorization as the active trace context, so calls become its children. */
  run<T>(fn: () => T): T;
  /** Records the decision. Never throws. */
  end(outcome: AuthorizationOutcome): void;
}

/**
 * The one seam through which the core reports what it does: the facade starts and ends each
 * authorization, models report decision-cache lookups and wrap their outgoing calls. Implementations
 * turn these into OpenTelemetry metrics and spans, CloudWatch EMF lines and access-log fields. A
 * telemetry failure never changes a decision: implementations swallow their own errors.
 *
 * When {@link enabled} is false the facade does not call {@link startAuthorization} at all, so the
 * synchronous hot path pays one property read.
 */
export interface AuthTelemetry {
  readonly enabled: boolean;
  startAuthorization(
    request: HttpRequest,
    model: AuthModel,
    authorizer: string | undefined,
  ): AuthorizationScope;
  /** A Lambda authorizer's decision cache was consulted for `request`. */
  cacheLookup(request: HttpRequest, lookup: CacheLookup): void;
  /** A Lambda authorizer was invoked for `request` (after the call ended, successful or not). */
  authorizerInvoked(request: HttpRequest, invocation: AuthorizerInvocation): void;
  /**
   * Runs `body` as one outgoing call: a child span of the active authorization, the call's duration
   * and outcome as metrics. Resolves or rejects exactly as `body` does.
   */
  call<T>(call: DependencyCall, body: (trace: CallTrace) => Promise<T>): Promise<T>;
  /** A dependency failed outside a call (e.g. the Redis connection dropped). */
  dependencyError(kind: 'redis', operation: string, error: unknown): void;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const NO_TRACE: CallTrace = Object.freeze({ headers: NO_HEADERS });
const NOOP_SCOPE: AuthorizationScope = Object.freeze({
  run: <T>(fn: () => T): T => fn(),
  end: () => undefined,
});

/** Telemetry that records nothing (`telemetry: false`, and unit tests of single models). */
export const noopTelemetry: AuthTelemetry = Object.freeze({
  enabled: false,
  startAuthorization: () => NOOP_SCOPE,
  cacheLookup: () => undefined,
  authorizerInvoked: () => undefined,
  call: <T>(_call: DependencyCall, body: (trace: CallTrace) => Promise<T>): Promise<T> =>
    body(NO_TRACE),
  dependencyError: () => undefined,
});
