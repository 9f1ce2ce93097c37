import { buildMethodArn, maskAccountInArn } from '../arn/execute-api-arn';
import { RouteDecisionMemo } from '../route-decision-memo';
import type { AuthContext } from '../auth-context';
import type { Authenticator, SharedServices } from '../authenticator';
import { ConfigError, type AuthError, type ConfigIssue } from '../errors';
import { type HttpRequest, firstValue } from '../http-request';
import {
  evaluatePolicies,
  policySetReadsRequestContext,
  type ContextValue,
  type EvaluationResult,
  type PolicySet,
} from '../iam';
import { formatAmzDate } from './amz-date';
import { buildContextKeys } from './context-keys';
import type {
  CredentialDefinition,
  CredentialProvider,
  SigV4Credential,
} from './credential-provider';
import { buildIamIdentity } from './iam-identity';
import { MemoryCredentialProvider } from './memory-credential-provider';
import { ParseMemo, parseSigV4, type SigV4Claims } from './parse-sigv4';
import { sha256Hex } from './sha256-hex';
import { SigningKeyCache } from './signing-key-cache';
import {
  accessDenied,
  bodyNotCaptured,
  expiredSecurityToken,
  invalidSecurityToken,
  invalidSignature,
  signatureMismatch,
} from './sigv4-errors';
import { verifySignature } from './verify-signature';

/** The service name API Gateway invocations are signed for (SIG-02). */
export const EXECUTE_API_SERVICE = 'execute-api';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const HEX_SHA256 = /^[0-9a-f]{64}$/;
/** The condition context of policies that read none. */
const NO_CONTEXT: Readonly<Record<string, ContextValue>> = Object.freeze({});

/** A caller's policies as the engine takes them, and its decisions when they read no context. */
interface CallerAccess {
  policies: PolicySet;
  /** Method, then resource path, to the engine's answer; `undefined` when a policy reads context. */
  decisions: RouteDecisionMemo<EvaluationResult> | undefined;
}

/**
 * Options of the AWS_IAM (SigV4) model. Every option has a secure default; see docs/iam-auth.md.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export interface IamAuthOptions {
  /**
   * Maps access key ids to secrets, principals and identity policies: a {@link CredentialProvider}
   * (`FileCredentialProvider`, `MemoryCredentialProvider`, your own) or an array of definitions
   * (wrapped in a `MemoryCredentialProvider`). Closed with the module.
   */
  credentials: CredentialProvider | readonly CredentialDefinition[];
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
  /** Accept `x-amz-content-sha256: UNSIGNED-PAYLOAD` (Q-SIG-2). Default false: the body is always covered. */
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
   * When the raw body was not captured, trust a signed `x-amz-content-sha256` without hashing the
   * body. Default false (fail closed: the body could be swapped under a valid signature).
   */
  trustUncapturedPayloadHash?: boolean;
  /** Cached signing keys (one per key, day, region). Default 10,000. */
  signingKeyCacheSize?: number;
}

/** Per-route options of `@IamAuth()` (none today). */
export type IamRouteOptions = Record<string, never>;

interface ResolvedOptions {
  clockSkewMs: number;
  maxPresignExpiresSeconds: number;
  echoCanonicalRequest: boolean;
  echoAuthorizationHeader: boolean;
  allowUnsignedPayload: boolean;
  allowUnsignedSessionToken: boolean;
  requireSignedAmzHeaders: boolean;
  trustUncapturedPayloadHash: boolean;
}

/**
 * AWS_IAM as API Gateway does it: verify the SigV4 signature (header or presigned form), resolve
 * the caller through the credential provider, then evaluate `execute-api:Invoke` on the route's
 * method ARN with the caller's identity policies and the API's resource policy (RP-06: same account
 * either may allow, cross account both must). Refusals carry API Gateway's exact bodies (SIG-20..31).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html
 */
export class IamAuthenticator implements Authenticator<IamRouteOptions> {
  private readonly provider: CredentialProvider;
  private readonly resolved: ResolvedOptions;
  private readonly keys: SigningKeyCache;
  private readonly memo = new ParseMemo();
  /** Per credential object: a reloaded or replaced credential starts afresh. */
  private readonly access = new WeakMap<SigV4Credential, CallerAccess>();
  private lastSecond = -1;
  private lastSecondText = '';

