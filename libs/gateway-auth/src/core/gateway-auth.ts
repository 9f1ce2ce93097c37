// The facade every adapter calls: builds the configured models once, prepares the request's
// resource path, dispatches a route's requirement to its model, and logs, traces and renders each
// decision as API Gateway would answer it.
import type { ApiOptions } from './api-options';
import type { AuthContext } from './auth-context';
import {
  isPending,
  type Authenticator,
  type Authorization,
  type SharedServices,
} from './authenticator';
import { isAwsRegion } from './aws-region';
import { apiArnPrefix } from './arn/execute-api-arn';
import type {
  AuthorizerCacheOptions,
  AuthorizerHealth,
  AuthorizerOptions,
  CustomAuthorizerRouteOptions,
} from './authorizer/custom-authorizer-authenticator';
import { CustomAuthorizerAuthenticator } from './authorizer/custom-authorizer-authenticator';
import type { DecisionCache } from './cache/decision-cache';
import { RedisDecisionCache } from './cache/redis-decision-cache';
import { systemClock, type Clock } from './clock';
import { bodyTooLargeResponse, resolveBodyLimit } from './body/body-limit';
import { AuthError, ConfigError, toAuthError, type ConfigIssue } from './errors';
import {
  renderGatewayResponse,
  responseStatus,
  type GatewayResponsesOptions,
  type RenderContext,
  type RenderedResponse,
} from './gateway-responses';
import type { HttpRequest } from './http-request';
import { compilePolicy, type PolicyDocument } from './iam';
import type { CognitoAuthOptions, CognitoRouteOptions } from './jwt/cognito-authenticator';
import type { JwksHealth } from './jwt/jwks-key-source';
import type { RedisHealth } from './cache/redis-decision-cache';
import { CognitoAuthenticator } from './jwt/cognito-authenticator';
import { createJsonLogger, logsAt, type Logger } from './logger';
import type { IamAuthOptions, IamRouteOptions } from './sigv4/iam-authenticator';
import { IamAuthenticator } from './sigv4/iam-authenticator';
import { canonicalResourcePath, RouteTemplates } from './resource-path';
import { createTrustedProxies, type TrustedProxies } from './source-ip';
import { applyApiDefinition, type AppliedDefinition } from './definition/apply-definition';
import type { ApiDefinitionOptions } from './definition/definition-options';
import {
  enforceDefinition,
  type DefinitionOutcome,
  type EnforcementHooks,
} from './definition/enforce-definition';
import type { AuthorizationScope, AuthTelemetry } from './telemetry/auth-telemetry';
import { GatewayTelemetry, type TelemetryOptions } from './telemetry/gateway-telemetry';

/**
 * Everything gateway-auth needs, one section per authorization model; a missing section turns that
 * model off (routes using it answer 500 AUTHORIZER_CONFIGURATION_ERROR and the boot log says why).
 */
