/**
 * Verifies ALB's `x-amzn-oidc-data` header for routes with `source: 'alb'` (ALB-01..05): builds the
 * ALB key source unless one is supplied, and remembers each verified token until it expires.
 */
import type { SharedServices } from '../authenticator';
import { AlbKeySource } from './alb-key-source';
import { verifyAlbOidcData, type AlbVerifyPolicy } from './alb-oidc-verifier';
import { tokenGroups, tokenScopes } from './claim-rules';
import type { AlbOidcOptions } from './cognito-options';
import type { JwtMode } from './jwt-errors';
import type { KeySource } from './key-source';
import { VerifiedJwt } from './verified-jwt';
import type { VerifiedTokenCache } from './verified-token-cache';

/** How an {@link AlbTokenVerifier} is set up, beside its `alb` options. */
export interface AlbTokenVerifierOptions {
  readonly mode: JwtMode;
  readonly toleranceSeconds: number;
  readonly maxTokenLength: number;
  readonly cache: VerifiedTokenCache<VerifiedJwt> | undefined;
  /** JWKS timing options, reused for the ALB key URL. */
  readonly timeoutMs?: number;
  readonly refetchIntervalSeconds?: number;
}

/** ALB-signed user claims (ES256, key by `kid` from the ALB's key URL). */
export class AlbTokenVerifier {
  /** The header carrying the token, lower case. */
  readonly header: string;
  /** The key source made here (closed with the authorizer), when none was supplied. */
  readonly ownedSource: KeySource | undefined;
  private readonly keySource: KeySource;
  private readonly policy: AlbVerifyPolicy;

  constructor(
    alb: AlbOidcOptions,
    private readonly options: AlbTokenVerifierOptions,
    shared: SharedServices,
  ) {
    if (alb.keySource === undefined) {
      this.ownedSource = new AlbKeySource({
        keyUrl:
          alb.keyUrl ??
          ((kid) => `https://public-keys.auth.elb.${alb.region}.amazonaws.com/${kid}`),
        timeoutMs: options.timeoutMs,
        refetchIntervalSeconds: options.refetchIntervalSeconds,
        clock: shared.clock,
        logger: shared.logger,
      });
    }
    this.keySource = alb.keySource ?? (this.ownedSource as KeySource);
    this.header = (alb.header ?? 'x-amzn-oidc-data').toLowerCase();
    this.policy = {
      signerArns: new Set(alb.signerArns),
      clientIds: alb.clientIds === null ? null : new Set(alb.clientIds),
      issuers: alb.issuers === null ? null : new Set(alb.issuers),
      toleranceSeconds: options.toleranceSeconds,
    };
  }

  /**
   * The verified token, from the cache or checked now.
   * @throws JwtRejection for every refusal (synchronously, or through the promise).
   */
  verify(token: string, nowMs: number): VerifiedJwt | Promise<VerifiedJwt> {
    const hit = this.options.cache?.get(token, nowMs);
    if (hit) return hit;
    const { mode, toleranceSeconds, maxTokenLength } = this.options;
    const nowSeconds = Math.floor(nowMs / 1000);
    return verifyAlbOidcData(token, this.keySource, this.policy, nowSeconds, maxTokenLength).then(
      (result) => {
        const verified = new VerifiedJwt({
          validUntilMs: (result.exp + toleranceSeconds) * 1000,
          key: result.key,
          keySource: this.keySource,
          issuer: typeof result.header.iss === 'string' ? result.header.iss : 'alb',
          cognitoRest: false,
          payload: result.payload,
          scopes: tokenScopes(result.payload, 'http'),
          groups: tokenGroups(result.payload),
          mode,
        });
        this.options.cache?.set(token, verified);
        return verified;
      },
    );
  }
}
