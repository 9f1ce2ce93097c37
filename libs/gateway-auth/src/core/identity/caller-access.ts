import type { SharedServices } from '../authenticator';
import { policySetReadsRequestContext, type PolicySet } from '../iam';
import { RouteDecisionMemo } from '../route-decision-memo';
import type { CallerAccess, CallerIdentity } from './identity-source';

/**
 * The caller's access: its policies with the API's resource policy (RP-06), and a decision memo
 * when none of them reads the request context (the decision then depends only on the caller and
 * the method ARN). Built once per caller and kept by the identity source.
 */
export function buildCallerAccess(identity: CallerIdentity, shared: SharedServices): CallerAccess {
  const policies: PolicySet = {
    identityPolicies: identity.identityPolicies,
    resourcePolicy: shared.resourcePolicy,
    resourceAccountId: shared.api.accountId,
    permissionsBoundary: identity.permissionsBoundary,
  };
  return {
    identity,
    policies,
    decisions: policySetReadsRequestContext(policies) ? undefined : new RouteDecisionMemo(),
  };
}