  /** @throws ConfigError naming each invalid `iam.*` option. */
  constructor(
    readonly options: IamAuthOptions,
    readonly shared: SharedServices,
  ) {
    this.resolved = resolveOptions(options);
    this.provider = Array.isArray(options.credentials)
      ? new MemoryCredentialProvider(options.credentials as readonly CredentialDefinition[])
      : (options.credentials as CredentialProvider);
    this.keys = new SigningKeyCache(options.signingKeyCacheSize);
  }

  /**
   * Authenticates and authorizes one request.
   * @throws AuthError with API Gateway's response type and body for every refusal.
   */
  async authenticate(request: HttpRequest, route: IamRouteOptions): Promise<AuthContext> {
    return this.authorize(request, route);
  }

  /**
   * {@link authenticate} for the hot path: when the credential provider answers synchronously (the
   * memory and file providers do), the whole check runs without a promise and the caller's context
   * is returned directly; a refusal is then thrown. A provider that returns a promise makes the
   * result a promise (rejected on refusal). Same checks, same order, same errors on both paths.
   * @throws AuthError (synchronously) for every refusal known before the credential lookup, and for
   *   every refusal when the provider answered synchronously.
   */
  authorize(request: HttpRequest, _route: IamRouteOptions): AuthContext | Promise<AuthContext> {
    const opts = this.resolved;
    const claims = parseSigV4(request, {
      echoAuthorizationHeader: opts.echoAuthorizationHeader,
      maxExpiresSeconds: opts.maxPresignExpiresSeconds,
      memo: this.memo,
    });
    this.checkScope(claims);
    this.checkTime(claims);
    this.checkUnsignedHeaders(request, claims);
    const found = this.provider.getCredential(claims.accessKeyId);
    if (isThenable(found)) {
      return Promise.resolve(found).then((credential) => this.finish(request, claims, credential));
    }
    return this.finish(request, claims, found);
  }
  /** Everything after the credential lookup: session token, payload, signature, policies. */
  private finish(
    request: HttpRequest,
    claims: SigV4Claims,
    credential: SigV4Credential | undefined,
  ): AuthContext {
    const now = this.shared.clock.now();
    if (credential === undefined) {
      throw invalidSecurityToken(`unknown access key id ${claims.accessKeyId}`);
    }
    this.checkSessionToken(claims, credential, now);
    const payloadHash = this.payloadHash(request, claims);
    const signingKey = this.keys.hmacKey(
      claims.credential,
      credential.secretAccessKey,
      claims.scopeDate,
      claims.scopeRegion,
      claims.scopeService,
    );
    const check = verifySignature(request, claims, signingKey, payloadHash);
    if (!check.valid) {
      throw signatureMismatch(
        this.resolved.echoCanonicalRequest ? check : undefined,
        `signature mismatch for access key ${claims.accessKeyId} (${claims.form} form)`,
      );
    }
    this.evaluateAccess(request, credential, now);
    return buildIamIdentity(request, credential);
  }

  /** Closes the credential provider (file watchers). */
  async close(): Promise<void> {
    this.keys.clear();
    await this.provider.close?.();
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

  private checkScope(claims: SigV4Claims): void {
    const { scopeDate, scopeRegion, scopeService, scopeTerminator, amzDate } = claims;
    if (scopeDate !== amzDate.slice(0, 8)) {
      throw invalidSignature(
        'SIGV4_INVALID_SCOPE',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate.slice(0, 16)}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
        'credential scope date differs from the signed timestamp',
      );
    }
    if (scopeRegion !== this.shared.api.region) {
      throw invalidSignature(
        'SIGV4_INVALID_SCOPE',
        `Credential should be scoped to a valid Region, not '${scopeRegion.slice(0, 64)}'. `,
        `credential scope region ${scopeRegion.slice(0, 64)} is not ${this.shared.api.region}`,
      );
    }
    if (scopeService !== EXECUTE_API_SERVICE) {
      throw invalidSignature(
        'SIGV4_INVALID_SCOPE',
        `Credential should be scoped to correct service: '${EXECUTE_API_SERVICE}'. `,
        'credential scope service is not execute-api',
      );
    }
    if (scopeTerminator !== 'aws4_request') {
      throw invalidSignature(
        'SIGV4_INVALID_SCOPE',
        `Credential should be scoped with a valid terminator: 'aws4_request', not '${scopeTerminator.slice(0, 64)}'. `,
        'credential scope terminator is not aws4_request',
      );
    }
  }

