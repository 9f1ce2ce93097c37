import { isPending, type SharedServices } from '../authenticator';
import { type HttpRequest, headerText } from '../http-request';
import { buildCallerAccess } from '../identity/caller-access';
import type { CallerAccess, IdentitySource } from '../identity/identity-source';
import { formatAmzDate } from './amz-date';
import type {
  CredentialDefinition,
  CredentialProvider,
  SigV4Credential,
} from './credential-provider';
import { MemoryCredentialProvider } from './memory-credential-provider';
import { ParseMemo, parseSigV4, type SigV4Claims } from './parse-sigv4';
import { sha256Hex } from './sha256-hex';
import { SigningKeyCache } from './signing-key-cache';
import {
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

/** The SigV4 checks' settings (resolved `iam.*` options, see `IamAuthOptions`). */
export interface SignedRequestSettings {
  clockSkewMs: number;
  maxPresignExpiresSeconds: number;
  echoCanonicalRequest: boolean;
  echoAuthorizationHeader: boolean;
  allowUnsignedPayload: boolean;
  allowUnsignedSessionToken: boolean;
  requireSignedAmzHeaders: boolean;
  trustUncapturedPayloadHash: boolean;
  signingKeyCacheSize?: number;
}

/**
 * The `credentials` identity source: a request signed with SigV4 (header or presigned form) by a
 * key the service's credential provider knows. Verifies scope, time, signed headers, session
 * token, payload hash and signature as API Gateway does (SIG-02..31), then answers the caller that
 * key belongs to. Synchronous when the provider is (memory and file providers).
 */
export class SignedRequestSource implements IdentitySource {
  readonly name = 'credentials';
  private readonly provider: CredentialProvider;
  private readonly keys: SigningKeyCache;
  private readonly memo = new ParseMemo();
  /** Per credential object: a reloaded or replaced credential starts afresh. */
  private readonly access = new WeakMap<SigV4Credential, CallerAccess>();

  constructor(
    credentials: CredentialProvider | readonly CredentialDefinition[],
    private readonly settings: SignedRequestSettings,
    private readonly shared: SharedServices,
  ) {
    this.provider = Array.isArray(credentials)
      ? new MemoryCredentialProvider(credentials as readonly CredentialDefinition[])
      : (credentials as CredentialProvider);
    this.keys = new SigningKeyCache(settings.signingKeyCacheSize);
  }

  /** The fallback source: any request not claimed by another one is checked as SigV4. */
  claims(): boolean {
    return true;
  }

  /**
   * @throws AuthError (synchronously) for every refusal known before the credential lookup, and for
   *   every refusal when the provider answered synchronously.
   */
  resolve(request: HttpRequest): CallerAccess | Promise<CallerAccess> {
    const settings = this.settings;
    const claims = parseSigV4(request, {
      echoAuthorizationHeader: settings.echoAuthorizationHeader,
      maxExpiresSeconds: settings.maxPresignExpiresSeconds,
      memo: this.memo,
    });
    this.checkScope(claims);
    this.checkTime(claims);
    this.checkUnsignedHeaders(request, claims);
    const found = this.provider.getCredential(claims.accessKeyId);
    if (isPending(found)) {
      return Promise.resolve(found).then((credential) => this.finish(request, claims, credential));
    }
    return this.finish(request, claims, found);
  }

  /** Closes the credential provider (file watchers). */
  async close(): Promise<void> {
    this.keys.clear();
    await this.provider.close?.();
  }

  /** Everything after the credential lookup: session token, payload, signature. */
  private finish(
    request: HttpRequest,
    claims: SigV4Claims,
    credential: SigV4Credential | undefined,
  ): CallerAccess {
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
        this.settings.echoCanonicalRequest ? check : undefined,
        `signature mismatch for access key ${claims.accessKeyId} (${claims.form} form)` +
          payloadHint(request, claims, payloadHash),
      );
    }
    return this.accessOf(credential);
  }

  /** The caller behind a credential, built once per credential object. */
  private accessOf(credential: SigV4Credential): CallerAccess {
    let access = this.access.get(credential);
    if (access === undefined) {
      access = buildCallerAccess(
        {
          source: 'credentials',
          principal: credential.principal,
          identityPolicies: credential.identityPolicies,
          permissionsBoundary: credential.permissionsBoundary,
          accessKeyId: credential.accessKeyId,
          temporaryCredentials: credential.sessionToken !== undefined,
          issuedAtMs: credential.issuedAtMs,
        },
        this.shared,
      );
      this.access.set(credential, access);
    }
    return access;
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
    const skew = this.settings.clockSkewMs;
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
      if (!claims.securityTokenSigned && !this.settings.allowUnsignedSessionToken) {
        throw invalidSignature(
          'SIGV4_UNSIGNED_HEADERS',
          'There were headers present in the request which were not signed: x-amz-security-token',
          'x-amz-security-token not signed',
        );
      }
    }
    if (!this.settings.requireSignedAmzHeaders) return;
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

  /**
   * The canonical request's payload hash: the SHA-256 of the body as received (SIG-07, I-SIGREQ's
   * `HashedPayload`). On execute-api `x-amz-content-sha256` is an ordinary signed `x-amz-*` header,
   * not a claim checked against the body on its own (that check, and its "The provided
   * 'x-amz-content-sha256' header does not match what was computed." answer, are S3's): a body
   * changed after signing fails as the signature mismatch (SIG-22), whose canonical request ends
   * with the hash of the body received. Two opt-ins read the header instead: `allowUnsignedPayload`
   * (the literal `UNSIGNED-PAYLOAD`, Q-SIG-2) and `trustUncapturedPayloadHash` (a signed hash
   * standing for a body the adapter did not capture).
   */
  private payloadHash(request: HttpRequest, claims: SigV4Claims): string {
    const header =
      claims.form === 'header' ? headerText(request.headers['x-amz-content-sha256']) : undefined;
    if (header === 'UNSIGNED-PAYLOAD' && this.settings.allowUnsignedPayload) return header;
    if (request.body !== undefined) {
      return request.body.length === 0 ? EMPTY_SHA256 : sha256Hex(request.body);
    } else if (!hasBody(request)) {
      return EMPTY_SHA256;
    } else if (
      header !== undefined &&
      HEX_SHA256.test(header) &&
      this.settings.trustUncapturedPayloadHash
    ) {
      return header;
    } else {
      throw bodyNotCaptured();
    }
  }
}

/**
 * Why a signature did not verify, when `x-amz-content-sha256` says: the body or the payload mode
 * changed after signing. For logs only (the client gets SIG-22 either way).
 */
function payloadHint(request: HttpRequest, claims: SigV4Claims, payloadHash: string): string {
  if (claims.form !== 'header') return '';
  const header = headerText(request.headers['x-amz-content-sha256']);
  if (header === undefined || header === payloadHash) return '';
  return header === 'UNSIGNED-PAYLOAD'
    ? '; signed as UNSIGNED-PAYLOAD, which allowUnsignedPayload does not accept'
    : "; x-amz-content-sha256 is not the received body's SHA-256 (changed after signing?)";
}

function hasBody(request: HttpRequest): boolean {
  const length = headerText(request.headers['content-length']);
  if (length !== undefined) return length.trim() !== '0';
  return headerText(request.headers['transfer-encoding']) !== undefined;
}
