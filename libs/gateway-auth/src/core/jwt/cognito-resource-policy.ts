/**
 * The API's resource policy for a caller with a verified token: RP-03 Table A with X = Allow (a
 * verified Cognito/JWT caller counts as the API owner's, Q-RP-1), or, with
 * `resourcePolicyRequiresAllow`, the policy alone must allow.
 */
import { buildMethodArn, maskAccountInArn } from '../arn/execute-api-arn';
import type { SharedServices } from '../authenticator';
import { AuthError } from '../errors';
import type { HttpRequest } from '../http-request';
import { combineWithResourcePolicy, evaluatePolicies } from '../iam';

/**
 * Throws API Gateway's 403 when the resource policy refuses the request; returns when there is no
 * policy or it lets the request through.
 * @param requiresAllow the policy alone must allow (no implicit allow for the API owner's callers).
 * @throws AuthError `RESOURCE_POLICY_DENIED` (403 `ACCESS_DENIED`).
 */
export function checkResourcePolicy(
  request: HttpRequest,
  shared: SharedServices,
  requiresAllow: boolean,
): void {
  const policy = shared.resourcePolicy;
  if (policy === undefined) return;
  const api = shared.api;
  const arn = buildMethodArn(api, request.method, request.resourcePath ?? request.path);
  const nowMs = shared.clock.now();
  const result = evaluatePolicies(
    { identityPolicies: [], resourcePolicy: policy, resourceAccountId: api.accountId },
    {
      principal: undefined,
      action: 'execute-api:Invoke',
      resource: arn,
      context: {
        'aws:SourceIp': request.sourceIp,
        'aws:SecureTransport': request.secure ? 'true' : 'false',
        'aws:CurrentTime': new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'aws:EpochTime': String(Math.floor(nowMs / 1000)),
      },
    },
  );
  const y = result.resourceDecision ?? result.decision;
  const decision = requiresAllow
    ? y // the policy alone must allow (Q-RP-1, A-FLOW prose)
    : combineWithResourcePolicy('allowed', y, true);
  if (decision === 'allowed') return;
  const explicit = decision === 'explicitDeny';
  throw new AuthError('RESOURCE_POLICY_DENIED', {
    responseType: 'ACCESS_DENIED',
    bodyKey: 'Message',
    message:
      `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${maskAccountInArn(arn)}` +
      (explicit ? ' with an explicit deny in a resource-based policy' : ''),
    reason: `resource policy: ${decision}`,
  });
}
