import { buildMethodArn, maskAccountInArn } from '../arn/execute-api-arn';
import type { CognitoAuthContext } from '../auth-context';
import type { Authenticator, SharedServices } from '../authenticator';
import { AuthError } from '../errors';
import type { HttpRequest } from '../http-request';
import { combineWithResourcePolicy, evaluatePolicies } from '../iam';
import { AlbKeySource } from './alb-key-source';
import {
  verifyAlbOidcData,
  type AlbVerifyPolicy,
  type VerifiedAlbToken,
} from './alb-oidc-verifier';
import {
  checkIssuerClaims,
  checkTimeClaims,
  stringifyClaimsInPlace,
  tokenGroups,
  tokenScopes,
  type IssuerPolicy,
} from './claim-rules';
import type { CognitoAuthOptions } from './cognito-options';
import {
  decodeJwt,
  DEFAULT_MAX_TOKEN_LENGTH,
  HeaderMemo,
  type DecodedJwt,
  type DecodeJwtOptions,
} from './decode-jwt';
import { JwksKeySource, type JwksHealth } from './jwks-key-source';
import { expired, groupDenied, insufficientScope, unauthorized, type JwtMode } from './jwt-errors';
import { JwtRejection } from './jwt-rejection';
import type { KeySource, VerificationKey } from './key-source';
import { readQueryToken, readToken } from './token-source';
import { validateCognitoOptions } from './validate-cognito-options';
import { VerifiedTokenCache, type CacheableVerification } from './verified-token-cache';
import { isJwsAlgorithm, verifyJwsSignature, type JwsAlgorithm } from './verify-signature';

export type {
  AlbOidcOptions,
  CognitoAuthOptions,
  CognitoUserPoolOptions,
  OidcIssuerOptions,
  TokenCacheOptions,
  TokenSourceOptions,
} from './cognito-options';

/**
 * Per-route options of `@CognitoAuth()` / `cognitoAuth()`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html
 */
export interface CognitoRouteOptions {
  /**
   * OAuth scopes of the method. REST mode: none → ID tokens only (COG-02); some → access tokens whose
   * `scope` holds one of them (COG-03). HTTP mode: `scope`/`scp` must hold one (HJWT-02).
   */
  scopes?: readonly string[];
  /** Required `cognito:groups` membership (any of). Not an API Gateway feature; refusals are 403. */
  groups?: readonly string[];
  /** `token` (default): the configured token header. `alb`: ALB's `x-amzn-oidc-data` (ALB-01..05). */
  source?: 'token' | 'alb';
  /**
   * A named Cognito/JWT authorizer (`cognitoAuthorizers`, or one an API definition declares) instead
   * of the `cognito` section: its own pools or issuers, header and mode, as API Gateway authorizers
   * are separate.
   */
  authorizer?: string;
}

/** Shared empty list (no allocation per request). */
const NO_STRINGS: readonly string[] = Object.freeze([]);

interface IssuerEntry extends IssuerPolicy {
  readonly algorithms: readonly JwsAlgorithm[];
  readonly keySource: KeySource;
}

/** A verified token as the cache keeps it; route rules are re-applied on every use. */
class VerifiedJwt implements CacheableVerification {
  /** `token_use` and `aud` as signed, read before the payload becomes the string claims. */
  readonly tokenUse: unknown;
  readonly aud: unknown;
  private stringClaims: Record<string, string> | undefined;

  constructor(
    readonly validUntilMs: number,
    readonly key: VerificationKey,
    readonly keySource: KeySource,
    readonly issuer: string,
    /** Cognito REST rules apply (token_use, COG-02/03). */
    readonly cognitoRest: boolean,
    /** This token's own parsed payload; it becomes {@link claims} (converted in place). */
    private readonly payload: Record<string, unknown>,
    readonly scopes: readonly string[],
    readonly groups: readonly string[],
    private readonly mode: JwtMode,
  ) {
    this.tokenUse = payload.token_use;
    this.aud = payload.aud;
  }

  /** Every claim as a string (COG-07), computed on first use and shared by cache hits (frozen). */
  get claims(): Record<string, string> {
    this.stringClaims ??= stringifyClaimsInPlace(this.payload, this.mode) as Record<string, string>;
    return this.stringClaims;
  }
}

