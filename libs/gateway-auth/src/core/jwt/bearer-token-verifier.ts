/**
 * Verifies a bearer JWT against the configured issuers: decode, issuer, algorithm, key, signature,
 * time and issuer claims, in that order; remembers each verified token until it expires. Answers
 * without a promise unless the token's key has to be fetched.
 */
import { checkIssuerClaims, checkTimeClaims, tokenGroups, tokenScopes } from './claim-rules';
import { decodeJwt, HeaderMemo, type DecodedJwt, type DecodeJwtOptions } from './decode-jwt';
import type { JwtMode } from './jwt-errors';
import type { IssuerEntry, JwtIssuers } from './jwt-issuers';
import { JwtRejection } from './jwt-rejection';
import type { VerificationKey } from './key-source';
import { VerifiedJwt } from './verified-jwt';
import type { VerifiedTokenCache } from './verified-token-cache';
import { isJwsAlgorithm, verifyJwsSignature, type JwsAlgorithm } from './verify-signature';

/** How a {@link BearerTokenVerifier} checks tokens. */
export interface BearerTokenVerifierOptions {
  readonly issuers: JwtIssuers;
  readonly mode: JwtMode;
  readonly toleranceSeconds: number;
  readonly maxTokenLength: number;
  /** Verified tokens by their text; `undefined` verifies every request afresh. */
  readonly cache: VerifiedTokenCache<VerifiedJwt> | undefined;
}

/** Bearer tokens (a header or query parameter) of the configured pools and OIDC issuers. */
export class BearerTokenVerifier {
  /** This verifier's length limit and header memo (see {@link decodeJwt}). */
  private readonly decoding: DecodeJwtOptions;

  constructor(private readonly options: BearerTokenVerifierOptions) {
    this.decoding = {
      maxLength: options.maxTokenLength,
      requireKid: true,
      // Tokens of one issuer share a handful of headers: each is parsed once.
      headerCache: new HeaderMemo(64),
    };
  }

  /**
   * The verified token: from the cache, or checked now (a promise only while its key is fetched).
   * @throws JwtRejection for every refusal (synchronously, or through the promise).
   */
  verify(token: string, nowMs: number): VerifiedJwt | Promise<VerifiedJwt> {
    const hit = this.options.cache?.get(token, nowMs);
    if (hit) return hit;
    const jwt = decodeJwt(token, this.decoding);
    const iss = jwt.payload.iss;
    const issuer = typeof iss === 'string' ? this.options.issuers.find(iss) : undefined;
    if (issuer === undefined) {
      throw new JwtRejection(
        'TOKEN_UNKNOWN_ISSUER',
        'iss is not a configured pool or issuer',
        'the token has an invalid issuer',
      );
    }
    const alg = jwt.header.alg;
    if (!isJwsAlgorithm(alg) || !issuer.algorithms.includes(alg)) {
      throw new JwtRejection(
        'TOKEN_UNSUPPORTED_ALG',
        `alg ${JSON.stringify(alg.slice(0, 16))} not accepted for this issuer`,
      );
    }
    const known = issuer.keySource.peekKey(jwt.header.kid);
    if (known !== undefined) return this.complete({ token, jwt, alg, issuer, nowMs }, known);
    return issuer.keySource
      .getKey(jwt.header.kid)
      .then((key) => this.complete({ token, jwt, alg, issuer, nowMs }, key));
  }

  /** Signature, then claims; the verified token is cached. */
  private complete(checked: CheckedToken, key: VerificationKey): VerifiedJwt {
    const { token, jwt, alg, issuer, nowMs } = checked;
    const { mode, toleranceSeconds } = this.options;
    if (!key.algorithms.includes(alg)) {
      throw new JwtRejection('TOKEN_UNSUPPORTED_ALG', `key ${jwt.header.kid} is not for ${alg}`);
    }
    if (!verifyJwsSignature(alg, key.keyObject, jwt.signingInput, jwt.signature)) {
      throw new JwtRejection(
        'TOKEN_BAD_SIGNATURE',
        'signature does not verify',
        'the token signature is invalid',
      );
    }
    const exp = checkTimeClaims(jwt.payload, Math.floor(nowMs / 1000), toleranceSeconds);
    checkIssuerClaims(jwt.payload, issuer, mode);
    const verified = new VerifiedJwt({
      validUntilMs: (exp + toleranceSeconds) * 1000,
      key,
      keySource: issuer.keySource,
      issuer: issuer.issuer,
      cognitoRest: mode === 'rest' && issuer.kind === 'cognito',
      payload: jwt.payload,
      scopes: tokenScopes(jwt.payload, mode),
      groups: tokenGroups(jwt.payload),
      mode,
    });
    this.options.cache?.set(token, verified);
    return verified;
  }
}

/** A decoded token whose issuer and algorithm are accepted, waiting for its key. */
interface CheckedToken {
  readonly token: string;
  readonly jwt: DecodedJwt;
  readonly alg: JwsAlgorithm;
  readonly issuer: IssuerEntry;
  readonly nowMs: number;
}
