import type { RouteDecisionMemo } from '../route-decision-memo';
import type { HttpRequest } from '../http-request';
import type { CompiledPolicy, EvaluationResult, PolicySet } from '../iam';
import type { CallerPrincipal } from '../sigv4/credential-provider';

/**
 * The ways a caller of an `@IamAuth()` route can show who it is (DESIGN §3):
 * - `credentials`: a SigV4 signature made with keys from the service's credential provider;
 * - `sts-proof`: an `X-Gateway-Auth-Identity` header holding a signed `sts:GetCallerIdentity`
 *   request, which the service rebuilds and sends to STS;
 * - `lattice`: the identity VPC Lattice (service auth type `AWS_IAM`) passes to its targets.
 */
export type IdentitySourceName = 'credentials' | 'sts-proof' | 'lattice';

/**
 * Who the caller is, normalized: what the IAM evaluation, the condition keys and
 * `$context.identity` need, whichever source established it.
 */
export interface CallerIdentity {
  readonly source: IdentitySourceName;
  /**
   * The caller as IAM sees it. `arn` is the caller's own ARN (an `assumed-role` session ARN for a
   * role session); `roleArn` the role's ARN, with its path when it was read from IAM.
   */
  readonly principal: CallerPrincipal;
  /** The caller's identity-based policies, compiled. */
  readonly identityPolicies: readonly CompiledPolicy[];
  /** The caller's permissions boundary, if any. */
  readonly permissionsBoundary?: readonly CompiledPolicy[];
  /** The access key id the caller used (`$context.identity.accessKey`); `null` when unknown (Lattice). */
  readonly accessKeyId: string | null;
  /** True when the caller used temporary (session) credentials. */
  readonly temporaryCredentials: boolean;
  /** When the session was issued (epoch ms), for `aws:TokenIssueTime`, when known. */
  readonly issuedAtMs?: number;
}

/**
 * A caller's identity and everything its authorization needs, built once per caller (not per
 * request): the policy set the engine takes, and its decisions when no policy reads the context.
 */
export interface CallerAccess {
  readonly identity: CallerIdentity;
  readonly policies: PolicySet;
  /** Method, then resource path, to the engine's answer; `undefined` when a policy reads context. */
  readonly decisions: RouteDecisionMemo<EvaluationResult> | undefined;
}

/**
 * One way in (a plug-in point of the AWS_IAM model): it decides cheaply whether a request is
 * its to verify, then verifies it and answers the caller's {@link CallerAccess}, synchronously when
 * everything needed is already held (a credential in memory, a cached proof), else as a promise.
 * Every refusal is an `AuthError` with API Gateway's answer; any other failure fails closed.
 */
export interface IdentitySource {
  readonly name: IdentitySourceName;
  /** Whether `request` carries this source's evidence (a header, a trusted peer). No verification. */
  claims(request: HttpRequest): boolean;
  /**
   * Verifies the request's evidence and answers the caller.
   * @throws AuthError for every refusal.
   */
  resolve(request: HttpRequest): CallerAccess | Promise<CallerAccess>;
  /** Releases timers, watchers and connections. */
  close?(): Promise<void>;
}
