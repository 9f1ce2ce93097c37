/**
 * A policy answer against a request: what a returned policy implies, derived once per answer (its
 * policy set with the API's resource policy, whether it reads request context, its
 * `$context.authorizer` forms), and its evaluation against each request's method ARN (LC-02),
 * combined with the resource policy (RP-05) and remembered per route when nothing else can change it.
 */
import type { CompiledPolicy } from '../iam';
import {
  combineWithResourcePolicy,
  evaluatePolicies,
  policySetReadsRequestContext,
  type Decision,
  type PolicySet,
} from '../iam';
import { stringifyContext, type AuthorizerResult } from './authorizer-response';
import { anonymousConditionContext } from './condition-context';
import type { RequestView } from './request-view';
import {
  MAX_REMEMBERED_PATH_LENGTH,
  RouteDecisions,
  decisionPair,
  type DecisionPair,
} from './route-decisions';

/** A validated answer carrying an IAM policy (REST, HTTP API 1.0 and 2.0 without simple responses). */
export type PolicyResult = AuthorizerResult & { kind: 'policy' };

/** What a returned policy is evaluated with: the API's resource policy (REST only) and account. */
export interface PolicyScope {
  readonly resourcePolicy: CompiledPolicy | undefined;
  readonly accountId: string;
}

/** The condition context of policies that read none. */
const NO_CONTEXT: Readonly<Record<string, string>> = Object.freeze({});

/**
 * What is derived once from an authorizer's policy result, with the two memos a cache hit reads.
 * Sized for one per caller (answers naming their principal, issue 11): the `$context.authorizer`
 * form is built on first use (a Deny never needs it; ~350 bytes), and the answer holds the decision
 * of its first route itself, the others living in one memo bounded for all answers
 * ({@link RouteDecisions}). Measured reasons: docs/benchmarks.md, "Memo layers of the authorizer".
 */
export class DerivedPolicy {
  /**
   * The first route decided and its decision (memoized results only). Held here rather than in
   * {@link RouteDecisions}: a hit on it skips three map lookups (measured: with every route in the
   * shared memo, a one-route hit took 183 ns instead of 158, +16 %).
   */
  firstMethod: string | undefined;
  firstPath: string | undefined;
  firstDecision: DecisionPair | undefined;
  private hitContextMade: Readonly<Record<string, unknown>> | undefined;

  constructor(
    private readonly result: PolicyResult,
    readonly set: PolicySet,
    /** A policy of the set has a Condition or a policy variable: decisions depend on the request. */
    readonly readsContext: boolean,
    /** Decisions are remembered per route: a cached result whose policies read no request context. */
    readonly memoized: boolean,
  ) {}

  /**
   * The frozen REST `$context.authorizer` of a cache hit: the `context` values as strings and
   * `principalId` (LO-02), `integrationLatency` 0. Kept once built: a hit building it each time
   * took 828 ns instead of 158 (5.2x).
   */
  get hitContext(): Readonly<Record<string, unknown>> {
    this.hitContextMade ??= Object.freeze(restAuthorizerContext(this.result, 0));
    return this.hitContextMade;
  }
}

/**
 * REST `$context.authorizer` of a policy result: its `context` values as strings, `principalId`
 * (LO-02) and `integrationLatency` in ms (0 on a cache hit).
 */
export function restAuthorizerContext(
  result: PolicyResult,
  integrationLatency: number,
): Record<string, unknown> {
  // Added to stringifyContext's own object: one spread literal with the two keys after it made a
  // TTL-0 miss 7 % slower than this (measured, one process per run, five runs each).
  const context: Record<string, unknown> = stringifyContext(result.context);
  context.principalId = result.principalId;
  context.integrationLatency = integrationLatency;
  return context;
}

/**
 * What `result` implies beyond the policy itself, under `scope`.
 * @param cached whether the result is shared by cache hits: only then are decisions remembered per
 * route (with `ttlSeconds: 0` each result is decided once, and remembering would only feed the
 * garbage collector).
 */
export function derivePolicy(
  result: PolicyResult,
  scope: PolicyScope,
  cached: boolean,
): DerivedPolicy {
  const set: PolicySet = {
    identityPolicies: [result.policy],
    resourcePolicy: scope.resourcePolicy,
    resourceAccountId: scope.accountId,
  };
  const readsContext = policySetReadsRequestContext(set);
  return new DerivedPolicy(result, set, readsContext, cached && !readsContext);
}

/**
 * Evaluates derived policies against requests (LC-02: a cached policy is re-evaluated against each
 * request's method ARN), combined with the API's resource policy (RP-05).
 */
export class PolicyEvaluator {
  /**
   * Decisions of every memoized result beyond its first route. Measured: without route decisions a
   * hit evaluates the policy and builds the method ARN each time, 773 ns instead of 158 (4.9x), and
   * 786 ns instead of 191 on ten routes in turn.
   */
  private readonly routes = new RouteDecisions<DerivedPolicy>();

  /**
   * `[combined decision, resource-policy decision]` for this request. A memoized result decides the
   * same for the same method ARN every time: a repeat costs one lookup, no ARN text.
   */
  evaluate(derived: DerivedPolicy, view: RequestView): [Decision, Decision | undefined] {
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
      resource: view.methodArn,
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
