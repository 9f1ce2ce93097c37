// The AWS_IAM model (`@IamAuth()`): finds the identity source whose evidence the request carries
// (a SigV4 signature, an STS identity proof, VPC Lattice headers), has it establish the caller and
// its policies, and decides `execute-api:Invoke` on the route's method ARN with the resource policy.
import { buildMethodArn, maskAccountInArn } from '../arn/execute-api-arn';
import type { AuthContext } from '../auth-context';
import {
  isPending,
  type Authenticator,
  type Authorization,
  type SharedServices,
} from '../authenticator';
import type { DecisionCache } from '../cache/decision-cache';
import type { AuthError } from '../errors';
import type { HttpRequest } from '../http-request';
import { evaluatePolicies, type ContextValue, type EvaluationResult } from '../iam';
import { IdentityPolicyResolver } from '../identity/iam-policies/identity-policy-resolver';
import type { CallerAccess, IdentitySource } from '../identity/identity-source';
import { LatticeSource } from '../identity/lattice/lattice-source';
import { StsProofSource, type IdentityProofOptions } from '../identity/sts-proof/sts-proof-source';
import { buildContextKeys } from './context-keys';
import { buildIamIdentity } from './iam-identity';
import { isOn, resolveOptions, type IamAuthOptions } from './iam-auth-options';
import { SignedRequestSource } from './signed-request-source';
import { accessDenied, missingAuthenticationToken } from './sigv4-errors';

export { EXECUTE_API_SERVICE } from './signed-request-source';
export type { IamAuthOptions } from './iam-auth-options';

/** The condition context of policies that read none. */
const NO_CONTEXT: Readonly<Record<string, ContextValue>> = Object.freeze({});

/** Per-route options of `@IamAuth()` (none today). */
export type IamRouteOptions = Record<string, never>;

/**
 * AWS_IAM as API Gateway does it: establish who the caller is through one identity source
 * (a SigV4 signature with keys from the credential provider, an STS identity proof, or VPC
 * Lattice's identity headers), then evaluate `execute-api:Invoke` on the route's method ARN with
 * the caller's identity policies (and boundary) and the API's resource policy (RP-06: same account
 * either may allow, cross account both must). Refusals carry API Gateway's exact bodies (SIG-20..31).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
 */
export class IamAuthenticator implements Authenticator<IamRouteOptions> {
  /** Sources checked before the signed-request fallback, in order (Lattice, then proofs). */
  private readonly claimed: readonly IdentitySource[];
  private readonly signed: SignedRequestSource | undefined;
  /** Reads proof and Lattice callers' policies from IAM (shared by both sources). */
  private readonly resolver: IdentityPolicyResolver | undefined;
  private lastSecond = -1;
  private lastSecondText = '';

  /**
   * @param store where verified proofs and IAM policy reads are shared between tasks (the Redis
   *   decision store), when one is configured.
   * @throws ConfigError naming each invalid `iam.*` option.
   */
  constructor(
    readonly options: IamAuthOptions,
    readonly shared: SharedServices,
    store?: DecisionCache,
  ) {
    const settings = resolveOptions(options);
    this.signed =
      options.credentials === undefined
        ? undefined
        : new SignedRequestSource(options.credentials, settings, shared);
    const claimed: IdentitySource[] = [];
    let resolver: IdentityPolicyResolver | undefined;
    if (options.lattice !== undefined || isOn(options.identityProofs)) {
      resolver = new IdentityPolicyResolver(options.identityPolicies, shared, store);
      if (options.lattice !== undefined) {
        claimed.push(new LatticeSource(options.lattice, shared, resolver));
      }
      if (isOn(options.identityProofs)) {
        const proofOptions = options.identityProofs === true ? {} : options.identityProofs;
        claimed.push(
          new StsProofSource(proofOptions as IdentityProofOptions, shared, resolver, store),
        );
      }
    }
    this.claimed = claimed;
    this.resolver = resolver;
  }

  /**
   * Authenticates and authorizes one request. When the identity source answers synchronously
   * (memory and file credential providers, a cached proof with cached policies), the whole check
   * runs without a promise and the caller's context is returned directly; otherwise a promise.
   * @throws AuthError with API Gateway's response type and body for every refusal known without
   * I/O (a refusal found after I/O rejects the promise); same checks, same errors on both paths.
   */
  authorize(request: HttpRequest, _route: IamRouteOptions): Authorization {
    const access = this.sourceFor(request).resolve(request);
    if (isPending(access)) {
      return Promise.resolve(access).then((resolved) => this.decide(request, resolved));
    }
    return this.decide(request, access);
  }

  /** Closes every identity source (file watchers, STS connections). */
  async close(): Promise<void> {
    await Promise.all([
      this.signed?.close(),
      this.resolver?.close(),
      ...this.claimed.map((s) => s.close?.()),
    ]);
  }

  /** The source whose evidence the request carries; SigV4 with local keys otherwise. */
  private sourceFor(request: HttpRequest): IdentitySource {
    for (const source of this.claimed) {
      if (source.claims(request)) return source;
    }
    if (this.signed !== undefined) return this.signed;
    throw missingAuthenticationToken();
  }

  /**
   * `execute-api:Invoke` on the route's method ARN (RP-06), then the caller's context. When none of
   * the caller's policies nor the resource policy reads the condition context, the decision depends
   * only on the caller and the ARN: condition keys are not built, and the result is remembered per
   * caller, method and path.
   */
  private decide(request: HttpRequest, access: CallerAccess): AuthContext {
    const method = request.method;
    const path = request.resourcePath ?? request.path;
    let result = access.decisions?.get(method, path);
    if (result === undefined) {
      const now = this.shared.clock.now();
      result = evaluatePolicies(access.policies, {
        principal: access.identity.principal,
        action: 'execute-api:Invoke',
        resource: buildMethodArn(this.shared.api, method, path),
        context:
          access.decisions === undefined
            ? buildContextKeys(request, access.identity, now, this.isoSeconds(now))
            : NO_CONTEXT,
      });
      access.decisions?.set(method, path, result);
    }
    if (result.decision !== 'allowed') {
      throw denial(
        access.identity.principal.arn,
        buildMethodArn(this.shared.api, method, path),
        result,
      );
    }
    return buildIamIdentity(request, access.identity);
  }

  /** `aws:CurrentTime` text, formatted once per second (per authenticator, not module state). */
  private isoSeconds(nowMs: number): string {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.lastSecond) {
      this.lastSecondText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
      this.lastSecond = second;
    }
    return this.lastSecondText;
  }
}

function denial(callerArn: string, methodArn: string, result: EvaluationResult): AuthError {
  const head = `User: ${callerArn} is not authorized to perform: execute-api:Invoke on resource: ${maskAccountInArn(methodArn)}`;
  if (result.decision === 'explicitDeny') {
    const where = result.resourceDecision === 'explicitDeny' ? 'resource-based' : 'identity-based';
    const article = where === 'resource-based' ? 'a' : 'an';
    return accessDenied(
      'IAM_EXPLICIT_DENY',
      `${head} with an explicit deny in ${article} ${where} policy`,
      `explicit deny in the ${where} policy for ${callerArn}`,
    );
  }
  let missing = 'identity-based policy';
  if (result.identityDecision === 'allowed') {
    missing =
      result.boundaryDecision !== undefined && result.boundaryDecision !== 'allowed'
        ? 'permissions boundary'
        : 'resource-based policy';
  }
  return accessDenied(
    'IAM_IMPLICIT_DENY',
    `${head} because no ${missing} allows the execute-api:Invoke action`,
    `no ${missing} allows ${callerArn}`,
  );
}
