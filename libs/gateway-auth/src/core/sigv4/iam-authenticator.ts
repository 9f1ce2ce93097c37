import { buildMethodArn, maskAccountInArn } from '../arn/execute-api-arn';
import type { AuthContext } from '../auth-context';
import {
  isPending,
  type Authenticator,
  type Authorization,
  type SharedServices,
} from '../authenticator';
import type { DecisionCache } from '../cache/decision-cache';
import { ConfigError, type AuthError, type ConfigIssue } from '../errors';
import type { HttpRequest } from '../http-request';
import { evaluatePolicies, type ContextValue, type EvaluationResult } from '../iam';
import {
  IdentityPolicyResolver,
  type IdentityPolicyOptions,
} from '../identity/iam-policies/identity-policy-resolver';
import type { CallerAccess, IdentitySource } from '../identity/identity-source';
import { LatticeSource, type LatticeOptions } from '../identity/lattice/lattice-source';
import { StsProofSource, type IdentityProofOptions } from '../identity/sts-proof/sts-proof-source';
import { buildContextKeys } from './context-keys';
import type { CredentialDefinition, CredentialProvider } from './credential-provider';
import { buildIamIdentity } from './iam-identity';
import { SignedRequestSource, type SignedRequestSettings } from './signed-request-source';
import { accessDenied, missingAuthenticationToken } from './sigv4-errors';

export { EXECUTE_API_SERVICE } from './signed-request-source';

/** The condition context of policies that read none. */
const NO_CONTEXT: Readonly<Record<string, ContextValue>> = Object.freeze({});

/**
 * Options of the AWS_IAM (SigV4) model. Every option has a secure default; see docs/iam-auth.md.
 * At least one way in must be configured: `credentials`, `identityProofs` or `lattice`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export interface IamAuthOptions {
  /**
   * Maps access key ids to secrets, principals and identity policies: a {@link CredentialProvider}
   * (`FileCredentialProvider`, `MemoryCredentialProvider`, your own) or an array of definitions
   * (wrapped in a `MemoryCredentialProvider`). Closed with the module. Optional when
   * `identityProofs` or `lattice` is set.
   */
  credentials?: CredentialProvider | readonly CredentialDefinition[];
  /**
   * Callers with AWS-issued credentials (EC2, Lambda, ECS roles, same or another account) prove who
   * they are with an `X-Gateway-Auth-Identity` header verified by STS. `true` for the defaults.
   */
  identityProofs?: IdentityProofOptions | boolean;
  /** Callers VPC Lattice already verified (service auth type `AWS_IAM`), from trusted peers only. */
  lattice?: LatticeOptions;
  /** How identity proofs' and Lattice callers' identity policies are read from IAM. */
  identityPolicies?: IdentityPolicyOptions;
  /** Allowed distance between the signed timestamp and now, both ways, in seconds (SIG-10). Default 300. */
  clockSkewSeconds?: number;
  /** Largest presigned `X-Amz-Expires`, in seconds. Default 604800 (7 days, AWS's cap). */
  maxPresignExpiresSeconds?: number;
  /**
   * Echo the canonical request and string to sign in the SIG-22 mismatch body, as API Gateway does
   * (IMPL-04). They hold only what the caller sent (never the secret). Default true.
   */
  echoCanonicalRequest?: boolean;
  /**
   * Echo the raw `Authorization` value in SIG-21 bodies, as API Gateway does (SIG-30). Default false:
   * the value (often a bearer token) is replaced with `[redacted]`.
   */
  echoAuthorizationHeader?: boolean;
  /**
   * Take a signed `x-amz-content-sha256: UNSIGNED-PAYLOAD` as the payload hash (Q-SIG-2). Default
   * false: the body is always hashed, so such a request fails as a signature mismatch (SIG-22).
   */
  allowUnsignedPayload?: boolean;
  /**
   * Accept an `X-Amz-Security-Token` header that is not in `SignedHeaders` (Q-SIG-5). Default false:
   * SDK signers sign it, and an unsigned token can be swapped in transit.
   */
  allowUnsignedSessionToken?: boolean;
  /**
   * Refuse requests carrying `x-amz-*` headers that are not signed (SIG-05). Default true.
   * `x-amz-cf-id` (added by CloudFront) is exempt.
   */
  requireSignedAmzHeaders?: boolean;
  /**
   * When the raw body was not captured, trust a signed `x-amz-content-sha256` (a hex SHA-256) without
   * hashing the body. Default false (fail closed: the body could be swapped under a valid signature).
   */
  trustUncapturedPayloadHash?: boolean;
  /** Cached signing keys (one per key, day, region). Default 10,000. */
  signingKeyCacheSize?: number;
}

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

