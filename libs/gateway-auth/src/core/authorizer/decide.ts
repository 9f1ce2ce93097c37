/**
 * Decide: the resource policy's explicit Deny before the authorizer runs (PIPE-04), then an
 * authorizer's answer — cached or fresh — evaluated against this request's method ARN (LC-02) and
 * combined with the resource policy (RP-03/RP-05) into the caller's context or a refusal (LO-03,
 * HL-06), with `$context.authorizer` as API Gateway fills it (LO-02, LO-09).
 */
import type { CustomAuthContext } from '../auth-context';
import { evaluatePolicies, type Decision } from '../iam';
import type { AuthorizerAnswer } from './authorizer-answers';
import type { AuthorizerDefinition } from './authorizer-definitions';
import { accessDenied, authorizerFailure, resourcePolicyDenied } from './authorizer-outcomes';
import { anonymousConditionContext } from './condition-context';
import {
  PolicyEvaluator,
  derivePolicy,
  restAuthorizerContext,
  type DerivedPolicy,
  type PolicyResult,
} from './policy-result';
import type { RequestView } from './request-view';

/**
 * Where an answer came from: the cache (`integrationLatency` 0), or an invocation that took
 * `latencyMs` for this request (an invocation it joined, or an entry another task stored meanwhile,
 * counts as one: the request waited for it).
 */
export type AnswerOrigin =
  { readonly from: 'cache' } | { readonly from: 'invocation'; readonly latencyMs: number };

/** The origin of every cache hit (one object: a hit allocates none). */
export const FROM_CACHE: AnswerOrigin = Object.freeze({ from: 'cache' });

/** Decides requests of one API: its resource policy and the authorizers' answers. */
export class Decider {
  /** Decisions of memoized answers per route, for every authorizer of the API. */
  private readonly policies = new PolicyEvaluator();

  /**
   * PIPE-04: an explicit Deny in the API's resource policy refuses before the authorizer runs
   * (REST APIs; HTTP APIs have no resource policy).
   * @throws AuthError 403 with the RP-07 body; 500 when the evaluation fails.
   */
  preCheck(definition: AuthorizerDefinition, view: RequestView): void {
    const { resourcePolicy } = definition.scope;
    if (resourcePolicy === undefined) return;
    let decision: Decision | undefined;
    try {
      decision = evaluatePolicies(
        { identityPolicies: [], resourcePolicy },
        {
          principal: undefined,
          action: 'execute-api:Invoke',
          resource: view.methodArn,
          context: anonymousConditionContext(view),
        },
      ).resourceDecision;
    } catch (error) {
      throw authorizerFailure('rest', 'resource policy pre-check failed', error);
    }
    if (decision === 'explicitDeny') throw resourcePolicyDenied(view.methodArn);
  }

  /**
   * The caller's context when `answer` allows this request.
   * @throws AuthError 403 for a Deny (an explicit one in the resource policy with the RP-07 body),
   * 500 when the evaluation fails.
   */
  decide(
    definition: AuthorizerDefinition,
    answer: AuthorizerAnswer,
    view: RequestView,
    origin: AnswerOrigin,
  ): CustomAuthContext {
    const { result } = answer;
    if (result.kind === 'simple') {
      if (!result.isAuthorized) {
        throw accessDenied(false, 'http', definition.denyBodyKey, 'isAuthorized is false');
      }
      return {
        type: 'CUSTOM',
        authorizerName: definition.name,
        principalId: null,
        authorizer: { lambda: result.context },
        sourceIp: view.request.sourceIp,
      };
    }
    // Interned (cached) answers carry what they imply; others are decided once, nothing remembered.
    const derived = answer.derived ?? derivePolicy(result, definition.scope, false);
    let decision: Decision;
    let resourceDecision: Decision | undefined;
    try {
      [decision, resourceDecision] = this.policies.evaluate(derived, view);
    } catch (error) {
      throw authorizerFailure(definition.flavour, 'evaluating the authorizer policy failed', error);
    }
    if (decision === 'explicitDeny' && resourceDecision === 'explicitDeny') {
      throw resourcePolicyDenied(view.methodArn);
    }
    if (decision !== 'allowed') {
      throw accessDenied(
        decision === 'explicitDeny',
        definition.flavour,
        definition.denyBodyKey,
        `the authorizer policy for principal "${result.principalId}" does not allow ${view.request.method} ${view.request.path} (${decision})`,
      );
    }
    const auth: CustomAuthContext = {
      type: 'CUSTOM',
      authorizerName: definition.name,
      principalId: result.principalId,
      authorizer: this.authorizerContext(definition, result, derived, origin),
      sourceIp: view.request.sourceIp,
    };
    if (result.usageIdentifierKey !== undefined) {
      auth.usageIdentifierKey = result.usageIdentifierKey;
    }
    return auth;
  }

  /** `$context.authorizer`: the 2.0 `lambda` map, else the REST strings with `integrationLatency`. */
  private authorizerContext(
    definition: AuthorizerDefinition,
    result: PolicyResult,
    derived: DerivedPolicy,
    origin: AnswerOrigin,
  ): Readonly<Record<string, unknown>> {
    if (definition.event === '2.0') return { lambda: result.context };
    if (origin.from === 'cache') return derived.hitContext;
    // Built afresh: spreading the frozen hit form instead made a TTL-0 miss 16 % slower.
    return restAuthorizerContext(result, Math.round(origin.latencyMs));
  }
}
