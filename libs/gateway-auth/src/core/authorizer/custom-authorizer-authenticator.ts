import { apiArnPrefix } from '../arn/execute-api-arn';
import type { AuthContext, CustomAuthContext } from '../auth-context';
import type { Authenticator, SharedServices } from '../authenticator';
import type { MemoryDecisionCacheOptions } from '../cache/memory-decision-cache';
import { createDecisionCache } from '../cache/create-decision-cache';
import { RedisDecisionCache, type RedisHealth } from '../cache/redis-decision-cache';
import type { CachedDecision, DecisionCache } from '../cache/decision-cache';
import { SingleFlight } from '../cache/single-flight';
import { ConfigError, type ConfigIssue } from '../errors';
import type { HttpRequest } from '../http-request';
import { evaluatePolicies, type Decision } from '../iam';
import {
  accessDenied,
  authorizerFailure,
  resourcePolicyDenied,
  unauthorized,
  type ApiFlavour,
} from './authorizer-outcomes';
import { validateAuthorizerOptions, type AuthorizerOptions } from './authorizer-options';
import { AnswerInterner, type AuthorizerAnswer } from './answer-interner';
import {
  CompiledPolicyMemo,
  MalformedAuthorizerResponseError,
  parseAuthorizerResponse,
  type AuthorizerResult,
  type ResponseFormat,
} from './authorizer-response';
import { anonymousConditionContext } from './condition-context';
import { buildRequestEvent } from './events/request-event';
import { buildRequestEventV2 } from './events/request-event-v2';
import { buildTokenEvent } from './events/token-event';
import {
  headerSourceValue,
  parseIdentitySources,
  resolveIdentitySources,
  type IdentitySource,
} from './identity-source';
import { AuthorizerUnauthorizedError, type AuthorizerInvoker } from './invokers/authorizer-invoker';
import { BoundedInvoker } from './invokers/bounded-invoker';
import { HttpInvoker } from './invokers/http-invoker';
import { InProcessInvoker } from './invokers/in-process-invoker';
import { LambdaInvoker } from './invokers/lambda-invoker';
import { PolicyResults } from './policy-result';
import { RequestView } from './request-view';
import {
  noopTelemetry,
  type AuthTelemetry,
  type AuthorizerTarget,
  type CacheLookup,
  type DependencyCall,
} from '../telemetry/auth-telemetry';

export type { AuthorizerOptions } from './authorizer-options';

/** Per-route options of `@CustomAuthorizer(name)`. */
export interface CustomAuthorizerRouteOptions {
  name: string;
}

/**
 * Where Lambda-authorizer decisions are cached (the `cache` section of the gateway-auth options).
 * Default: in process (`@cacheable/node-cache`, no cloning).
 * @example cache: { redis: process.env.AUTHORIZER_CACHE_REDIS_URL }
 */
export interface AuthorizerCacheOptions {
  /** A Redis URL: share decisions between every task of the service. Empty/undefined: in process. */
  redis?: string;
  /** Longest a Redis read/write may take before the authorizer is invoked instead, ms. Default 200. */
  redisOperationTimeoutMs?: number;
  /** Redis key prefix. Default `gateway-auth:authorizer:`. */
  redisKeyPrefix?: string;
  /** In-process store settings. */
  memory?: MemoryDecisionCacheOptions;
  /** Any other store (then `redis`/`memory` are ignored; you close it). */
  store?: DecisionCache;
}

type SyncDecisionCache = DecisionCache & Required<Pick<DecisionCache, 'getSync'>>;

interface Authorizer {
  name: string;
  flavour: ApiFlavour;
  event: 'TOKEN' | 'REQUEST' | '1.0' | '2.0';
  format: ResponseFormat;
  sources: IdentitySource[];
  /** The lowercase header name when the only identity source is one header (TOKEN authorizers). */
  singleHeader: string | undefined;
  validation?: RegExp;
  ttlSeconds: number;
  invoker: BoundedInvoker;
  namespace: string;
  /** This authorizer's distinct answers: cache entries of equal answers share one (issue 11). */
  answers: AnswerInterner;
  denyBodyKey: 'Message' | 'message';
  /** What telemetry is told of this authorizer's invocations and cache lookups (built once). */
  call: DependencyCall;
  missLookup: CacheLookup;
  hitLookup: CacheLookup;
  /** Outcomes of recent invocations, for health checks. */
  health: AuthorizerHealthState;
}

