/**
 * A verified token as the verified-token cache keeps it: what the route rules and the handler's
 * context need, re-read on every use (route rules are applied per request, never cached).
 */
import { stringifyClaimsInPlace } from './claim-rules';
import type { JwtMode } from './jwt-errors';
import type { KeySource, VerificationKey } from './key-source';
import type { CacheableVerification } from './verified-token-cache';

/** What a verifier knows once a token's signature and claims have been checked. */
export interface VerifiedJwtFields {
  /** Last instant (ms since epoch, tolerance included) at which the token is still valid. */
  readonly validUntilMs: number;
  readonly key: VerificationKey;
  readonly keySource: KeySource;
  readonly issuer: string;
  /** Cognito REST rules apply (token_use, COG-02/03). */
  readonly cognitoRest: boolean;
  /** This token's own parsed payload; it becomes {@link VerifiedJwt.claims} (converted in place). */
  readonly payload: Record<string, unknown>;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
  /** How claims are rendered as strings (COG-07 REST, HJWT-05 HTTP). */
  readonly mode: JwtMode;
}

/** A verified token; its claims become strings on first use and are shared by cache hits. */
export class VerifiedJwt implements CacheableVerification {
  readonly validUntilMs: number;
  readonly key: VerificationKey;
  readonly keySource: KeySource;
  readonly issuer: string;
  readonly cognitoRest: boolean;
  readonly scopes: readonly string[];
  readonly groups: readonly string[];
  /** `token_use` and `aud` as signed, read before the payload becomes the string claims. */
  readonly tokenUse: unknown;
  readonly aud: unknown;
  private readonly payload: Record<string, unknown>;
  private readonly mode: JwtMode;
  private stringClaims: Record<string, string> | undefined;

  constructor(fields: VerifiedJwtFields) {
    this.validUntilMs = fields.validUntilMs;
    this.key = fields.key;
    this.keySource = fields.keySource;
    this.issuer = fields.issuer;
    this.cognitoRest = fields.cognitoRest;
    this.scopes = fields.scopes;
    this.groups = fields.groups;
    this.payload = fields.payload;
    this.mode = fields.mode;
    this.tokenUse = fields.payload.token_use;
    this.aud = fields.payload.aud;
  }

  /** Every claim as a string (COG-07), computed on first use and shared by cache hits (frozen). */
  get claims(): Record<string, string> {
    this.stringClaims ??= stringifyClaimsInPlace(this.payload, this.mode) as Record<string, string>;
    return this.stringClaims;
  }
}