export interface GatewayAuthOptions {
  /** The API this service stands in for (execute-api ARN parts). */
  api: ApiOptions;
  /** The API's resource policy (IAM policy JSON), combined with every model per RP-03. */
  resourcePolicy?: PolicyDocument;
  /** AWS_IAM (SigV4) callers. */
  iam?: IamAuthOptions;
  /** Cognito user pools and OIDC issuers. */
  cognito?: CognitoAuthOptions;
  /**
   * Named Cognito/JWT authorizers, each with its own pools or issuers, token source and mode (as
   * API Gateway's authorizers are separate); routes pick one with `@CognitoAuth({ authorizer })`.
   */
  cognitoAuthorizers?: Readonly<Record<string, CognitoAuthOptions>>;
  /** Lambda authorizers by name. */
  authorizers?: Readonly<Record<string, AuthorizerOptions>>;
  /** Where Lambda-authorizer decisions are cached; default in process. `{ redis: url }` shares them. */
  cache?: AuthorizerCacheOptions;
  /**
   * Proxies whose `X-Forwarded-For`/`X-Forwarded-Proto` are believed (addresses or CIDR blocks), e.g.
   * the ALB's subnets. Default: none — the socket peer is the caller.
   */
  trustedProxies?: readonly string[] | boolean;
  /** Customised gateway responses (status, headers, body template) by response type. */
  gatewayResponses?: GatewayResponsesOptions;
  /**
   * Largest request body gateway-auth reads, in bytes. Bodies are read before authorization, as API
   * Gateway reads them (a SigV4 signature covers the body's exact bytes); a body over the limit is
   * refused with API Gateway's 413 before it is buffered. Default 10485760 (API Gateway's 10 MB
   * payload limit). Also the limit of the JSON and form bodies gateway-auth parses for handlers.
   * See docs/iam-auth.md, "Request bodies".
   */
  bodyLimitBytes?: number;
  /** Source of "now"; default the system clock. */
  clock?: Clock;
  /** Structured logger; default JSON lines on stdout at `info`. */
  logger?: Logger;
  /**
   * An API Gateway definition (OpenAPI export, SAM or CloudFormation template) put in force on
   * every route without decorators; decorators still override per route. Its authorizers, resource
   * policy and gateway responses join these options; a route it does not cover is refused.
   */
  apiDefinition?: ApiDefinitionOptions;
  /**
   * Metrics and traces (OpenTelemetry API, on by default: a no-op until the service starts an SDK)
   * and CloudWatch EMF lines (off by default); `false` turns all telemetry off. See
   * docs/observability.md.
   */
  telemetry?: TelemetryOptions | false;
}

/** Tuning of {@link GatewayAuth.health}. */
export interface HealthCheckOptions {
  /** A JWKS whose last successful fetch is older than this is unhealthy. Default: no limit. */
  jwksMaxStaleSeconds?: number;
  /** Longest the Redis PING may take, ms. Default 1000. */
  redisTimeoutMs?: number;
  /** Consecutive unanswered invocations after which an authorizer is unhealthy. Default 3. */
  authorizerFailuresBeforeUnhealthy?: number;
}

/** What {@link GatewayAuth.health} reports. */
export interface DependencyHealth {
  jwks: JwksHealth[];
  /** `undefined` when decisions are not cached in Redis. */
  redis: RedisHealth | undefined;
  authorizers: AuthorizerHealth[];
}

/** What a route requires, as set by a decorator or middleware. */
export type RouteRequirement =
  | { model: 'iam'; options: IamRouteOptions }
  | { model: 'cognito'; options: CognitoRouteOptions }
  | { model: 'custom'; options: CustomAuthorizerRouteOptions };

/**
 * The framework-agnostic entry point adapters call: authenticate a request for a route's
 * requirement, and render refusals as API Gateway would.
 */
export class GatewayAuth {
  /** The API this service stands in for (access logs read its ids). */
  readonly api: ApiOptions;
  readonly trustedProxies: TrustedProxies;
  /** Largest request body read, in bytes (`bodyLimitBytes`, default API Gateway's 10 MB). */
  readonly bodyLimitBytes: number;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Metrics, traces and access-log records of every authorization (see docs/observability.md). */
  readonly telemetry: GatewayTelemetry;
  private readonly iam?: Authenticator<IamRouteOptions>;
  private readonly cognito?: CognitoAuthenticator;
  private readonly namedCognito = new Map<string, CognitoAuthenticator>();
  private readonly custom?: CustomAuthorizerAuthenticator;
  /** Where verified identity proofs and IAM policy reads are shared (Redis), when configured. */
  private readonly identityStore?: { store: DecisionCache; owned: boolean };
  private readonly options: GatewayAuthOptions;
  /** The API definition in force (`apiDefinition`), with its route table. */
  readonly definition?: AppliedDefinition;
  /** Length of `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/`. */
  private readonly stageArnPrefixLength: number;
  /** The framework's route templates, split once each (see `resource-path.ts`). */
  private readonly routeTemplates = new RouteTemplates();

