import type { CompiledPolicy } from './compiled-policy';
import type { PolicySet } from './evaluate-policies';

/**
 * Whether evaluating `policy` can read the request's condition context: true when a statement has a
 * `Condition` or a policy variable in `Resource`/`NotResource` (the only places a value outside the
 * principal, action and resource is consulted, see evaluate-statement.ts). A set of policies that
 * reads none decides the same way for the same principal, action and resource every time, so
 * callers may skip building condition keys and may memoize the decision.
 */
export function readsRequestContext(policy: CompiledPolicy): boolean {
  const statements = policy.statements;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i] as (typeof statements)[number];
    if (st.conditions.length > 0 || st.resource.templates.length > 0) return true;
  }
  return false;
}

/** Whether any policy of the set (identity, boundary or resource) reads the request context. */
export function policySetReadsRequestContext(set: PolicySet): boolean {
  return (
    set.identityPolicies.some(readsRequestContext) ||
    (set.permissionsBoundary ?? []).some(readsRequestContext) ||
    (set.resourcePolicy !== undefined && readsRequestContext(set.resourcePolicy))
  );
}
