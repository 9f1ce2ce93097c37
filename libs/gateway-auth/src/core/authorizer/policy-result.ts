import type { SharedServices } from '../authenticator';
import type { HttpRequest } from '../http-request';
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
import {
  MAX_REMEMBERED_PATH_LENGTH,
  RouteDecisions,
  decisionPair,
  type DecisionPair,
} from './route-decisions';

/** The condition context of policies that read none. */
const NO_CONTEXT: Readonly<Record<string, string>> = Object.freeze({});

/**
 * What is derived once from an authorizer's policy result (see {@link PolicyResults.derive}). Sized
 * for one per caller (answers naming their principal, issue 11): the `$context.authorizer` forms are
 * built on first use (a Deny never needs them; ~350 bytes), and the answer holds the decision of its
 * first route itself, the others living in one memo bounded for all answers ({@link RouteDecisions}).
 */
export class DerivedPolicy {
  /** The first route decided and its decision (cached, context-free results only). */
  firstMethod: string | undefined;
  firstPath: string | undefined;
  firstDecision: DecisionPair | undefined;
  private stringsMade: Readonly<Record<string, string>> | undefined;
  private hitContextMade: Readonly<Record<string, unknown>> | undefined;

  constructor(
    private readonly result: AuthorizerResult & { kind: 'policy' },
    readonly set: PolicySet,
    /** A policy of the set has a Condition or a policy variable: decisions depend on the request. */
    readonly readsContext: boolean,
    /** Decisions are remembered per route: a cached result whose policies read no request context. */
    readonly memoized: boolean,
  ) {}

  /** REST `$context.authorizer` values as strings, `principalId` included (LO-02). */
  get strings(): Readonly<Record<string, string>> {
    this.stringsMade ??= {
      ...stringifyContext(this.result.context),
      principalId: this.result.principalId,
    };
    return this.stringsMade;
  }

  /** The frozen `$context.authorizer` of a cache hit (`integrationLatency` 0). */
  get hitContext(): Readonly<Record<string, unknown>> {
    this.hitContextMade ??= Object.freeze({ ...this.strings, integrationLatency: 0 });
    return this.hitContextMade;
  }
}

/**
 * Evaluates Lambda-authorizer policy results against requests (LC-02: a cached policy is
 * re-evaluated against each request's method ARN), combined with the API's resource policy (RP-05),
 * with what each result implies derived once.
 */
export class PolicyResults {
  private readonly derived = new WeakMap<AuthorizerResult, DerivedPolicy>();
  /** Decisions of every memoized result beyond its first route. */
  private readonly routes = new RouteDecisions<DerivedPolicy>();

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
    const derived = new DerivedPolicy(result, set, readsContext, cached && !readsContext);
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
    const { set, memoized } = derived;
    const { method } = view.request;
    const path = view.request.resourcePath ?? view.request.path;
    if (memoized) {
      const known =
        path === derived.firstPath && method === derived.firstMethod
          ? derived.firstDecision
          : this.routes.get(method, path, derived);
      if (known) return [known[0], known[1]];
    }
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
    if (memoized) {
      const pair = decisionPair(decision, resourceDecision);
      if (derived.firstMethod === undefined) {
        if (path.length > MAX_REMEMBERED_PATH_LENGTH) return [decision, resourceDecision];
        derived.firstMethod = method;
        derived.firstPath = path;
        derived.firstDecision = pair;
      } else {
        this.routes.set(method, path, derived, pair);
      }
    }
    return [decision, resourceDecision];
  }
}