  /**
   * Validates the options and builds each configured model.
   * @throws ConfigError naming every invalid field.
   */
  constructor(options: GatewayAuthOptions) {
    validateApiOptions(options.api);
    this.api = options.api;
    this.bodyLimitBytes = resolveBodyLimit(options.bodyLimitBytes);
    this.stageArnPrefixLength = `${apiArnPrefix(options.api)}/${options.api.stage}/`.length;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createJsonLogger('info');
    try {
      this.trustedProxies = createTrustedProxies(options.trustedProxies);
    } catch (error) {
      throw new ConfigError('gateway-auth options', [
        { path: 'trustedProxies', message: (error as Error).message },
      ]);
    }
    this.telemetry = new GatewayTelemetry(options.api, options.telemetry, this.logger);
    if (options.apiDefinition) {
      this.definition = applyApiDefinition(options.apiDefinition, {
        api: options.api,
        authorizerNames: Object.keys(options.authorizers ?? {}),
        cognitoAuthorizerNames: Object.keys(options.cognitoAuthorizers ?? {}),
        runtime: {
          hasIam: options.iam !== undefined,
          hasResourcePolicy: options.resourcePolicy !== undefined,
        },
        clock: this.clock,
        logger: this.logger,
      });
      options = withDefinition(options, this.definition);
    }
    this.options = options;
    const resourcePolicy = options.resourcePolicy;
    const shared: SharedServices = {
      api: options.api,
      clock: this.clock,
      logger: this.logger,
      telemetry: this.telemetry,
      resourcePolicy:
        resourcePolicy === undefined
          ? undefined
          : compilePolicy(
              resourcePolicy,
              this.definition?.resourcePolicy ? 'apiDefinition resource policy' : 'resourcePolicy',
              {
                kind: 'resource',
                // API Gateway expands execute-api:/stage/VERB/path resources on save (RP-01).
                apiArnPrefix: apiArnPrefix(options.api),
              },
            ),
    };
    if (options.iam) {
      this.identityStore = sharedIdentityStore(options);
      this.iam = new IamAuthenticator(options.iam, shared, this.identityStore?.store);
    }
    if (options.cognito) this.cognito = new CognitoAuthenticator(options.cognito, shared);
    for (const [name, cognito] of Object.entries(options.cognitoAuthorizers ?? {})) {
      this.namedCognito.set(
        name,
        new CognitoAuthenticator(cognito, shared, `cognitoAuthorizers.${name}`),
      );
    }
    if (options.authorizers)
      this.custom = new CustomAuthorizerAuthenticator(options.authorizers, shared, options.cache);
  }

  /**
   * Authenticates and authorizes `request` for `requirement`: the caller's context directly when the
   * model decided from what it already holds (a cached authorizer decision, a verified-token cache
   * hit, in-memory credentials), else a native promise of it (see {@link Authorization}; `await`
   * works on both). Refuses with an {@link AuthError} only — thrown when known without I/O, else the
   * promise rejects; anything unexpected becomes a fail-closed 500. Sets `request.resourcePath`
   * when the path has a canonical form (see `resource-path.ts`).
   */
  authorize(request: HttpRequest, requirement: RouteRequirement): Authorization {
    // The start time only feeds the decision log's latency.
    const started = this.logged ? this.clock.now() : 0;
    // One property read when nothing listens (telemetry off, no access log).
    const scope = this.telemetry.enabled
      ? startScope(this.telemetry, request, requirement)
      : undefined;
    let outcome: AuthContext | Promise<AuthContext>;
    try {
      prepareResourcePath(request, this.stageArnPrefixLength, this.routeTemplates);
      outcome =
        scope === undefined
          ? this.dispatch(request, requirement)
          : scope.run(() => this.dispatch(request, requirement));
    } catch (thrown) {
      throw this.refused(thrown, request, requirement, started, scope);
    }
    // What the facade returns asynchronously is always a native promise.
    if (!isPending(outcome)) {
      this.allowed(outcome, request, requirement, started, scope);
      return outcome;
    }
    return Promise.resolve(outcome).then(
      (context) => {
        this.allowed(context, request, requirement, started, scope);
        return context;
      },
      (thrown: unknown) => {
        throw this.refused(thrown, request, requirement, started, scope);
      },
    );
  }

