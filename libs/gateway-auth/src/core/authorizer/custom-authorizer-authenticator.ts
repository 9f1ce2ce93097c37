/**
 * The `@CustomAuthorizer()` model (Lambda authorizers) as one pipeline per request: find the
 * authorizer → resource-policy pre-check → identity sources → cache key → cached answer, or one
 * invocation per identity → decide against the method ARN. Each step lives in its own file; this
 * one wires them and holds the cache maintenance and health operations.
 */
import { apiArnPrefix } from '../arn/execute-api-arn';
import type { AuthContext } from '../auth-context';
import {
  isPending,
  type Authenticator,
  type Authorization,
  type SharedServices,
} from '../authenticator';
import { createDecisionCache, type AuthorizerCacheOptions } from '../cache/create-decision-cache';
import type { DecisionCache } from '../cache/decision-cache';
import { RedisDecisionCache, type RedisHealth } from '../cache/redis-decision-cache';
import type { HttpRequest } from '../http-request';
import { noopTelemetry } from '../telemetry/auth-telemetry';
import { AnswerCache } from './answer-cache';
import { buildAuthorizerDefinitions, type AuthorizerDefinition } from './authorizer-definitions';
import type { AuthorizerHealth } from './authorizer-health';
import type { AuthorizerOptions } from './authorizer-options';
import { authorizerFailure } from './authorizer-outcomes';
import { CompiledPolicyMemo } from './authorizer-response';
import { Decider, FROM_CACHE } from './decide';
import {
  identityCacheKey,
  identityList,
  readIdentity,
  type IdentityValues,
} from './identity-source';
import { invokeAuthorizer, type InvocationServices } from './invoke-authorizer';
import { RequestView } from './request-view';

export type { AuthorizerCacheOptions } from '../cache/create-decision-cache';
export type { AuthorizerHealth } from './authorizer-health';
export type { AuthorizerOptions } from './authorizer-options';

/** Per-route options of `@CustomAuthorizer(name)`. */
export interface CustomAuthorizerRouteOptions {
  name: string;
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
  private readonly definitions: ReadonlyMap<string, AuthorizerDefinition>;
  private readonly store: DecisionCache;
  private readonly ownsStore: boolean;
  private readonly answers: AnswerCache;
  private readonly decider = new Decider();
  private readonly invocation: InvocationServices;
  /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/`, computed once. */
  private readonly stagePrefix: string;

  /**
   * Validates every authorizer and builds its invoker and the decision cache.
   * @throws ConfigError listing every invalid field (`authorizers.<name>.<field>`).
   */
  constructor(
    readonly authorizers: Readonly<Record<string, AuthorizerOptions>>,
    readonly shared: SharedServices,
    cacheOptions: AuthorizerCacheOptions = {},
  ) {
    const telemetry = shared.telemetry ?? noopTelemetry;
    this.stagePrefix = `${apiArnPrefix(shared.api)}/${shared.api.stage}/`;
    this.definitions = buildAuthorizerDefinitions(authorizers, {
      shared,
      store: cacheOptions.store ? 'custom' : cacheOptions.redis ? 'redis' : 'memory',
      compiledPolicies: new CompiledPolicyMemo(),
    });
    this.store = createDecisionCache(cacheOptions, shared);
    this.ownsStore = cacheOptions.store === undefined;
    this.answers = new AnswerCache({ store: this.store, clock: shared.clock, telemetry });
    this.invocation = {
      telemetry,
      clock: shared.clock,
      stageVariables: shared.api.stageVariables ?? {},
    };
  }

  /**
   * The caller's context, answered synchronously when the decision is already cached in process
   * (no await between the request and the decision); a promise when the authorizer must be invoked
   * or a shared store read. A refusal known without I/O is thrown.
   */
  authorize(request: HttpRequest, route: CustomAuthorizerRouteOptions): Authorization {
    const definition = this.definitions.get(route.name);
    if (!definition) {
      throw authorizerFailure('rest', `no authorizer named "${route.name}" is configured`);
    }
    const view = new RequestView(
      request,
      this.shared.api,
      this.shared.clock.now(),
      this.stagePrefix,
    );
    this.decider.preCheck(definition, view);
    const values = readIdentity(definition.identity, view, this.invocation.stageVariables);
    const key = definition.ttlSeconds > 0 ? identityCacheKey(values) : undefined;
    if (key === undefined) return this.invokeAndDecide(definition, view, values);
    const cached = this.answers.lookup(definition, key, view);
    if (isPending(cached)) {
      return cached.then((hit) =>
        hit
          ? this.decider.decide(definition, hit, view, FROM_CACHE)
          : this.loadAndDecide(definition, view, values, key),
      );
    }
    if (cached) return this.decider.decide(definition, cached, view, FROM_CACHE);
    return this.loadAndDecide(definition, view, values, key);
  }

  /**
   * Removes one identity's cached decision, e.g. after its token is revoked.
   * @param identityValues the identity-source values in configured order (TOKEN: `[token]`).
   */
  async invalidate(name: string, identityValues: readonly string[]): Promise<void> {
    const key = identityCacheKey(identityValues);
    if (key !== undefined) await this.answers.delete(this.require(name), key);
  }

  /** Removes every cached decision of one authorizer (API Gateway's "flush authorizer cache"). */
  async flush(name: string): Promise<void> {
    await this.answers.flush(this.require(name));
  }

  /**
   * Each authorizer's health as seen from its recent invocations: unhealthy after
   * `unhealthyAfterFailures` consecutive invocations that got no answer from the function (network
   * errors, timeouts, throttles, missing permissions). A Deny or `Unauthorized` is an answer.
   */
  health(unhealthyAfterFailures = 3): AuthorizerHealth[] {
    return [...this.definitions.values()].map((d) =>
      d.health.report(d.name, d.call.target, unhealthyAfterFailures),
    );
  }

  /** A PING of the shared Redis decision cache; `undefined` when decisions are cached elsewhere. */
  async redisHealth(timeoutMs?: number): Promise<RedisHealth | undefined> {
    return this.store instanceof RedisDecisionCache ? this.store.ping(timeoutMs) : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([...this.definitions.values()].map((d) => d.invoker.close()));
    if (this.ownsStore) await this.store.close();
  }

  /** Not cached (`ttlSeconds: 0`, or no identity value): invoked for this request alone. */
  private async invokeAndDecide(
    definition: AuthorizerDefinition,
    view: RequestView,
    values: IdentityValues,
  ): Promise<AuthContext> {
    const started = performance.now();
    const answer = await invokeAuthorizer(definition, view, identityList(values), this.invocation);
    const latencyMs = performance.now() - started;
    return this.decider.decide(definition, answer, view, { from: 'invocation', latencyMs });
  }

  /** A miss: the answer loaded once per identity (single flight), cached, then decided. */
  private async loadAndDecide(
    definition: AuthorizerDefinition,
    view: RequestView,
    values: IdentityValues,
    key: string,
  ): Promise<AuthContext> {
    const started = performance.now();
    const answer = await this.answers.load(definition, key, () =>
      invokeAuthorizer(definition, view, identityList(values), this.invocation),
    );
    const latencyMs = performance.now() - started;
    return this.decider.decide(definition, answer, view, { from: 'invocation', latencyMs });
  }

  private require(name: string): AuthorizerDefinition {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`no authorizer named "${name}" is configured`);
    return definition;
  }
}
