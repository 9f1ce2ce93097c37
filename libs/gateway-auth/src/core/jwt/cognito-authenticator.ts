/**
 * The Cognito/JWT authorization model (`@CognitoAuth()`): reads the token a route names, has it
 * verified (bearer token or ALB header), applies the route's rules and the API's resource policy, and
 * returns the handler's context. The parts: jwt-issuers (configuration → trusted issuers),
 * bearer-token-verifier / alb-token-verifier (token → verified token, cached), route-rules,
 * cognito-resource-policy, jwt-errors (refusal → API Gateway's response).
 */
import type { CognitoAuthContext } from '../auth-context';
import {
  isPending,
  type Authenticator,
  type Authorization,
  type SharedServices,
} from '../authenticator';
import { AuthError } from '../errors';
import type { HttpRequest } from '../http-request';
import { AlbTokenVerifier } from './alb-token-verifier';
import { BearerTokenVerifier } from './bearer-token-verifier';
import { checkResourcePolicy } from './cognito-resource-policy';
import type { CognitoAuthOptions } from './cognito-options';
import { DEFAULT_MAX_TOKEN_LENGTH } from './decode-jwt';
import { JwksKeySource, type JwksHealth } from './jwks-key-source';
import { toJwtAuthError, type JwtMode } from './jwt-errors';
import { JwtIssuers } from './jwt-issuers';
import type { KeySource } from './key-source';
import { applyRouteRules, NO_STRINGS, type RouteRuleSettings } from './route-rules';
import { readQueryToken, readToken } from './token-source';
import { validateCognitoOptions } from './validate-cognito-options';
import type { VerifiedJwt } from './verified-jwt';
import { VerifiedTokenCache } from './verified-token-cache';

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
  private readonly header: string;
  /** A query parameter carrying the token instead of the header (HTTP API identity source). */
  private readonly query: string | undefined;
  private readonly bearer: 'optional' | 'required' | 'forbidden';
  /** The mode and the compiled `identityValidationExpression`, for the route rules. */
  private readonly routeRules: RouteRuleSettings;
  private readonly bearerTokens: BearerTokenVerifier;
  private readonly albTokens: AlbTokenVerifier | undefined;
  /** Key sources made here (closed with this model); those the options supply are the caller's. */
  private readonly ownedSources: KeySource[];
  private readonly caches: VerifiedTokenCache<VerifiedJwt>[] = [];

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
    const mode = options.mode ?? 'rest';
    this.mode = mode;
    this.header = (options.tokenSource?.header ?? 'authorization').toLowerCase();
    this.query = options.tokenSource?.query;
    this.bearer = options.tokenSource?.bearer ?? 'optional';
    this.routeRules = {
      mode,
      identityValidation:
        options.identityValidationExpression === undefined
          ? undefined
          : new RegExp(options.identityValidationExpression),
    };
    const toleranceSeconds = options.clockToleranceSeconds ?? 0;
    const maxTokenLength = options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH;
    const newCache = (): VerifiedTokenCache<VerifiedJwt> | undefined => {
      const setting = options.tokenCache ?? true;
      if (setting === false) return undefined;
      const cache = new VerifiedTokenCache<VerifiedJwt>(
        setting === true ? undefined : setting.maxEntries,
      );
      this.caches.push(cache);
      return cache;
    };
    const issuers = new JwtIssuers(options, shared);
    this.ownedSources = [...issuers.ownedSources];
    this.bearerTokens = new BearerTokenVerifier({
      issuers,
      mode,
      toleranceSeconds,
      maxTokenLength,
      cache: newCache(),
    });
    if (options.alb) {
      this.albTokens = new AlbTokenVerifier(
        options.alb,
        {
          mode,
          toleranceSeconds,
          maxTokenLength,
          cache: newCache(),
          timeoutMs: options.jwks?.timeoutMs,
          refetchIntervalSeconds: options.jwks?.refetchIntervalSeconds,
        },
        shared,
      );
      if (this.albTokens.ownedSource) this.ownedSources.push(this.albTokens.ownedSource);
    }
  }

  /**
   * Authenticates the caller's token for a route and authorizes it against the resource policy. The
   * context is returned directly when nothing has to be awaited — a verified-token cache hit, or a
   * token whose key is already held — and a promise only while a key is being fetched.
   * @throws AuthError 401 `UNAUTHORIZED` for a missing/invalid token (COG-05/06, HJWT-03), 401 or
   * 403 for a missing scope (COG-03, HJWT-04), 403 `ACCESS_DENIED` for a group or resource-policy
   * denial; thrown when known without I/O, else the promise rejects. Same decisions on both paths.
   */
  authorize(request: HttpRequest, route: CognitoRouteOptions): Authorization<CognitoAuthContext> {
    let verified: VerifiedJwt | Promise<VerifiedJwt>;
    try {
      verified = this.verify(request, route);
    } catch (error) {
      throw this.toAuthError(error, route);
    }
    if (isPending(verified)) {
      return verified.then(
        (v) => this.finish(v, request, route),
        (error: unknown) => {
          throw this.toAuthError(error, route);
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
    for (const cache of this.caches) cache.clear();
    return Promise.resolve();
  }

  /** The route's token, verified (a promise only while a key is fetched). */
  private verify(
    request: HttpRequest,
    route: CognitoRouteOptions,
  ): VerifiedJwt | Promise<VerifiedJwt> {
    if (route.source === 'alb') {
      const alb = this.albTokens;
      if (alb === undefined) {
        throw new AuthError('MODEL_NOT_CONFIGURED', {
          responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
          message: null,
          errorType: 'AuthorizerConfigurationException',
          reason: 'route uses source "alb" but cognito.alb is not configured',
          category: 'infrastructure',
        });
      }
      return alb.verify(readToken(request, alb.header, 'forbidden'), this.shared.clock.now());
    }
    const token =
      this.query === undefined
        ? readToken(request, this.header, this.bearer)
        : readQueryToken(request.rawQuery, this.query);
    return this.bearerTokens.verify(token, this.shared.clock.now());
  }

  /** Route rules, then the resource policy, then the handler's context. */
  private finish(
    verified: VerifiedJwt,
    request: HttpRequest,
    route: CognitoRouteOptions,
  ): CognitoAuthContext {
    let matchedScopes: string[] | null;
    try {
      matchedScopes = applyRouteRules(verified, route, this.routeRules);
    } catch (error) {
      throw this.toAuthError(error, route);
    }
    checkResourcePolicy(request, this.shared, this.options.resourcePolicyRequiresAllow === true);
    return {
      type: this.mode === 'rest' && route.source !== 'alb' ? 'COGNITO_USER_POOLS' : 'JWT',
      // Stringified once per verified token (COG-07) and shared by its cache hits (frozen).
      claims: verified.claims,
      scopes: matchedScopes,
      issuer: verified.issuer,
      sourceIp: request.sourceIp,
    };
  }

  private toAuthError(error: unknown, route: CognitoRouteOptions): AuthError {
    const scopes = route.scopes ?? NO_STRINGS;
    return toJwtAuthError(error, this.mode, scopes, this.options.scopeMismatchStatus);
  }
}