  /**
   * Authorizes a request by the API definition (`apiDefinition`): finds the route API Gateway would
   * match (method and path template), enforces its requirement and API key, and refuses a route the
   * definition does not cover as API Gateway refuses an unknown route (PIPE-02), unless
   * `uncoveredRoutes` is `allow`. Resolves with the caller's context, or `null` for a route without
   * authorization; rejects (or throws) with an {@link AuthError}.
   * @param overrides requirements replacing the definition's, by `METHOD /path/{template}`.
   */
  authorizeByDefinition(
    request: HttpRequest,
    overrides?: ReadonlyMap<string, RouteRequirement | null>,
  ): DefinitionOutcome {
    const definition = this.definition;
    if (!definition)
      throw new ConfigError('gateway-auth options', [
        { path: 'apiDefinition', message: 'not configured' },
      ]);
    return enforceDefinition(definition, request, overrides, this.definitionHooks);
  }

  /** What enforcement borrows from the gateway; built once (the hot path allocates nothing). */
  private readonly definitionHooks: EnforcementHooks = {
    prepare: (r) => {
      try {
        prepareResourcePath(r, this.stageArnPrefixLength, this.routeTemplates);
      } catch (thrown) {
        throw this.refusedByDefinition(thrown, r);
      }
    },
    authorize: (r, requirement) => this.authorize(r, requirement),
    refuse: (error, r) => this.refusedByDefinition(error, r),
  };

  /** Renders a refusal with API Gateway's status, body and headers (after customisation). */
  render(error: AuthError, context: RenderContext = {}): RenderedResponse {
    return renderGatewayResponse(error, this.options.gatewayResponses, context);
  }

  /**
   * API Gateway's answer to a request body over {@link bodyLimitBytes} (413, plain text), logged as
   * `request.body_too_large`. Adapters write it before authorizing, without reading the body on.
   * @param request what is known of the request, for the log record
   */
  refuseBodyTooLarge(request: {
    method?: string;
    url?: string;
    contentLength?: number;
  }): RenderedResponse {
    if (logsAt(this.logger, 'warn')) {
      this.logger.log('warn', 'request.body_too_large', {
        method: request.method,
        path: request.url?.split('?', 1)[0],
        contentLength: request.contentLength,
        limitBytes: this.bodyLimitBytes,
      });
    }
    return bodyTooLargeResponse(this.bodyLimitBytes);
  }

  /**
   * Drops one identity's cached Lambda-authorizer decision (identity-source values in configured
   * order; TOKEN: `[token]`), e.g. after a token is revoked.
   */
  async invalidateAuthorizerCache(name: string, identityValues: readonly string[]): Promise<void> {
    await this.custom?.invalidate(name, identityValues);
  }

  /** Drops every cached decision of one Lambda authorizer ("flush authorizer cache"). */
  async flushAuthorizerCache(name: string): Promise<void> {
    await this.custom?.flush(name);
  }

  /**
   * The health of what authorization depends on, for health endpoints (`@nestjs/terminus`
   * indicators in `nest/`): each JWKS (healthy while keys are cached, even with the endpoint down),
   * the shared Redis decision cache (a PING) and each Lambda authorizer (from its recent
   * invocations). Never throws. See docs/observability.md for readiness vs liveness.
   */
  async health(options: HealthCheckOptions = {}): Promise<DependencyHealth> {
    const [jwks, redis] = await Promise.all([
      this.jwksHealth(options.jwksMaxStaleSeconds),
      this.redisHealth(options.redisTimeoutMs),
    ]);
    return {
      jwks,
      redis,
      authorizers: this.authorizerHealth(options.authorizerFailuresBeforeUnhealthy),
    };
  }

