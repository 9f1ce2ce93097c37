import type { CompiledPolicy } from './compiled-policy';
import { explainStatement, statementApplies } from './evaluate-statement';
import { DIRECT_MATCH, NO_MATCH } from './principal';
import { RequestView } from './request-context';
import type {
  Decision,
  EvaluationRequest,
  EvaluationResult,
  StatementExplanation,
  StatementRef,
} from './types';

/** The policies that take part in one decision. */
export interface PolicySet {
  identityPolicies: readonly CompiledPolicy[];
  resourcePolicy?: CompiledPolicy;
  /**
   * The resource owner's account (the API owner). When it equals `principal.accountId` identity and
   * resource allows are unioned (Table A); otherwise both must allow (Table B). When absent, or for
   * callers without an IAM principal, the request counts as same-account.
   */
  resourceAccountId?: string;
  /** Permissions boundary policies: an identity allow needs a boundary allow too. */
  permissionsBoundary?: readonly CompiledPolicy[];
}

/** Options of {@link evaluatePolicies}. */
export interface EvaluateOptions {
  /** Fill `explanations` with every statement's verdict (slower; for CLIs, logs and debugging). */
  explain?: boolean;
}

interface GroupOutcome {
  denies: StatementRef[];
  allows: StatementRef[];
  /** Allows that named the caller's own user/session ARN (IAM-EV-03). */
  direct: StatementRef[];
}

const NONE: readonly StatementExplanation[] = Object.freeze([]);

function record(
  outcome: GroupOutcome,
  st: CompiledPolicy['statements'][number],
  applies: number,
): void {
  if (applies === NO_MATCH) return;
  if (st.deny) outcome.denies.push(st.ref);
  else {
    outcome.allows.push(st.ref);
    if (applies === DIRECT_MATCH) outcome.direct.push(st.ref);
  }
}

/** Every statement of every policy, in order, with its explanation (the `explain` path). */
function explainGroup(
  policies: readonly CompiledPolicy[],
  view: RequestView,
  explanations: StatementExplanation[],
): GroupOutcome {
  const outcome: GroupOutcome = { denies: [], allows: [], direct: [] };
  for (const policy of policies) {
    for (const st of policy.statements) {
      const e = explainStatement(st, view);
      explanations.push(e);
      record(outcome, st, e.matched ? statementApplies(st, view) : NO_MATCH);
    }
  }
  return outcome;
}

/** The hot path: only the statements the index says could apply (see statement-index.ts). */
function evaluateGroup(policies: readonly CompiledPolicy[], view: RequestView): GroupOutcome {
  const outcome: GroupOutcome = { denies: [], allows: [], direct: [] };
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p] as CompiledPolicy;
    const statements = policy.statements;
    const index = policy.index;
    const d0 = outcome.denies.length;
    const a0 = outcome.allows.length;
    const x0 = outcome.direct.length;
    const always = index.always;
    for (let i = 0; i < always.length; i++) {
      const st = statements[always[i] as number] as (typeof statements)[number];
      record(outcome, st, statementApplies(st, view));
    }
    if (index.byPrefix.size > 0) lookUp(index, statements, view, outcome);
    // The index finds statements out of order; report them in policy order.
    sortRange(outcome.denies, d0);
    sortRange(outcome.allows, a0);
    sortRange(outcome.direct, x0);
  }
  return outcome;
}

function sortRange(refs: StatementRef[], from: number): void {
  for (let i = from + 1; i < refs.length; i++) {
    const ref = refs[i] as StatementRef;
    let j = i - 1;
    while (j >= from && (refs[j] as StatementRef).index > ref.index) {
      refs[j + 1] = refs[j] as StatementRef;
      j--;
    }
    refs[j + 1] = ref;
  }
}

function lookUp(
  index: CompiledPolicy['index'],
  statements: CompiledPolicy['statements'],
  view: RequestView,
  outcome: GroupOutcome,
): void {
  const slashes = view.resourceSlashes();
  const lengths = index.lengths;
  let seen: Set<number> | undefined;
  for (let n = 0; n < slashes.length; n++) {
    if (lengths[slashes[n] as number] !== 1) continue;
    const orders = index.byPrefix.get(view.resourceKey(n));
    if (orders === undefined) continue;
    for (let i = 0; i < orders.length; i++) {
      const order = orders[i] as number;
      if (index.multiKeyed.has(order)) {
        if ((seen ??= new Set()).has(order)) continue;
        seen.add(order);
      }
      const st = statements[order] as (typeof statements)[number];
      record(outcome, st, statementApplies(st, view));
    }
  }
}

function decisionOf(g: GroupOutcome): Decision {
  if (g.denies.length > 0) return 'explicitDeny';
  return g.allows.length > 0 ? 'allowed' : 'implicitDeny';
}

/**
 * Decides a request as IAM does (IAM-EV-01..05): any applicable `Deny` in any policy is an explicit
 * deny; otherwise an `Allow` is needed — from identity policies (limited by the permissions
 * boundary) and/or the resource policy, unioned for a same-account caller and both required for a
 * cross-account one (RP-03, IAM-EV-02). A resource-policy allow that names the caller's own user or
 * session ARN is not limited by the boundary (IAM-EV-03). The outcome never depends on statement order.
 * This is the hot path: no parsing or pattern building; `explain` adds per-statement verdicts.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
 */