/** What the health check knows of one authorizer: its recent invocations (passive). */
interface AuthorizerHealthState {
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  consecutiveFailures: number;
  lastError: string | undefined;
}

/** The health of one Lambda authorizer as seen from its invocations. */
export interface AuthorizerHealth {
  name: string;
  target: AuthorizerTarget;
  /** False after `unhealthyAfterFailures` consecutive invocations failed to reach the function. */
  healthy: boolean;
  consecutiveFailures: number;
  /** Epoch ms of the last invocation that got an answer (Allow, Deny or `Unauthorized`). */
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
  lastError: string | undefined;
}

/**
 * Lambda authorizers as API Gateway runs them: builds the TOKEN / REQUEST / HTTP API 1.0 / 2.0
 * event, checks identity sources before invoking (401), invokes the function (in process, AWS
 * Lambda or HTTP) with a timeout and a concurrency bound, validates the response, caches it per
 * identity-source tuple for `ttlSeconds` (single flight on misses) and evaluates the returned policy
 * against each request's method ARN — cached or not (LC-02) — combined with the resource policy
 * (PIPE-04 pre-check, RP-03/RP-05). Every failure denies: 401, 403, or 500 as API Gateway answers.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 */
export class CustomAuthorizerAuthenticator implements Authenticator<CustomAuthorizerRouteOptions> {
  private readonly compiled = new Map<string, Authorizer>();
  private readonly cache: DecisionCache;
  private readonly ownsCache: boolean;
  /** The cache again when it answers synchronously (in process): hits then skip a promise. */
  private readonly syncCache?: SyncDecisionCache;
  private readonly flights = new SingleFlight<AuthorizerResult>();
  private readonly compiledPolicies = new CompiledPolicyMemo();
  private readonly policyResults: PolicyResults;
  /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/`, computed once. */
  private readonly stagePrefix: string;
  private readonly telemetry: AuthTelemetry;
  /** Which kind of store the decision cache is (telemetry attribute). */
  private readonly store: CacheLookup['store'];

  /**
   * Validates every authorizer and builds its invoker and the decision cache.
   * @throws ConfigError listing every invalid field (`authorizers.<name>.<field>`).
   */
  constructor(
    readonly authorizers: Readonly<Record<string, AuthorizerOptions>>,
    readonly shared: SharedServices,
    cacheOptions: AuthorizerCacheOptions = {},
  ) {
    this.stagePrefix = `${apiArnPrefix(shared.api)}/${shared.api.stage}/`;
    this.telemetry = shared.telemetry ?? noopTelemetry;
    this.store = cacheOptions.store ? 'custom' : cacheOptions.redis ? 'redis' : 'memory';
    this.policyResults = new PolicyResults(shared, (request) => this.methodArn(request));
    const issues: ConfigIssue[] = [];
    for (const [name, options] of Object.entries(authorizers)) {
      const optionIssues = validateAuthorizerOptions(name, options);
      issues.push(...optionIssues);
      if (optionIssues.length === 0) {
        const built = this.build(name, options, issues);
        if (built) this.compiled.set(name, built);
      }
    }
    if (issues.length > 0) throw new ConfigError('gateway-auth authorizers', issues);
    this.cache = createDecisionCache(cacheOptions, shared);
    this.ownsCache = cacheOptions.store === undefined;
    if (this.cache.getSync) this.syncCache = this.cache as SyncDecisionCache;
  }

  /**
   * The caller's context, answered synchronously when the decision is already cached in process
   * (no await between the request and the decision); a promise when the authorizer must be invoked
   * or a shared store read. A refusal known without I/O is thrown.
   */
  authorize(
    request: HttpRequest,
    route: CustomAuthorizerRouteOptions,
  ): AuthContext | Promise<AuthContext> {
    const authorizer = this.compiled.get(route.name);
    if (!authorizer) {
      throw authorizerFailure('rest', `no authorizer named "${route.name}" is configured`);
    }
    const { api, resourcePolicy } = this.shared;
    const view = new RequestView(request, api, this.shared.clock.now());
    // Built only when needed: a memoized decision of a cache hit does not need the ARN text.
    let methodArn: string | undefined;
    if (resourcePolicy && authorizer.flavour === 'rest') {
      methodArn = this.methodArn(request);
      this.preCheck(view, methodArn);
    }

    // One header (every TOKEN authorizer) is read without the general resolution's list.
    const single = authorizer.singleHeader;
    const values =
      single === undefined
        ? resolveIdentitySources(authorizer.sources, view, api.stageVariables ?? {})
        : headerSourceValue(request, single);
    if (values === undefined || values === '') {
      throw unauthorized('an identity source is missing or empty; the authorizer was not invoked');
    }
    const first = typeof values === 'string' ? values : values[0];
    if (authorizer.validation && !authorizer.validation.test(first ?? '')) {
      throw unauthorized('the token does not match identityValidationExpression; not invoked');
    }
    if (authorizer.ttlSeconds === 0 || values.length === 0) {
      const list = typeof values === 'string' ? [values] : values;
      return this.invokeAndDecide(authorizer, view, methodArn ?? this.methodArn(request), list);
    }
    const key =
      typeof values === 'string'
        ? values
        : values.length === 1
          ? (values[0] as string)
          : JSON.stringify(values);
    if (this.syncCache) {
      const entry = this.syncCache.getSync(authorizer.namespace, key);
      const hit = entry && this.decodeIfFresh(authorizer, entry, view.now);
      this.telemetry.cacheLookup(request, hit ? authorizer.hitLookup : authorizer.missLookup);
      if (hit) return this.decide(authorizer, hit, view, methodArn, 0);
    }
    return this.lookUpOrInvoke(
      authorizer,
      view,
      methodArn ?? this.methodArn(request),
      typeof values === 'string' ? [values] : values,
      key,
    );
  }

  /** The method ARN of the request (ARN-01/02), from the API prefix computed once. */
  private methodArn(request: HttpRequest): string {
    const path = request.resourcePath ?? request.path;
    return `${this.stagePrefix}${request.method}/${path.startsWith('/') ? path.slice(1) : path}`;
  }

  private async invokeAndDecide(
    authorizer: Authorizer,
    view: RequestView,
    methodArn: string,
    values: readonly string[],
  ): Promise<AuthContext> {
    const started = performance.now();
    const { result } = await this.invoke(authorizer, view, methodArn, values);
    return this.decide(authorizer, result, view, methodArn, performance.now() - started);
  }

  /** The shared store's entry when fresh, else the authorizer (single flight per identity). */
  private async lookUpOrInvoke(
    authorizer: Authorizer,
    view: RequestView,
    methodArn: string,
    values: readonly string[],
    key: string,
  ): Promise<AuthContext> {
    if (!this.syncCache) {
      const entry = await this.cache.get(authorizer.namespace, key);
      const hit = entry && this.decodeIfFresh(authorizer, entry, view.now);
      this.telemetry.cacheLookup(view.request, hit ? authorizer.hitLookup : authorizer.missLookup);
      if (hit) return this.decide(authorizer, hit, view, methodArn, 0);
    }

    const started = performance.now();
    const result = await this.flights.run(`${authorizer.namespace}\u0000${key}`, async () => {
      const again = await this.cache.get(authorizer.namespace, key);
      const raced = again && this.decodeIfFresh(authorizer, again, this.shared.clock.now());
      if (raced) return raced;
      const fresh = await this.invoke(authorizer, view, methodArn, values);
      // The answer is shared with every entry holding an equal one: an entry adds its key only.
      const stored: CachedDecision = {
        payload: fresh.payload,
        expiresAt: this.shared.clock.now() + authorizer.ttlSeconds * 1000,
        decoded: fresh.result,
        parts: fresh.parts,
      };
      await this.cache.set(authorizer.namespace, key, stored, authorizer.ttlSeconds);
      return fresh.result;
    });
    return this.decide(authorizer, result, view, methodArn, performance.now() - started);
  }

  /**
   * Removes one identity's cached decision, e.g. after its token is revoked.
   * @param identityValues the identity-source values in configured order (TOKEN: `[token]`).
   */
  async invalidate(name: string, identityValues: readonly string[]): Promise<void> {
    const authorizer = this.require(name);
    const key =
      identityValues.length === 1 ? (identityValues[0] as string) : JSON.stringify(identityValues);
    await this.cache.delete(authorizer.namespace, key);
  }

  /** Removes every cached decision of one authorizer (API Gateway's "flush authorizer cache"). */
  async flush(name: string): Promise<void> {
    await this.cache.flush(this.require(name).namespace);
  }

  /**
   * Each authorizer's health as seen from its recent invocations: unhealthy after
   * `unhealthyAfterFailures` consecutive invocations that got no answer from the function (network
   * errors, timeouts, throttles, missing permissions). A Deny or `Unauthorized` is an answer.
   */
  health(unhealthyAfterFailures = 3): AuthorizerHealth[] {
    return [...this.compiled.values()].map((a) => ({
      name: a.name,
      target: a.call.kind === 'authorizer' ? a.call.target : 'custom',
      healthy: a.health.consecutiveFailures < unhealthyAfterFailures,
      consecutiveFailures: a.health.consecutiveFailures,
      lastSuccessAt: a.health.lastSuccessAt,
      lastFailureAt: a.health.lastFailureAt,
      lastError: a.health.lastError,
    }));
  }

  /** A PING of the shared Redis decision cache; `undefined` when decisions are cached elsewhere. */
  async redisHealth(timeoutMs?: number): Promise<RedisHealth | undefined> {
    return this.cache instanceof RedisDecisionCache ? this.cache.ping(timeoutMs) : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([...this.compiled.values()].map((a) => a.invoker.close()));
    if (this.ownsCache) await this.cache.close();
  }

  private build(
    name: string,
    options: AuthorizerOptions,
    issues: ConfigIssue[],
  ): Authorizer | undefined {
    const http = options.payloadFormatVersion !== undefined;
    const path = `authorizers.${name}.identitySource`;
    const { sources, issues: sourceIssues } = parseIdentitySources(
      options.identitySource ??
        (options.type === 'TOKEN' ? 'method.request.header.Authorization' : undefined),
      http ? 'http' : 'rest',
      path,
    );
    issues.push(...sourceIssues);
    if (options.type === 'TOKEN' && (sources.length !== 1 || sources[0]?.kind !== 'header')) {
      issues.push({
        path,
        message: 'a TOKEN authorizer takes exactly one method.request.header.<name>',
      });
    }
    if (sourceIssues.length > 0) return undefined;
    // "  , " or ['', ' '] passes the option check but parses to no source at all: every caller
    // would then share one cache key, and the first caller's Allow would serve everyone.
    if (sources.length === 0 && (options.ttlSeconds ?? 300) !== 0) {
      issues.push({
        path,
        message:
          'caching (ttlSeconds > 0) needs at least one non-empty identity source (LR-04, HL-05)',
      });
      return undefined;
    }
    let target: AuthorizerInvoker;
    try {
      target = this.makeInvoker(name, options);
    } catch (error) {
      // A missing optional dependency (@aws-sdk/client-lambda), reported with the other issues.
      if (!(error instanceof ConfigError)) throw error;
      issues.push(
        ...error.issues.map((issue) => ({ ...issue, path: `authorizers.${name}.functionName` })),
      );
      return undefined;
    }
    const invoker = new BoundedInvoker(
      target,
      options.timeoutMs ?? 10_000,
      options.maxConcurrency ?? 100,
    );
    const { api } = this.shared;
    return {
      name,
      flavour: http ? 'http' : 'rest',
      event: options.payloadFormatVersion ?? options.type,
      format:
        options.payloadFormatVersion === undefined
          ? 'rest'
          : options.payloadFormatVersion === '2.0' && options.enableSimpleResponses
            ? '2.0-simple'
            : options.payloadFormatVersion,
      sources,
      singleHeader:
        sources.length === 1 && sources[0]?.kind === 'header' ? sources[0].key : undefined,
      validation:
        options.identityValidationExpression === undefined
          ? undefined
          : new RegExp(options.identityValidationExpression),
      ttlSeconds: options.ttlSeconds ?? 300,
      invoker,
      // Partitioned per API and stage as well as per authorizer (Q-L-6).
      namespace: `${api.apiId}/${api.stage}/${name}`,
      answers: new AnswerInterner(),
      denyBodyKey: options.denyBodyKey ?? 'Message',
      call: {
        kind: 'authorizer',
        authorizer: name,
        target: options.handler
          ? 'in-process'
          : options.functionName
            ? 'lambda'
            : options.url
              ? 'http'
              : 'custom',
        ...(options.functionName === undefined ? {} : { functionName: options.functionName }),
      },
      missLookup: Object.freeze({ authorizer: name, store: this.store, hit: false }),
      hitLookup: Object.freeze({ authorizer: name, store: this.store, hit: true }),
      health: {
        lastSuccessAt: undefined,
        lastFailureAt: undefined,
        consecutiveFailures: 0,
        lastError: undefined,
      },
    };
  }

  private makeInvoker(name: string, options: AuthorizerOptions): AuthorizerInvoker {
    if (options.handler) return new InProcessInvoker(options.handler, name);
    if (options.functionName) {
      return new LambdaInvoker({
        functionName: options.functionName,
        qualifier: options.qualifier,
        clientConfig: options.lambdaClientConfig,
      });
    }
    if (options.url) return new HttpInvoker({ url: options.url });
    return options.invoker as AuthorizerInvoker;
  }

  private require(name: string): Authorizer {
    const authorizer = this.compiled.get(name);
    if (!authorizer) throw new Error(`no authorizer named "${name}" is configured`);
    return authorizer;
  }

  /** PIPE-04: an explicit Deny in the resource policy refuses before the authorizer runs. */
  private preCheck(view: RequestView, methodArn: string): void {
    const { resourcePolicy } = this.shared;
    let decision: Decision | undefined;
    try {
      decision = evaluatePolicies(
        { identityPolicies: [], resourcePolicy },
        {
          principal: undefined,
          action: 'execute-api:Invoke',
          resource: methodArn,
          context: anonymousConditionContext(view),
        },
      ).resourceDecision;
    } catch (error) {
      throw authorizerFailure('rest', 'resource policy pre-check failed', error);
    }
    if (decision === 'explicitDeny') throw resourcePolicyDenied(methodArn);
  }

  private async invoke(
    authorizer: Authorizer,
    view: RequestView,
    methodArn: string,
    values: readonly string[],
  ): Promise<AuthorizerAnswer> {
    const stageVariables = this.shared.api.stageVariables ?? {};
    let event: unknown;
    switch (authorizer.event) {
      case 'TOKEN':
        event = buildTokenEvent(values[0] ?? '', methodArn);
        break;
      case 'REQUEST':
        event = buildRequestEvent(view, methodArn, stageVariables);
        break;
      case '1.0':
        event = buildRequestEvent(view, methodArn, stageVariables, values);
        break;
      case '2.0':
        event = buildRequestEventV2(view, methodArn, stageVariables, values);
        break;
    }
    let response: unknown;
    const started = performance.now();
    try {
      response = await this.telemetry.call(authorizer.call, (trace) =>
        authorizer.invoker.invoke(event, {
          requestId: view.requestId,
          // Read only by invokers that forward trace context (Lambda, HTTP).
          get traceHeaders() {
            return trace.headers;
          },
        }),
      );
      this.invoked(authorizer, view, started, undefined);
    } catch (error) {
      this.invoked(authorizer, view, started, error);
      if (error instanceof AuthorizerUnauthorizedError) {
        throw unauthorized('the authorizer function failed with "Unauthorized" (LO-05)');
      }
      const detail = error instanceof Error ? error.message : 'unknown failure';
      throw authorizerFailure(
        authorizer.flavour,
        `authorizer "${authorizer.name}": ${detail}`,
        error,
      );
    }
    try {
      const answer = parseAuthorizerResponse(
        response,
        authorizer.format,
        `authorizer:${authorizer.name}`,
        this.compiledPolicies,
      );
      // Only an answer about to be cached is shared; with ttlSeconds 0 it is used once.
      return authorizer.ttlSeconds > 0 ? authorizer.answers.intern(answer) : answer;
    } catch (error) {
      const detail =
        error instanceof MalformedAuthorizerResponseError ? error.message : 'invalid response';
      throw authorizerFailure(
        authorizer.flavour,
        `authorizer "${authorizer.name}": ${detail}`,
        error,
      );
    }
  }

  /** Tells telemetry and the health state how an invocation went. */
  private invoked(
    authorizer: Authorizer,
    view: RequestView,
    started: number,
    error: unknown,
  ): void {
    // `Unauthorized` is the function's answer (Lambda returned 200 with a function error).
    const answered = error === undefined || error instanceof AuthorizerUnauthorizedError;
    const health = authorizer.health;
    const now = this.shared.clock.now();
    if (answered) {
      health.lastSuccessAt = now;
      health.consecutiveFailures = 0;
    } else {
      health.lastFailureAt = now;
      health.consecutiveFailures += 1;
      health.lastError = error instanceof Error ? error.message.slice(0, 256) : 'failed';
    }
    this.telemetry.authorizerInvoked(view.request, {
      latencyMs: performance.now() - started,
      status: answered ? 200 : undefined,
    });
  }

  /** The entry's result when not expired by the injected clock; `undefined` otherwise. */
  private decodeIfFresh(
    authorizer: Authorizer,
    entry: CachedDecision,
    now: number,
  ): AuthorizerResult | undefined {
    if (entry.expiresAt <= now) return undefined;
    if (entry.decoded !== undefined) return entry.decoded as AuthorizerResult;
    // A shared store's text: decoded once per distinct answer (per authorizer, so per format).
    const known = authorizer.answers.get(entry.payload);
    if (known) return known.result;
    try {
      const answer = parseAuthorizerResponse(
        JSON.parse(entry.payload) as unknown,
        authorizer.format,
        `authorizer:${authorizer.name}`,
        this.compiledPolicies,
      );
      // Interned under the stored text (what the next read of it looks up).
      return authorizer.answers.intern({ result: answer.result, payload: entry.payload }).result;
    } catch {
      return undefined; // an unreadable entry is a miss: the authorizer decides again.
    }
  }

  /** Evaluates the (possibly cached) result against this request's method ARN (LC-02, RP-05). */
  private decide(
    authorizer: Authorizer,
    result: AuthorizerResult,
    view: RequestView,
    methodArn: string | undefined,
    latencyMs: number,
  ): CustomAuthContext {
    if (result.kind === 'simple') {
      if (!result.isAuthorized) {
        throw accessDenied(false, 'http', authorizer.denyBodyKey, 'isAuthorized is false');
      }
      return {
        type: 'CUSTOM',
        authorizerName: authorizer.name,
        principalId: null,
        authorizer: { lambda: result.context },
        sourceIp: view.request.sourceIp,
      };
    }
    const derived = this.policyResults.derive(
      result,
      authorizer.flavour,
      authorizer.ttlSeconds > 0,
    );
    let decision: Decision;
    let resourceDecision: Decision | undefined;
    try {
      [decision, resourceDecision] = this.policyResults.evaluate(derived, view, methodArn);
    } catch (error) {
      throw authorizerFailure(authorizer.flavour, 'evaluating the authorizer policy failed', error);
    }
    if (decision === 'explicitDeny' && resourceDecision === 'explicitDeny') {
      throw resourcePolicyDenied(methodArn ?? this.methodArn(view.request));
    }
    if (decision !== 'allowed') {
      throw accessDenied(
        decision === 'explicitDeny',
        authorizer.flavour,
        authorizer.denyBodyKey,
        `the authorizer policy for principal "${result.principalId}" does not allow ${view.request.method} ${view.request.path} (${decision})`,
      );
    }
    const context: Readonly<Record<string, unknown>> =
      authorizer.event === '2.0'
        ? { lambda: result.context }
        : latencyMs === 0
          ? derived.hitContext
          : { ...derived.strings, integrationLatency: Math.round(latencyMs) };
    const auth: CustomAuthContext = {
      type: 'CUSTOM',
      authorizerName: authorizer.name,
      principalId: result.principalId,
      authorizer: context,
      sourceIp: view.request.sourceIp,
    };
    if (result.usageIdentifierKey !== undefined) {
      auth.usageIdentifierKey = result.usageIdentifierKey;
    }
    return auth;
  }
}