  /**
   * Each JWKS the Cognito model and the named Cognito authorizers fetch (fetched first if never
   * fetched); see {@link health}.
   */
  async jwksHealth(maxStaleSeconds?: number): Promise<JwksHealth[]> {
    const models = this.cognito
      ? [this.cognito, ...this.namedCognito.values()]
      : [...this.namedCognito.values()];
    const reports = await Promise.all(models.map((model) => model.jwksHealth(maxStaleSeconds)));
    return reports.flat();
  }

  /** A PING of the shared Redis decision cache; `undefined` when decisions are not in Redis. */
  async redisHealth(timeoutMs?: number): Promise<RedisHealth | undefined> {
    return this.custom?.redisHealth(timeoutMs);
  }

  /** Each Lambda authorizer, from its recent invocations; see {@link health}. */
  authorizerHealth(failuresBeforeUnhealthy?: number): AuthorizerHealth[] {
    return this.custom?.health(failuresBeforeUnhealthy) ?? [];
  }

  /** Stops timers, watchers and connections of every model; flushes EMF metrics. */
  async close(): Promise<void> {
    await Promise.all([
      this.iam?.close?.(),
      this.cognito?.close?.(),
      this.custom?.close?.(),
      ...[...this.namedCognito.values()].map((c) => c.close?.()),
    ]);
    for (const source of this.definition?.ownedKeySources ?? []) source.close?.();
    if (this.identityStore?.owned) await this.identityStore.store.close();
    this.telemetry.close();
  }

  private dispatch(
    request: HttpRequest,
    requirement: RouteRequirement,
  ): AuthContext | Promise<AuthContext> {
    switch (requirement.model) {
      case 'iam':
        return run(this.iam, 'iam', request, requirement.options);
      case 'cognito': {
        const name = requirement.options.authorizer;
        if (name === undefined) return run(this.cognito, 'cognito', request, requirement.options);
        return run(
          this.namedCognito.get(name),
          `cognitoAuthorizers.${name}`,
          request,
          requirement.options,
        );
      }
      case 'custom':
        return run(this.custom, 'authorizers', request, requirement.options);
    }
  }

  /** Logs a refusal the definition made before (or instead of) a model, and returns it. */
  private refusedByDefinition(thrown: unknown, request: HttpRequest): AuthError {
    const error = toAuthError(thrown, 'apiDefinition enforcement failed unexpectedly');
    if (logsAt(this.logger, 'warn')) {
      this.logger.log('warn', 'authorization', {
        model: 'apiDefinition',
        requestId: request.requestId,
        httpMethod: request.method,
        path: request.path,
        sourceIp: request.sourceIp,
        status: renderGatewayResponse(error, this.options.gatewayResponses).statusCode,
        errorCode: error.code,
        responseType: error.responseType,
        reason: error.reason,
      });
    }
    return error;
  }

  /** Whether decisions are logged at all (a silent logger makes the hot path skip the fields). */
  private get logged(): boolean {
    return logsAt(this.logger, 'warn') || logsAt(this.logger, 'info');
  }

  private allowed(
    context: AuthContext,
    request: HttpRequest,
    requirement: RouteRequirement,
    started: number,
    scope: AuthorizationScope | undefined,
  ): void {
    scope?.end({ context, error: undefined, statusCode: 200 });
    if (!logsAt(this.logger, 'info')) return;
    this.logDecision('info', request, requirement, started, {
      status: 200,
      ...principalFields(context),
    });
  }

  private refused(
    thrown: unknown,
    request: HttpRequest,
    requirement: RouteRequirement,
    started: number,
    scope: AuthorizationScope | undefined,
  ): AuthError {
    const error = toAuthError(thrown, `${requirement.model} authorization failed unexpectedly`);
    const statusCode = responseStatus(error, this.options.gatewayResponses);
    scope?.end({ context: undefined, error, statusCode });
    if (logsAt(this.logger, 'warn')) {
      this.logDecision('warn', request, requirement, started, {
        status: statusCode,
        errorCode: error.code,
        responseType: error.responseType,
        reason: error.reason,
        category: error.category,
      });
    }
    return error;
  }