export function evaluatePolicies(
  set: PolicySet,
  request: EvaluationRequest,
  options?: EvaluateOptions,
): EvaluationResult {
  const view = new RequestView(request);
  const explanations: StatementExplanation[] | undefined =
    options?.explain === true ? [] : undefined;
  const group = (policies: readonly CompiledPolicy[]): GroupOutcome =>
    explanations === undefined
      ? evaluateGroup(policies, view)
      : explainGroup(policies, view, explanations);
  const identity = group(set.identityPolicies);
  const resource = set.resourcePolicy === undefined ? undefined : group([set.resourcePolicy]);
  const boundaries = set.permissionsBoundary;
  const boundary =
    boundaries === undefined || boundaries.length === 0 ? undefined : group(boundaries);

  const identityDecision = decisionOf(identity);
  const resourceDecision = resource === undefined ? undefined : decisionOf(resource);
  const boundaryDecision = boundary === undefined ? undefined : decisionOf(boundary);
  const missingContextKeys = view.missing === undefined ? [] : [...view.missing];

  let decision: Decision;
  let matchedStatements: StatementRef[];
  if (
    identityDecision === 'explicitDeny' ||
    resourceDecision === 'explicitDeny' ||
    boundaryDecision === 'explicitDeny'
  ) {
    decision = 'explicitDeny';
    matchedStatements = [
      ...identity.denies,
      ...(resource?.denies ?? []),
      ...(boundary?.denies ?? []),
    ];
  } else {
    const boundaryAllows = boundary === undefined || boundary.allows.length > 0;
    const identityAllows = identity.allows.length > 0 && boundaryAllows;
    const resourceGrants =
      resource === undefined ? [] : boundaryAllows ? resource.allows : resource.direct;
    const principal = request.principal;
    const sameAccount =
      principal === undefined ||
      principal.type === 'Anonymous' ||
      set.resourceAccountId === undefined ||
      principal.accountId === set.resourceAccountId;
    const allowed = sameAccount
      ? identityAllows || resourceGrants.length > 0
      : identityAllows && resourceGrants.length > 0;
    decision = allowed ? 'allowed' : 'implicitDeny';
    matchedStatements = allowed
      ? [...(identityAllows ? identity.allows : []), ...resourceGrants, ...(boundary?.allows ?? [])]
      : [];
  }
  const result: EvaluationResult = {
    decision,
    matchedStatements,
    explanations: explanations ?? (NONE as StatementExplanation[]),
    missingContextKeys,
    identityDecision,
  };
  if (explanations !== undefined) {
    result.summary = summarise(result, request, explanations, {
      boundaryBlocks: boundary !== undefined && boundary.allows.length === 0,
      crossAccount:
        request.principal !== undefined &&
        set.resourceAccountId !== undefined &&
        request.principal.accountId !== set.resourceAccountId,
      hasResourcePolicy: resource !== undefined,
    });
  }
  if (resourceDecision !== undefined) result.resourceDecision = resourceDecision;
  if (boundaryDecision !== undefined) result.boundaryDecision = boundaryDecision;
  return result;
}

const refText = (r: StatementRef): string =>
  `${r.policyId} statement ${r.index}${r.sid === undefined || r.sid === '' ? '' : ` (${r.sid})`}`;

/** The explain-mode summary: what decided, or for an implicit deny what is missing. */
function summarise(
  result: EvaluationResult,
  request: EvaluationRequest,
  explanations: readonly StatementExplanation[],
  facts: { boundaryBlocks: boolean; crossAccount: boolean; hasResourcePolicy: boolean },
): string {
  const what = `${request.action} on ${request.resource}`;
  if (result.decision === 'explicitDeny') {
    return `Explicitly denied: ${result.matchedStatements.map(refText).join('; ')} denies ${what}.`;
  }
  if (result.decision === 'allowed') {
    return `Allowed: ${result.matchedStatements.map(refText).join('; ')}.`;
  }
  const identityAllows = result.identityDecision === 'allowed';
  const resourceAllows = result.resourceDecision === 'allowed';
  if ((identityAllows || resourceAllows) && facts.boundaryBlocks) {
    return `Implicitly denied: ${identityAllows ? 'an identity policy' : 'the resource policy'} allows ${what}, but no permissions boundary statement does; the boundary needs an Allow for it.`;
  }
  if (facts.crossAccount && (identityAllows || resourceAllows)) {
    return `Implicitly denied: a caller from another account needs an Allow in both its identity policies (${identityAllows ? 'present' : 'missing'}) and the resource policy (${facts.hasResourcePolicy ? (resourceAllows ? 'present' : 'missing') : 'there is none'}).`;
  }
  const near = explanations
    .filter(
      (e) =>
        !e.matched &&
        e.effect === 'Allow' &&
        (e.failedElement === 'Condition' ||
          e.failedElement === 'Principal' ||
          e.failedElement === 'NotPrincipal'),
    )
    .slice(0, 3)
    .map((e) => `${refText(e)}: ${e.detail ?? e.failedElement ?? ''}`);
  return near.length === 0
    ? `Implicitly denied: no statement allows ${what}.`
    : `Implicitly denied: no statement allows ${what}. Nearest: ${near.join('; ')}.`;
}

/**
 * Combines a caller's decision with the resource policy's, as API Gateway's tables do (RP-03):
 * any explicit deny wins; without a resource policy the caller's decision stands; same account
 * (Table A) allows when either allows; cross-account (Table B) only when both allow.
 * @param x the IAM identity / Lambda-authorizer / Cognito decision
 * @param y the resource policy's own decision (`EvaluationResult.resourceDecision`), `undefined` when there is none
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
 */
export function combineWithResourcePolicy(
  x: Decision,
  y: Decision | undefined,
  sameAccount: boolean,
): Decision {
  if (x === 'explicitDeny' || y === 'explicitDeny') return 'explicitDeny';
  if (y === undefined) return x;
  if (sameAccount) return x === 'allowed' || y === 'allowed' ? 'allowed' : 'implicitDeny';
  return x === 'allowed' && y === 'allowed' ? 'allowed' : 'implicitDeny';
}
