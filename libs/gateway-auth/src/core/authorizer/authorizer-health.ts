/**
 * An authorizer's health as its invocations show it: how the recent ones ended (passive, nothing is
 * sent to check it), reported by `health()` and the health endpoints.
 */
import type { AuthorizerTarget } from '../telemetry/auth-telemetry';
import { AuthorizerUnauthorizedError } from './invokers/authorizer-invoker';

/** The health of one Lambda authorizer as seen from its invocations. */
export interface AuthorizerHealth {
  name: string;
  target: AuthorizerTarget;
  /** False after `unhealthyAfterFailures` consecutive invocations failed to reach the function. */
  healthy: boolean;
  consecutiveFailures: number;
  /** Epoch ms of the last invocation that got an answer (Allow, Deny or `Unauthorized`). */
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  lastError: string | undefined;
}

/**
 * What the health check knows of one authorizer: how its recent invocations ended. A Deny or an
 * `Unauthorized` is an answer; a network error, a timeout, a throttle or a missing permission is a
 * failure to reach the function.
 */
export class AuthorizerHealthState {
  private lastSuccessAt: number | undefined;
  private lastFailureAt: number | undefined;
  private consecutiveFailures = 0;
  private lastError: string | undefined;

  /**
   * Records how one invocation ended at `now` (epoch ms).
   * @param error what the invocation threw, `undefined` when it answered.
   * @returns whether the function answered (Lambda's `Unauthorized` is an answer: 200 with a
   * function error).
   */
  record(error: unknown, now: number): boolean {
    const answered = error === undefined || error instanceof AuthorizerUnauthorizedError;
    if (answered) {
      this.lastSuccessAt = now;
      this.consecutiveFailures = 0;
    } else {
      this.lastFailureAt = now;
      this.consecutiveFailures += 1;
      this.lastError = error instanceof Error ? error.message.slice(0, 256) : 'failed';
    }
    return answered;
  }

  /** The report of the authorizer `name`: unhealthy after `unhealthyAfterFailures` failures in a row. */
  report(name: string, target: AuthorizerTarget, unhealthyAfterFailures: number): AuthorizerHealth {
    return {
      name,
      target,
      healthy: this.consecutiveFailures < unhealthyAfterFailures,
      consecutiveFailures: this.consecutiveFailures,
      lastSuccessAt: this.lastSuccessAt,
      lastFailureAt: this.lastFailureAt,
      lastError: this.lastError,
    };
  }
}