  private logDecision(
    level: 'info' | 'warn',
    request: HttpRequest,
    requirement: RouteRequirement,
    started: number,
    fields: Record<string, unknown>,
  ): void {
    this.logger.log(level, 'authorization', {
      model: requirement.model,
      requestId: request.requestId,
      httpMethod: request.method,
      path: request.path,
      sourceIp: request.sourceIp,
      latencyMs: this.clock.now() - started,
      ...fields,
    });
  }
}

/**
 * Adds the canonical resource path the ARN is built from, and refuses a path that only reached its
 * route through the framework's looser matching (case, trailing slash): see `resource-path.ts`.
 */
function prepareResourcePath(
  request: HttpRequest,
  stageArnPrefixLength: number,
  templates: RouteTemplates,
): void {
  if (request.routeMethods !== undefined && !request.routeMethods.includes(request.method)) {
    throw new AuthError('ROUTE_MISMATCH', {
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      message: 'Missing Authentication Token',
      reason: `${request.method} reached a route declared for ${request.routeMethods.join(', ')}: refused as an unknown route (PIPE-02)`,
    });
  }
  const resourcePath = canonicalResourcePath(request.path);
  if (
    request.routePath !== undefined &&
    templates.matches(resourcePath, request.routePath) === false
  ) {
    throw new AuthError('ROUTE_MISMATCH', {
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      message: 'Missing Authentication Token',
      reason: `path ${request.path.slice(0, 256)} does not exactly match route ${request.routePath} (case, trailing slash or encoding): refused as an unknown route (PIPE-02)`,
    });
  }
  checkMethodArnLength(request.method, resourcePath, stageArnPrefixLength);
  // Models fall back to `path`: set the field only when the canonical form differs (no copy: the
  // adapters build a request object per call, and copying would force every lazy field).
  if (resourcePath !== request.path) request.resourcePath = resourcePath;
}

/** API Gateway's limit on the method ARN of an authorized method, bytes (PIPE-08). */
export const MAX_METHOD_ARN_BYTES = 1600;

/**
 * PIPE-08: the method ARN `{stage prefix}{METHOD}/{path without its leading /}` of an authorized
 * method may be at most 1600 bytes; a longer runtime path is answered 414 before any model runs.
 */
function checkMethodArnLength(method: string, path: string, stageArnPrefixLength: number): void {
  const fixed = stageArnPrefixLength + method.length + 1 - (path.startsWith('/') ? 1 : 0);
  // Characters count as bytes until a path could only pass the limit as UTF-8 multi-byte text.
  if (fixed + path.length * 3 <= MAX_METHOD_ARN_BYTES) return;
  const bytes = fixed + Buffer.byteLength(path, 'utf8');
  if (bytes <= MAX_METHOD_ARN_BYTES) return;
  throw new AuthError('METHOD_ARN_TOO_LONG', {
    responseType: 'DEFAULT_4XX',
    statusCode: 414,
    message: 'Request URI too long',
    reason: `the method ARN would be ${bytes} bytes, over API Gateway's ${MAX_METHOD_ARN_BYTES} (PIPE-08)`,
  });
}

/** Starts the telemetry of one authorization (the authorizer's name for Lambda authorizers). */
function startScope(
  telemetry: AuthTelemetry,
  request: HttpRequest,
  requirement: RouteRequirement,
): AuthorizationScope {
  return telemetry.startAuthorization(
    request,
    requirement.model,
    requirement.model === 'custom' ? requirement.options.name : undefined,
  );
}

/** One model's answer, synchronous when it can give one (see `Authenticator.authorize`). */
function run<TRoute>(
  model: Authenticator<TRoute> | undefined,
  section: string,
  request: HttpRequest,
  options: TRoute,
): AuthContext | Promise<AuthContext> {
  if (!model) throw notConfigured(section);
  return model.authorize(request, options);
}

