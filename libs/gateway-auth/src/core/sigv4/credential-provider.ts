import type { CompiledPolicy, PolicyDocument, Principal } from '../iam';

/**
 * The caller behind an access key, as IAM sees it: the principal fields the engine matches
 * (`Principal`, `aws:PrincipalArn`, ...) plus what `$context.identity` and condition keys need.
 */
export interface CallerPrincipal extends Principal {
  /** IAM user name (users only; `aws:username`). */
  userName?: string;
  /** `aws:userid` and `$context.identity.user`/`caller`: `AIDA...` for users, `AROA...:session` for roles. */
  userId: string;
  /** Principal tags (`aws:PrincipalTag/<key>`). */
  tags: Readonly<Record<string, string>>;
  /** `aws:PrincipalOrgID`, when the account belongs to an organization. */
  orgId?: string;
}

/** One caller's key, as a {@link CredentialProvider} returns it. */
export interface SigV4Credential {
  accessKeyId: string;
  /** Never logged, never in a client body. */
  secretAccessKey: string;
  /** Required in `X-Amz-Security-Token` when set (temporary credentials). */
  sessionToken?: string;
  /** When temporary credentials stop working (epoch ms); `EXPIRED_TOKEN` afterwards. */
  expiresAtMs?: number;
  /** When the session was issued (epoch ms), for `aws:TokenIssueTime`. */
  issuedAtMs?: number;
  principal: CallerPrincipal;
  /** The caller's identity-based policies, compiled once. */
  identityPolicies: readonly CompiledPolicy[];
  /** The caller's permissions boundary, if any. */
  permissionsBoundary?: readonly CompiledPolicy[];
}

/**
 * Maps an access key id to its secret and principal. Implement it to read keys from DynamoDB,
 * Secrets Manager, Vault...; return `undefined` for an unknown key (SIG-25) and throw only when the
 * store itself fails (the request then fails closed with a 500). Called once per request: cache in
 * the provider when the store is remote.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html
 */
export interface CredentialProvider {
  getCredential(
    accessKeyId: string,
  ): SigV4Credential | undefined | Promise<SigV4Credential | undefined>;
  /** Stops watchers and connections. */
  close?(): Promise<void> | void;
}

/**
 * One credential as written in a credential file or passed to {@link MemoryCredentialProvider}
 * (the documented file contract, docs/iam-auth.md).
 * @example
 * { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: '...',
 *   principal: { arn: 'arn:aws:iam::111122223333:user/alice', tags: { team: 'pets' } },
 *   policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }] }] }
 */
export interface CredentialDefinition {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ISO 8601 time or epoch ms after which the key is refused with `EXPIRED_TOKEN`. */
  expiration?: string | number;
  /** When the session was issued (ISO 8601 or epoch ms): `aws:TokenIssueTime` for session keys. */
  issuedAt?: string | number;
  principal: {
    /** IAM user, `assumed-role` session, `federated-user` or account root ARN. */
    arn: string;
    /** Unique id (`AIDA...`, `AROA...:session`); defaults documented in docs/iam-auth.md. */
    userId?: string;
    tags?: Readonly<Record<string, string>>;
    orgId?: string;
  };
  /** Identity-based IAM policy documents attached to the caller. */
  policies?: readonly PolicyDocument[];
  /** An optional permissions boundary policy document. */
  permissionsBoundary?: PolicyDocument;
}
