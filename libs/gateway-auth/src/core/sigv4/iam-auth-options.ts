// The AWS_IAM model's options: what a service configures, each with a secure default, and their
// validation at boot (every invalid field named, with the fix) into the SigV4 verifier's settings.
import { ConfigError, type ConfigIssue } from '../errors';
import type { IdentityPolicyOptions } from '../identity/iam-policies/identity-policy-resolver';
import type { LatticeOptions } from '../identity/lattice/lattice-source';
import type { IdentityProofOptions } from '../identity/sts-proof/sts-proof-source';
import type { CredentialDefinition, CredentialProvider } from './credential-provider';
import type { SignedRequestSettings } from './signed-request-source';

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

/** Whether `identityProofs` turns proofs on (`true` or an options object). */
export function isOn(value: IdentityProofOptions | boolean | undefined): boolean {
  return value !== undefined && value !== false;
}

/**
 * Validates the options and resolves their defaults.
 * @throws ConfigError naming every invalid `iam.*` field.
 */
export function resolveOptions(options: IamAuthOptions | undefined): SignedRequestSettings {
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
