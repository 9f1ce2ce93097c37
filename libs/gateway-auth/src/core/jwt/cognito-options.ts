import type { JwksOptions } from './jwks-key-source';
import type { KeySource } from './key-source';
import type { JwtMode } from './jwt-errors';
import type { JwsAlgorithm } from './verify-signature';

/**
 * One Cognito user pool, as listed in the authorizer's `providerARNs` (COG-01).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */
export interface CognitoUserPoolOptions {
  /** e.g. `us-east-1_AbCdEf123`; the region is read from its prefix unless `region` is set. */
  userPoolId: string;
  /**
   * App client ids accepted (`aud` of ID tokens, `client_id` of access tokens). Required: API Gateway
   * accepts any app client of the pool (COG-04), which you get only by writing `null` explicitly.
   */
  clientIds: readonly string[] | null;
  /** Region of the pool; default: the part of `userPoolId` before `_`. */
  region?: string;
  /** Expected `iss`; default `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`. Emulators only. */
  issuer?: string;
  /** JWKS URL; default `{issuer}/.well-known/jwks.json`. */
  jwksUri?: string;
  /** Replaces the JWKS fetcher (tests, static keys, a shared cache). */
  keySource?: KeySource;
}

/** Any OpenID Connect issuer (the HTTP API JWT authorizer's `issuer` + `audience`, HJWT-02). */
export interface OidcIssuerOptions {
  /** Exact expected `iss`, trailing slash included. */
  issuer: string;
  /** The issuer's `jwks_uri` (from its discovery document). */
  jwksUri: string;
  /** Accepted `aud` values (or `client_id` when `aud` is absent); `null` accepts any, explicitly. */
  audiences: readonly string[] | null;
  /** Accepted algorithms; default `['RS256']`. HMAC and `none` are never accepted. */
  algorithms?: readonly JwsAlgorithm[];
  /** Replaces the JWKS fetcher. */
  keySource?: KeySource;
}

/** Where the token is read from (COG-01 `identitySource`, HJWT-01). */
export interface TokenSourceOptions {
  /** Header name; default `authorization`. */
  header?: string;
  /**
   * A query-string parameter instead of a header (`$request.querystring.<name>`, an HTTP API JWT
   * identity source); `Bearer ` handling does not apply to it.
   */
  query?: string;
  /**
   * The `Bearer ` prefix (case-insensitive): `optional` (default; strip it when present — Q-COG-1,
   * HJWT-01), `required`, or `forbidden` (the raw token only, as older REST reports describe).
   */
  bearer?: 'optional' | 'required' | 'forbidden';
}

/**
 * Verification of ALB's `x-amzn-oidc-data` header (ALB-01..05), for services behind an ALB with an
 * `authenticate-cognito` / `authenticate-oidc` action.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
 */
export interface AlbOidcOptions {
  /** Region of the ALB; selects the public-key host. */
  region: string;
  /** ALB ARNs allowed in the `signer` header field. Required and non-empty. */
  signerArns: readonly string[];
  /** Accepted `client` values; `null` accepts any, explicitly. */
  clientIds: readonly string[] | null;
  /** Accepted `iss` values; `null` accepts any, explicitly. */
  issuers: readonly string[] | null;
  /**
   * Public-key URL for a kid; default
   * `https://public-keys.auth.elb.{region}.amazonaws.com/{kid}` (GovCloud: the S3 URL of ALB-03).
   */
  keyUrl?: (kid: string) => string;
  /** Header name; default `x-amzn-oidc-data`. */
  header?: string;
  /** Replaces the key fetcher. */
  keySource?: KeySource;
}

/** Verified-token cache settings (issue 4 item 6). */
export interface TokenCacheOptions {
  /**
   * Most tokens kept. Default 10000. The least recently used go first, approximately: a hit moves
   * its entry to the newest end only once it is older than `maxEntries / 2` insertions, so a token
   * used at least that often is never evicted and one used once stays for `maxEntries / 2` more.
   */
  maxEntries?: number;
}

/**
 * Options of the Cognito user pool / OIDC JWT model (`cognito` section of `GatewayAuthModule`).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export interface CognitoAuthOptions {
  /**
   * `rest` (default): the REST API Cognito authorizer (COG-*): `token_use` by route scopes, 401 on
   * scope mismatch, `The incoming token has expired`. `http`: the HTTP API JWT authorizer (HJWT-*):
   * `aud`/`client_id`, `scope`/`scp`, 403 on scope mismatch, `www-authenticate` headers.
   */
  mode?: JwtMode;
  /** Cognito user pools (several allowed). */
  userPools?: readonly CognitoUserPoolOptions[];
  /** Other OIDC issuers. */
  issuers?: readonly OidcIssuerOptions[];
  /** Token location and Bearer handling. */
  tokenSource?: TokenSourceOptions;
  /** COG-04: a regex the ID token's `aud` must match (access tokens have none, so they fail). */
  identityValidationExpression?: string;
  /**
   * REST mode: status for a valid access token lacking the route's scopes. 401 (default: the
   * developer guide, COG-03) or 403 `{"message":"Forbidden"}` (an emulator's claim) — Q-COG-2.
   */
  scopeMismatchStatus?: 401 | 403;
  /**
   * With a resource policy: `false` (default) combines by RP-03 Table A, where the policy's silence
   * lets a verified caller through; `true` requires an explicit Allow for Cognito callers, as the
   * A-FLOW prose says — Q-RP-1.
   */
  resourcePolicyRequiresAllow?: boolean;
  /** Tolerance for `exp`, `nbf` and `iat`, seconds. Default 0. */
  clockToleranceSeconds?: number;
  /** Longest token accepted, characters. Default 10240. */
  maxTokenLength?: number;
  /** JWKS fetch tuning, shared by all issuers. */
  jwks?: JwksOptions;
  /** Verified-token cache: on by default; `false` turns it off. */
  tokenCache?: boolean | TokenCacheOptions;
  /** ALB OIDC verification, used by routes with `source: 'alb'`. */
  alb?: AlbOidcOptions;
}