  private checkTime(claims: SigV4Claims): void {
    const now = this.shared.clock.now();
    const skew = this.resolved.clockSkewMs;
    const ts = claims.timestampMs;
    if (claims.form === 'query' && claims.expiresSeconds !== undefined) {
      const expires = claims.expiresSeconds * 1000;
      if (now > ts + expires) {
        throw invalidSignature(
          'SIGV4_EXPIRED',
          `Signature expired: ${claims.amzDate} is now earlier than ${formatAmzDate(now - expires)} (${formatAmzDate(now)} - ${claims.expiresSeconds} sec.)`,
          'presigned request expired (X-Amz-Expires)',
        );
      }
    } else if (ts < now - skew) {
      throw invalidSignature(
        'SIGV4_EXPIRED',
        `Signature expired: ${claims.amzDate} is now earlier than ${formatAmzDate(now - skew)} (${formatAmzDate(now)} - ${skew / 60_000} min.)`,
        'signed timestamp older than the allowed skew',
      );
    }
    if (ts > now + skew) {
      throw invalidSignature(
        'SIGV4_NOT_YET_CURRENT',
        `Signature not yet current: ${claims.amzDate} is still later than ${formatAmzDate(now + skew)} (${formatAmzDate(now)} + ${skew / 60_000} min.)`,
        'signed timestamp later than the allowed skew',
      );
    }
  }

  private checkUnsignedHeaders(request: HttpRequest, claims: SigV4Claims): void {
    if (!claims.signedHeaders.includes('host')) {
      throw invalidSignature(
        'SIGV4_HOST_NOT_SIGNED',
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        'host header not signed',
      );
    }
    if (claims.form === 'header' && claims.securityToken !== undefined) {
      if (!claims.securityTokenSigned && !this.resolved.allowUnsignedSessionToken) {
        throw invalidSignature(
          'SIGV4_UNSIGNED_HEADERS',
          'There were headers present in the request which were not signed: x-amz-security-token',
          'x-amz-security-token not signed',
        );
      }
    }
    if (!this.resolved.requireSignedAmzHeaders) return;
    let unsigned: string[] | undefined;
    for (const name in request.headers) {
      if (
        // 'x' first: most names are not x-amz-*, and a char code costs less than startsWith.
        name.charCodeAt(0) === 120 &&
        name.startsWith('x-amz-') &&
        name !== 'x-amz-security-token' &&
        // Added by CloudFront in front of the service, never by the signer.
        name !== 'x-amz-cf-id' &&
        !claims.signedHeaders.includes(name)
      ) {
        (unsigned ??= []).push(name);
      }
    }
    if (unsigned) {
      throw invalidSignature(
        'SIGV4_UNSIGNED_HEADERS',
        `There were headers present in the request which were not signed: ${unsigned.slice(0, 10).join(', ')}`,
        'x-amz-* headers not signed',
      );
    }
  }

  private checkSessionToken(claims: SigV4Claims, credential: SigV4Credential, now: number): void {
    if (credential.sessionToken !== claims.securityToken) {
      throw invalidSecurityToken(
        credential.sessionToken === undefined
          ? `a session token was sent for long-term key ${credential.accessKeyId}`
          : `missing or wrong session token for key ${credential.accessKeyId}`,
      );
    }
    if (credential.expiresAtMs !== undefined && now >= credential.expiresAtMs) {
      throw expiredSecurityToken(`credential ${credential.accessKeyId} expired`);
    }
  }

  private payloadHash(request: HttpRequest, claims: SigV4Claims): string {
    const header =
      claims.form === 'header' ? firstValue(request.headers['x-amz-content-sha256']) : undefined;
    if (header !== undefined) {
      if (header === 'UNSIGNED-PAYLOAD') {
        if (this.resolved.allowUnsignedPayload) return header;
        throw invalidSignature(
          'SIGV4_UNSIGNED_PAYLOAD',
          "x-amz-content-sha256 must be the SHA-256 of the payload; 'UNSIGNED-PAYLOAD' is not accepted.",
          'UNSIGNED-PAYLOAD refused (allowUnsignedPayload is off)',
        );
      }
      // The empty payload's hash (every GET) is well-formed; only other values need the pattern.
      if (header !== EMPTY_SHA256 && !HEX_SHA256.test(header)) {
        throw invalidSignature(
          'SIGV4_PAYLOAD_MISMATCH',
          'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, or a valid sha256 value.',
          'malformed x-amz-content-sha256',
        );
      }
    }
    let computed: string;
    if (request.body !== undefined) {
      computed = request.body.length === 0 ? EMPTY_SHA256 : sha256Hex(request.body);
    } else if (!hasBody(request)) {
      computed = EMPTY_SHA256;
    } else if (header !== undefined && this.resolved.trustUncapturedPayloadHash) {
      return header;
    } else {
      throw bodyNotCaptured();
    }
    if (header !== undefined && header !== computed) {
      throw invalidSignature(
        'SIGV4_PAYLOAD_MISMATCH',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        'body does not match x-amz-content-sha256',
      );
    }
    return computed;
  }

