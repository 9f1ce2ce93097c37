import type { SharedServices } from '../authenticator';
import type { CallerPrincipal } from '../sigv4/credential-provider';
import type { ArnPrincipal } from '../sigv4/principal-from-arn';
import { buildCallerAccess } from './caller-access';
import type { ResolvedPolicies } from './iam-policies/identity-policy-resolver';
import type { CallerAccess, IdentitySourceName } from './identity-source';

/** A caller AWS verified (through STS or VPC Lattice), before its policies are attached. */
export interface VerifiedCaller {
  source: Exclude<IdentitySourceName, 'credentials'>;
  /** What the caller's ARN says (type, account, role or user name, session). */
  parsed: ArnPrincipal;
  /** `aws:userid` as AWS reported it; `undefined` when not reported (Lattice). */
  userId: string | undefined;
  accessKeyId: string | null;
  temporaryCredentials: boolean;
  orgId: string | undefined;
}

/** A verified caller as an identity source keeps it, with the access built for its last policies. */
export interface HeldCaller {
  readonly caller: VerifiedCaller;
  /** In process only: rebuilt when the policy cache answers another (newer) policies object. */
  access: { policies: ResolvedPolicies; value: CallerAccess } | undefined;
}

/**
 * The held caller's access with `policies`, built once per policies object (a policy cache hit
 * answers the same object until the policies are read again).
 */
export function accessWithPolicies(
  held: HeldCaller,
  policies: ResolvedPolicies,
  shared: SharedServices,
): CallerAccess {
  const memo = held.access;
  if (memo !== undefined && memo.policies === policies) return memo.value;
  const value = verifiedCallerAccess(held.caller, policies, shared);
  held.access = { policies, value };
  return value;
}

/**
 * The caller's access once its policies are known: the principal as API Gateway's evaluation sees
 * it (an assumed-role session's `roleArn` is its role's ARN with the path IAM reports; tags are
 * the role's or user's) and the policy set with the API's resource policy.
 */
export function verifiedCallerAccess(
  caller: VerifiedCaller,
  policies: ResolvedPolicies,
  shared: SharedServices,
): CallerAccess {
  const { parsed } = caller;
  const principal: CallerPrincipal = {
    arn: parsed.arn,
    accountId: parsed.accountId,
    type: parsed.type,
    ...(parsed.type === 'AssumedRole' ? { roleArn: policies.entityArn ?? parsed.roleArn } : {}),
    ...(parsed.userName === undefined ? {} : { userName: parsed.userName }),
    userId: caller.userId ?? derivedUserId(parsed, policies),
    tags: policies.tags,
    ...(caller.orgId === undefined ? {} : { orgId: caller.orgId }),
  };
  return buildCallerAccess(
    {
      source: caller.source,
      principal,
      identityPolicies: policies.identityPolicies,
      permissionsBoundary: policies.permissionsBoundary,
      accessKeyId: caller.accessKeyId,
      temporaryCredentials: caller.temporaryCredentials,
    },
    shared,
  );
}

/** `aws:userid` when AWS did not report it: `ROLEID:session` for sessions, the user's id for users. */
function derivedUserId(parsed: ArnPrincipal, policies: ResolvedPolicies): string {
  if (policies.entityId === undefined) return parsed.defaultUserId;
  if (parsed.type === 'AssumedRole') return `${policies.entityId}:${parsed.sessionName ?? ''}`;
  if (parsed.type === 'User') return policies.entityId;
  return parsed.defaultUserId;
}