function isOn(value: IdentityProofOptions | boolean | undefined): boolean {
  return value !== undefined && value !== false;
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

function resolveOptions(options: IamAuthOptions | undefined): SignedRequestSettings {
  const issues: ConfigIssue[] = [];
  if (!options || typeof options !== 'object') {
    throw new ConfigError('gateway-auth options', [
      {
        path: 'iam',
        message: 'must be an object with "credentials", "identityProofs" or "lattice"',
      },
    ]);
  }
  const credentials = options.credentials as unknown;
  if (credentials === undefined) {
    if (!isOn(options.identityProofs) && options.lattice === undefined) {
      issues.push({
        path: 'iam.credentials',
        message:
          'required unless iam.identityProofs or iam.lattice is set: a CredentialProvider (e.g. new FileCredentialProvider(path)) or an array of credentials',
      });
    }
  } else if (
    !Array.isArray(credentials) &&
    (typeof credentials !== 'object' ||
      credentials === null ||
      typeof (credentials as CredentialProvider).getCredential !== 'function')
  ) {
    issues.push({
      path: 'iam.credentials',
      message:
        'must be a CredentialProvider (e.g. new FileCredentialProvider(path)) or an array of credentials',
    });
  }
  const proofs = options.identityProofs as unknown;
  if (
    proofs !== undefined &&
    typeof proofs !== 'boolean' &&
    (typeof proofs !== 'object' || proofs === null)
  ) {
    issues.push({
      path: 'iam.identityProofs',
      message: 'must be true, false or an options object',
    });
  }
  const seconds = (name: keyof IamAuthOptions, fallback: number, max: number): number => {
    const value = options[name] as unknown;
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
      issues.push({ path: `iam.${name}`, message: `must be an integer from 1 to ${max}` });
    }
    return value as number;
  };
  const clockSkewSeconds = seconds('clockSkewSeconds', 300, 3600);
  const maxPresignExpiresSeconds = seconds('maxPresignExpiresSeconds', 604_800, 604_800);
  const signingKeyCacheSize = seconds('signingKeyCacheSize', 10_000, 10_000_000);
  const flag = (name: keyof IamAuthOptions, fallback: boolean): boolean => {
    const value = options[name] as unknown;
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean')
      issues.push({ path: `iam.${name}`, message: 'must be a boolean' });
    return value === true;
  };
  const resolved: SignedRequestSettings = {
    clockSkewMs: clockSkewSeconds * 1000,
    maxPresignExpiresSeconds,
    echoCanonicalRequest: flag('echoCanonicalRequest', true),
    echoAuthorizationHeader: flag('echoAuthorizationHeader', false),
    allowUnsignedPayload: flag('allowUnsignedPayload', false),
    allowUnsignedSessionToken: flag('allowUnsignedSessionToken', false),
    requireSignedAmzHeaders: flag('requireSignedAmzHeaders', true),
    trustUncapturedPayloadHash: flag('trustUncapturedPayloadHash', false),
    signingKeyCacheSize:
      options.signingKeyCacheSize === undefined ? undefined : signingKeyCacheSize,
  };
  if (issues.length > 0) throw new ConfigError('gateway-auth options', issues);
  return resolved;
}