  /**
   * `execute-api:Invoke` on the route's method ARN (RP-06). When none of the caller's policies nor
   * the resource policy reads the condition context, the decision depends only on the caller and the
   * ARN: condition keys are not built, and the result is remembered per caller, method and path.
   */
  private evaluateAccess(request: HttpRequest, credential: SigV4Credential, now: number): void {
    const access = this.accessOf(credential);
    const method = request.method;
    const path = request.resourcePath ?? request.path;
    let result = access.decisions?.get(method, path);
    if (result === undefined) {
      result = evaluatePolicies(access.policies, {
        principal: credential.principal,
        action: 'execute-api:Invoke',
        resource: buildMethodArn(this.shared.api, method, path),
        context:
          access.decisions === undefined
            ? buildContextKeys(request, credential, now, this.isoSeconds(now))
            : NO_CONTEXT,
      });
      access.decisions?.set(method, path, result);
    }
    if (result.decision === 'allowed') return;
    throw denial(credential.principal.arn, buildMethodArn(this.shared.api, method, path), result);
  }

  /** The caller's policy set and, when no policy reads the context, its decision memo. */
  private accessOf(credential: SigV4Credential): CallerAccess {
    let access = this.access.get(credential);
    if (access === undefined) {
      const policies: PolicySet = {
        identityPolicies: credential.identityPolicies,
        resourcePolicy: this.shared.resourcePolicy,
        resourceAccountId: this.shared.api.accountId,
        permissionsBoundary: credential.permissionsBoundary,
      };
      access = {
        policies,
        decisions: policySetReadsRequestContext(policies) ? undefined : new RouteDecisionMemo(),
      };
      this.access.set(credential, access);
    }
    return access;
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

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function hasBody(request: HttpRequest): boolean {
  const length = firstValue(request.headers['content-length']);
  if (length !== undefined) return length.trim() !== '0';
  return firstValue(request.headers['transfer-encoding']) !== undefined;
}

function resolveOptions(options: IamAuthOptions | undefined): ResolvedOptions {
  const issues: ConfigIssue[] = [];
  if (!options || typeof options !== 'object') {
    throw new ConfigError('gateway-auth options', [
      { path: 'iam', message: 'must be an object with "credentials"' },
    ]);
  }
  const credentials = options.credentials as unknown;
  if (
    !Array.isArray(credentials) &&
    (typeof credentials !== 'object' ||
      credentials === null ||
      typeof (credentials as CredentialProvider).getCredential !== 'function')
  ) {
    issues.push({
      path: 'iam.credentials',
      message:
        'required: a CredentialProvider (e.g. new FileCredentialProvider(path)) or an array of credentials',
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
  seconds('signingKeyCacheSize', 10_000, 10_000_000);
  const flag = (name: keyof IamAuthOptions, fallback: boolean): boolean => {
    const value = options[name] as unknown;
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean')
      issues.push({ path: `iam.${name}`, message: 'must be a boolean' });
    return value === true;
  };
  const resolved: ResolvedOptions = {
    clockSkewMs: clockSkewSeconds * 1000,
    maxPresignExpiresSeconds,
    echoCanonicalRequest: flag('echoCanonicalRequest', true),
    echoAuthorizationHeader: flag('echoAuthorizationHeader', false),
    allowUnsignedPayload: flag('allowUnsignedPayload', false),
    allowUnsignedSessionToken: flag('allowUnsignedSessionToken', false),
    requireSignedAmzHeaders: flag('requireSignedAmzHeaders', true),
    trustUncapturedPayloadHash: flag('trustUncapturedPayloadHash', false),
  };
  if (issues.length > 0) throw new ConfigError('gateway-auth options', issues);
  return resolved;
}
