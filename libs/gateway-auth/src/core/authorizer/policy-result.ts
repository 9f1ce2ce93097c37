import type { SharedServices } from '../authenticator';
import type { HttpRequest } from '../http-request';
import { RouteDecisionMemo } from '../route-decision-memo';
import {
  combineWithResourcePolicy,
  evaluatePolicies,
  policySetReadsRequestContext,
  type Decision,
  type PolicySet,
} from '../iam';
import type { ApiFlavour } from './authorizer-outcomes';
import { stringifyContext, type AuthorizerResult } from './authorizer-response';
import { anonymousConditionContext } from './condition-context';
import type { RequestView } from './request-view';

/** The condition context of policies that read none. */
const NO_CONTEXT: Readonly<Record<string, string>> = Object.freeze({});

/** What is derived once from an authorizer's policy result (see {@link PolicyResults.derive}). */
export interface DerivedPolicy {
  set: PolicySet;
  /** A policy of the set has a Condition or a policy variable: decisions depend on the request. */
  readsContext: boolean;
  /** Memoized decisions by method, then resource path; only for cached, context-free results. */
  decisions: RouteDecisionMemo<Decision[]> | undefined;
  /** REST `$context.authorizer` values as strings, `principalId` included (LO-02). */
  strings: Readonly<Record<string, string>>;
  /** The frozen `$context.authorizer` of a cache hit (`integrationLatency` 0). */
  hitContext: Readonly<Record<string, unknown>>;
}

/**
 * Evaluates Lambda-authorizer policy results against requests (LC-02: a cached policy is
 * re-evaluated against each request's method ARN), combined with the API's resource policy (RP-05),
 * with what each result implies derived once.
 */
export class PolicyResults {
  private readonly derived = new WeakMap<AuthorizerResult, DerivedPolicy>();

  /** @param methodArnOf the method ARN of a request (built only when a policy is evaluated). */
  constructor(
    private readonly shared: SharedServices,
    private readonly methodArnOf: (request: HttpRequest) => string,
  ) {}

  /**
   * What a policy result implies beyond the policy itself. Remembered per result only when it is
   * `cached` (its hits reuse it); with `ttlSeconds: 0` each result is used once, and remembering
   * would only feed the garbage collector.
   */
  derive(
    result: AuthorizerResult & { kind: 'policy' },
    flavour: ApiFlavour,
    cached: boolean,
  ): DerivedPolicy {
    const remembered = this.derived.get(result);
    if (remembered) return remembered;
    const set: PolicySet = {
      identityPolicies: [result.policy],
      resourcePolicy: flavour === 'rest' ? this.shared.resourcePolicy : undefined,
      resourceAccountId: this.shared.api.accountId,
    };
    const readsContext = policySetReadsRequestContext(set);
    // REST `context` values as strings (LO-02), with the principal.
    const strings = { ...stringifyContext(result.context), principalId: result.principalId };
    const derived: DerivedPolicy = {
      set,
      readsContext,
      decisions: cached && !readsContext ? new RouteDecisionMemo() : undefined,
      strings,
      hitContext: Object.freeze({ ...strings, integrationLatency: 0 }),
    };
    if (cached) this.derived.set(result, derived);
    return derived;
  }

  /**
   * `[combined decision, resource-policy decision]` for this request. A cached result whose policies
   * read no condition keys decides the same for the same method ARN every time: that answer is
   * memoized (a cached result re-evaluated per method ARN costs one lookup on a repeat).
   * @param methodArn the request's method ARN when the caller already built it.
   */
  evaluate(
    derived: DerivedPolicy,
    view: RequestView,
    methodArn: string | undefined,
  ): [Decision, Decision | undefined] {
    const { set, decisions } = derived;
    const { method } = view.request;
    const path = view.request.resourcePath ?? view.request.path;
    const known = decisions?.get(method, path);
    if (known) return [known[0] as Decision, known[1]];
    const evaluation = evaluatePolicies(set, {
      principal: undefined,
      action: 'execute-api:Invoke',
      resource: methodArn ?? this.methodArnOf(view.request),
      // Condition keys are only built when a policy has conditions or policy variables.
      context: derived.readsContext ? anonymousConditionContext(view) : NO_CONTEXT,
    });
    const resourceDecision = set.resourcePolicy ? evaluation.resourceDecision : undefined;
    // A Lambda-authorized caller counts as the API owner's account (Table A, RP-05).
    const decision = combineWithResourcePolicy(evaluation.identityDecision, resourceDecision, true);
    decisions?.set(
      method,
      path,
      resourceDecision === undefined ? [decision] : [decision, resourceDecision],
    );
    return [decision, resourceDecision];
  }
}