/**
 * `COGNITO_USER_POOLS` (REST) and `JWT` (HTTP API) authorization: reads the token, verifies it against
 * the configured pools/issuers with parsed keys from a fault-tolerant JWKS source, applies API
 * Gateway's claim and scope rules, caches the verification, and combines the result with the API's
 * resource policy (RP-03 Table A, Q-RP-1). Also verifies ALB's `x-amzn-oidc-data` for `source: 'alb'`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export class CognitoAuthenticator implements Authenticator<CognitoRouteOptions> {
  private readonly mode: JwtMode;
  private readonly issuers = new Map<string, IssuerEntry>();
  /** {@link issuers} as a list, for a scan when there are few. */
  private readonly issuerList: IssuerEntry[];
  private readonly header: string;
  /** A query parameter carrying the token instead of the header (HTTP API identity source). */
  private readonly query: string | undefined;
  private readonly bearer: 'optional' | 'required' | 'forbidden';
  private readonly toleranceSeconds: number;
  private readonly maxTokenLength: number;
  private readonly identityValidation: RegExp | undefined;
  private readonly tokenCache: VerifiedTokenCache<VerifiedJwt> | undefined;
  private readonly albCache: VerifiedTokenCache<VerifiedJwt> | undefined;
  private readonly alb:
    { policy: AlbVerifyPolicy; keySource: KeySource; header: string } | undefined;
  private readonly ownedSources: KeySource[] = [];
  /** How this verifier decodes tokens: its length limit and header memo (see {@link decodeJwt}). */
  private readonly decoding: DecodeJwtOptions;

  /**
   * Validates the options and prepares one key source per issuer (no fetch until the first token).
   * @throws ConfigError naming every invalid field.
   */
  constructor(
    readonly options: CognitoAuthOptions,
    readonly shared: SharedServices,
    /** Where these options sit, for messages: `cognito`, or `cognitoAuthorizers.<name>`. */
    section = 'cognito',
  ) {
    validateCognitoOptions(options, section);
    this.mode = options.mode ?? 'rest';
    this.header = (options.tokenSource?.header ?? 'authorization').toLowerCase();
    this.query = options.tokenSource?.query;
    this.bearer = options.tokenSource?.bearer ?? 'optional';
    this.toleranceSeconds = options.clockToleranceSeconds ?? 0;
    this.maxTokenLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
    this.decoding = {
      maxLength: this.maxTokenLength,
      requireKid: true,
      // Tokens of one issuer share a handful of headers: each is parsed once.
      headerCache: new HeaderMemo(64),
    };
    this.identityValidation =
      options.identityValidationExpression === undefined
        ? undefined
        : new RegExp(options.identityValidationExpression);
    const cacheOption = options.tokenCache ?? true;
    if (cacheOption !== false) {
      const maxEntries = cacheOption === true ? undefined : cacheOption.maxEntries;
      this.tokenCache = new VerifiedTokenCache<VerifiedJwt>(maxEntries);
      this.albCache = new VerifiedTokenCache<VerifiedJwt>(maxEntries);
    }
    const sourceFor = (jwksUri: string, algorithms: readonly JwsAlgorithm[]): KeySource => {
      const source = new JwksKeySource({
        ...options.jwks,
        jwksUri,
        algorithms,
        clock: shared.clock,
        logger: shared.logger,
        telemetry: shared.telemetry,
      });
      this.ownedSources.push(source);
      return source;
    };
    for (const pool of options.userPools ?? []) {
      const region = pool.region ?? pool.userPoolId.slice(0, pool.userPoolId.indexOf('_'));
      const issuer =
        pool.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${pool.userPoolId}`;
      const algorithms: readonly JwsAlgorithm[] = ['RS256'];
      this.issuers.set(issuer, {
        issuer,
        kind: 'cognito',
        clientIds: pool.clientIds === null ? null : new Set(pool.clientIds),
        algorithms,
        keySource:
          pool.keySource ??
          sourceFor(pool.jwksUri ?? `${issuer}/.well-known/jwks.json`, algorithms),
      });
    }
    for (const oidc of options.issuers ?? []) {
      const algorithms = (oidc.algorithms ?? ['RS256']).filter(isJwsAlgorithm);
      this.issuers.set(oidc.issuer, {
        issuer: oidc.issuer,
        kind: 'oidc',
        clientIds: oidc.audiences === null ? null : new Set(oidc.audiences),
        algorithms,
        keySource: oidc.keySource ?? sourceFor(oidc.jwksUri, algorithms),
      });
    }
    this.issuerList = [...this.issuers.values()];
    if (options.alb) {
      const albOptions = options.alb;
      let keySource = albOptions.keySource;
      if (keySource === undefined) {
        const owned = new AlbKeySource({
          keyUrl:
            albOptions.keyUrl ??
            ((kid) => `https://public-keys.auth.elb.${albOptions.region}.amazonaws.com/${kid}`),
          timeoutMs: options.jwks?.timeoutMs,
          refetchIntervalSeconds: options.jwks?.refetchIntervalSeconds,
          clock: shared.clock,
          logger: shared.logger,
        });
        this.ownedSources.push(owned);
        keySource = owned;
      }
      this.alb = {
        keySource,
        header: (albOptions.header ?? 'x-amzn-oidc-data').toLowerCase(),
        policy: {
          signerArns: new Set(albOptions.signerArns),
          clientIds: albOptions.clientIds === null ? null : new Set(albOptions.clientIds),
          issuers: albOptions.issuers === null ? null : new Set(albOptions.issuers),
          toleranceSeconds: this.toleranceSeconds,
        },
      };
    }
  }

  /**
   * Authenticates the caller's token for a route and authorizes it against the resource policy.
   * @throws AuthError 401 `UNAUTHORIZED` for a missing/invalid token (COG-05/06, HJWT-03), 401 or
   * 403 for a missing scope (COG-03, HJWT-04), 403 `ACCESS_DENIED` for a group or resource-policy
   * denial.
   */
  async authenticate(
    request: HttpRequest,
    route: CognitoRouteOptions,
  ): Promise<CognitoAuthContext> {
    return this.authorize(request, route);
  }

  /**
   * {@link authenticate} for the hot path: the context is returned directly when nothing has to be
   * awaited — a verified-token cache hit, or a token whose key is already held — and a refusal known
   * synchronously is thrown; a promise only while a key is being fetched. Same decisions, same errors.
   */
  authorize(
    request: HttpRequest,
    route: CognitoRouteOptions,
  ): CognitoAuthContext | Promise<CognitoAuthContext> {
    let verified: VerifiedJwt | Promise<VerifiedJwt>;
    try {
      verified = route.source === 'alb' ? this.verifyAlb(request) : this.verifyBearer(request);
    } catch (error) {
      throw this.toAuthError(error, route.scopes ?? NO_STRINGS);
    }
    if (verified instanceof Promise) {
      return verified.then(
        (v) => this.finish(v, request, route),
        (error: unknown) => {
          throw this.toAuthError(error, route.scopes ?? NO_STRINGS);
        },
      );
    }
    return this.finish(verified, request, route);
  }

  /**
   * The health of each JWKS this model fetches (key sources you supply are not included): fetches a
   * key set that was never fetched (rate-limited like any fetch), then reports. Healthy while keys
   * are held, also when the endpoint is down now (see {@link JwksKeySource.health}).
   */
  async jwksHealth(maxStaleSeconds?: number): Promise<JwksHealth[]> {
    const sources = this.ownedSources.filter(
      (source): source is JwksKeySource => source instanceof JwksKeySource,
    );
    await Promise.all(sources.map((source) => source.warmUp()));
    return sources.map((source) => source.health(maxStaleSeconds));
  }

  /** Stops key-source timers and aborts fetches in flight. */
  close(): Promise<void> {
    for (const source of this.ownedSources) source.close?.();
    this.tokenCache?.clear();
    this.albCache?.clear();
    return Promise.resolve();
  }

  private verifyBearer(request: HttpRequest): VerifiedJwt | Promise<VerifiedJwt> {
    const token =
      this.query === undefined
        ? readToken(request, this.header, this.bearer)
        : readQueryToken(request.rawQuery, this.query);
    const nowMs = this.shared.clock.now();
    const hit = this.tokenCache?.get(token, nowMs);
    if (hit) return hit;

    const jwt = decodeJwt(token, this.decoding);
    const iss = jwt.payload.iss;
    const issuer = typeof iss === 'string' ? this.issuerFor(iss) : undefined;
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
    if (known !== undefined) return this.completeBearer(token, jwt, alg, issuer, known, nowMs);
    return issuer.keySource
      .getKey(jwt.header.kid)
      .then((key) => this.completeBearer(token, jwt, alg, issuer, key, nowMs));
  }

  /**
   * The configured issuer named `iss`. A few issuers are compared in turn: `iss` is a new string per
   * token, and a map lookup would first hash all of it.
   */
  private issuerFor(iss: string): IssuerEntry | undefined {
    const list = this.issuerList;
    if (list.length > 8) return this.issuers.get(iss);
    for (let i = 0; i < list.length; i++) {
      const entry = list[i] as IssuerEntry;
      if (entry.issuer === iss) return entry;
    }
    return undefined;
  }

  private completeBearer(
    token: string,
    jwt: DecodedJwt,
    alg: JwsAlgorithm,
    issuer: IssuerEntry,
    key: VerificationKey,
    nowMs: number,
  ): VerifiedJwt {
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
    const exp = checkTimeClaims(jwt.payload, Math.floor(nowMs / 1000), this.toleranceSeconds);
    checkIssuerClaims(jwt.payload, issuer, this.mode);
    const verified = new VerifiedJwt(
      (exp + this.toleranceSeconds) * 1000,
      key,
      issuer.keySource,
      issuer.issuer,
      this.mode === 'rest' && issuer.kind === 'cognito',
      jwt.payload,
      tokenScopes(jwt.payload, this.mode),
      tokenGroups(jwt.payload),
      this.mode,
    );
    this.tokenCache?.set(token, verified);
    return verified;
  }

  private verifyAlb(request: HttpRequest): VerifiedJwt | Promise<VerifiedJwt> {
    const alb = this.alb;
    if (alb === undefined) {
      throw new AuthError('MODEL_NOT_CONFIGURED', {
        responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
        message: null,
        errorType: 'AuthorizerConfigurationException',
        reason: 'route uses source "alb" but cognito.alb is not configured',
        category: 'infrastructure',
      });
    }
    const token = readToken(request, alb.header, 'forbidden');
    const nowMs = this.shared.clock.now();
    const hit = this.albCache?.get(token, nowMs);
    if (hit) return hit;
    return verifyAlbOidcData(
      token,
      alb.keySource,
      alb.policy,
      Math.floor(nowMs / 1000),
      this.maxTokenLength,
    ).then((result) => this.completeAlb(token, result, alb.keySource));
  }

  private completeAlb(token: string, result: VerifiedAlbToken, keySource: KeySource): VerifiedJwt {
    const verified = new VerifiedJwt(
      (result.exp + this.toleranceSeconds) * 1000,
      result.key,
      keySource,
      typeof result.header.iss === 'string' ? result.header.iss : 'alb',
      false,
      result.payload,
      tokenScopes(result.payload, 'http'),
      tokenGroups(result.payload),
      this.mode,
    );
    this.albCache?.set(token, verified);
    return verified;
  }

  /** Route rules, then the resource policy, then the handler's context. */
  private finish(
    verified: VerifiedJwt,
    request: HttpRequest,
    route: CognitoRouteOptions,
  ): CognitoAuthContext {
    let matchedScopes: string[] | null;
    try {
      matchedScopes = this.applyRouteRules(verified, route);
    } catch (error) {
      throw this.toAuthError(error, route.scopes ?? NO_STRINGS);
    }
    this.checkResourcePolicy(request);
    return {
      type: this.mode === 'rest' && route.source !== 'alb' ? 'COGNITO_USER_POOLS' : 'JWT',
      // Stringified once per verified token (COG-07) and shared by its cache hits (frozen).
      claims: verified.claims,
      scopes: matchedScopes,
      issuer: verified.issuer,
      sourceIp: request.sourceIp,
    };
  }

  /** COG-02/03/04 (REST) or HJWT-02 scopes (HTTP), then the optional group rule. */
  private applyRouteRules(verified: VerifiedJwt, route: CognitoRouteOptions): string[] | null {
    const routeScopes = route.scopes ?? NO_STRINGS;
    let matched: string[] | null = null;
    if (verified.cognitoRest) {
      if (routeScopes.length === 0 && verified.tokenUse !== 'id') {
        throw new JwtRejection(
          'TOKEN_WRONG_USE',
          'route has no scopes, so only ID tokens are accepted (COG-02)',
        );
      }
      if (routeScopes.length > 0 && verified.tokenUse !== 'access') {
        throw new JwtRejection(
          'TOKEN_WRONG_USE',
          'route has scopes, so only access tokens are accepted (COG-03)',
        );
      }
      if (
        this.identityValidation &&
        (typeof verified.aud !== 'string' || !this.identityValidation.test(verified.aud))
      ) {
        throw new JwtRejection(
          'TOKEN_IDENTITY_VALIDATION',
          'aud does not match identityValidationExpression (COG-04)',
        );
      }
    }
    if (routeScopes.length > 0) {
      if (!routeScopes.some((s) => verified.scopes.includes(s))) {
        throw new JwtRejection('TOKEN_INSUFFICIENT_SCOPE', 'token holds none of the route scopes');
      }
      matched = this.mode === 'http' ? [...verified.scopes] : null;
    }
    const groups = route.groups ?? NO_STRINGS;
    if (groups.length > 0 && !groups.some((g) => verified.groups.includes(g))) {
      throw new JwtRejection('TOKEN_GROUP_DENIED', 'caller is in none of the route groups');
    }
    return matched;
  }

  /** RP-03 Table A with X = Allow (a verified Cognito caller counts as the API owner's, Q-RP-1). */
  private checkResourcePolicy(request: HttpRequest): void {
    const policy = this.shared.resourcePolicy;
    if (policy === undefined) return;
    const api = this.shared.api;
    const arn = buildMethodArn(api, request.method, request.resourcePath ?? request.path);
    const nowMs = this.shared.clock.now();
    const result = evaluatePolicies(
      { identityPolicies: [], resourcePolicy: policy, resourceAccountId: api.accountId },
      {
        principal: undefined,
        action: 'execute-api:Invoke',
        resource: arn,
        context: {
          'aws:SourceIp': request.sourceIp,
          'aws:SecureTransport': request.secure ? 'true' : 'false',
          'aws:CurrentTime': new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          'aws:EpochTime': String(Math.floor(nowMs / 1000)),
        },
      },
    );
    const y = result.resourceDecision ?? result.decision;
    const decision =
      this.options.resourcePolicyRequiresAllow === true
        ? y // the policy alone must allow (Q-RP-1, A-FLOW prose)
        : combineWithResourcePolicy('allowed', y, true);
    if (decision === 'allowed') return;
    const explicit = decision === 'explicitDeny';
    throw new AuthError('RESOURCE_POLICY_DENIED', {
      responseType: 'ACCESS_DENIED',
      bodyKey: 'Message',
      message:
        `User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${maskAccountInArn(arn)}` +
        (explicit ? ' with an explicit deny in a resource-based policy' : ''),
      reason: `resource policy: ${decision}`,
    });
  }

  private toAuthError(error: unknown, routeScopes: readonly string[]): AuthError {
    if (error instanceof AuthError) return error;
    if (!(error instanceof JwtRejection)) {
      // Anything unexpected in token handling still answers 401 (fail closed), and is logged.
      const detail = error instanceof Error ? error.message : String(error);
      return unauthorized('TOKEN_MALFORMED', this.mode, `unexpected: ${detail}`, {
        category: 'infrastructure',
        cause: error,
      });
    }
    switch (error.code) {
      case 'TOKEN_EXPIRED':
        return expired(this.mode, error.message);
      case 'TOKEN_INSUFFICIENT_SCOPE':
        return insufficientScope(
          this.mode,
          routeScopes,
          error.message,
          this.options.scopeMismatchStatus,
        );
      case 'TOKEN_GROUP_DENIED':
        return groupDenied(error.message);
      case 'JWKS_UNAVAILABLE':
        return unauthorized(error.code, this.mode, error.message, {
          category: 'infrastructure',
          cause: error,
        });
      default:
        return unauthorized(error.code, this.mode, error.message, {
          description: error.description,
        });
    }
  }
}