function notConfigured(section: string): AuthError {
  return new AuthError('MODEL_NOT_CONFIGURED', {
    responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
    message: null,
    errorType: 'AuthorizerConfigurationException',
    reason: `the route needs the "${section}" section of the gateway-auth options, which is not set`,
    category: 'infrastructure',
  });
}

function principalFields(context: AuthContext): Record<string, unknown> {
  switch (context.type) {
    case 'AWS_IAM':
      return { principal: context.identity.userArn, accessKey: context.identity.accessKey };
    case 'COGNITO_USER_POOLS':
    case 'JWT':
      return { principal: context.claims.sub, issuer: context.issuer };
    case 'CUSTOM':
      return { principal: context.principalId, authorizer: context.authorizerName };
  }
}

/** The options with what an API definition adds: its authorizers, resource policy, gateway responses. */
function withDefinition(
  options: GatewayAuthOptions,
  applied: AppliedDefinition,
): GatewayAuthOptions {
  return {
    ...options,
    authorizers:
      Object.keys(applied.authorizers).length > 0
        ? { ...options.authorizers, ...applied.authorizers }
        : options.authorizers,
    cognitoAuthorizers:
      Object.keys(applied.cognitoAuthorizers).length > 0
        ? { ...options.cognitoAuthorizers, ...applied.cognitoAuthorizers }
        : options.cognitoAuthorizers,
    resourcePolicy: options.resourcePolicy ?? applied.resourcePolicy,
    gatewayResponses:
      applied.gatewayResponses === undefined
        ? options.gatewayResponses
        : { ...applied.gatewayResponses, ...options.gatewayResponses },
  };
}

/**
 * The store shared by every task for identity proofs and IAM policy reads: the authorizer cache's
 * own `store`, or a Redis connection of its own to the authorizer cache's `redis` URL (prefix
 * `gateway-auth:identity:`). None when the service caches in process only, or when neither
 * identity proofs nor Lattice are configured (nothing to share).
 */
function sharedIdentityStore(
  options: GatewayAuthOptions,
): { store: DecisionCache; owned: boolean } | undefined {
  const iam = options.iam;
  if (iam === undefined || (iam.lattice === undefined && !iam.identityProofs)) return undefined;
  if (options.cache?.store) return { store: options.cache.store, owned: false };
  if (!options.cache?.redis) return undefined;
  return {
    store: new RedisDecisionCache({
      redis: options.cache.redis,
      operationTimeoutMs: options.cache.redisOperationTimeoutMs,
      keyPrefix: 'gateway-auth:identity:',
      logger: options.logger,
      clock: options.clock,
    }),
    owned: true,
  };
}

function validateApiOptions(api: ApiOptions | undefined): void {
  const issues: ConfigIssue[] = [];
  if (!api) {
    issues.push({ path: 'api', message: 'required: { region, accountId, apiId, stage }' });
  } else {
    if (!isAwsRegion(api.region)) {
      issues.push({
        path: 'api.region',
        message: `must be an AWS region such as us-east-1, got ${JSON.stringify(api.region)}`,
      });
    }
    if (typeof api.accountId !== 'string' || !/^\d{12}$/.test(api.accountId)) {
      issues.push({
        path: 'api.accountId',
        message: `must be a 12-digit AWS account id, got ${JSON.stringify(api.accountId)}`,
      });
    }
    if (typeof api.apiId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(api.apiId)) {
      issues.push({ path: 'api.apiId', message: 'must be 1-64 letters, digits, "-" or "_"' });
    }
    if (typeof api.stage !== 'string' || !/^[A-Za-z0-9_$-]{1,128}$/.test(api.stage)) {
      issues.push({
        path: 'api.stage',
        message: 'must be a stage name: letters, digits, "-", "_" or "$"',
      });
    }
  }
  if (issues.length > 0) throw new ConfigError('gateway-auth options', issues);
}
