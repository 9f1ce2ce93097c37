/**
 * Configuration → authorizer definitions: each configured Lambda authorizer validated (every
 * problem at once, each naming its field) and built once into what requests through it read — its
 * identity rule, event and response formats, invoker (in process, Lambda, HTTP or custom, bounded
 * by timeout and concurrency), cache namespace, answers and health.
 */
import type { SharedServices } from '../authenticator';
import { ConfigError, type ConfigIssue } from '../errors';
import type { AuthorizerTarget, CacheLookup, DependencyCall } from '../telemetry/auth-telemetry';
import { AuthorizerAnswers } from './authorizer-answers';
import { AuthorizerHealthState } from './authorizer-health';
import { validateAuthorizerOptions, type AuthorizerOptions } from './authorizer-options';
import type { ApiFlavour } from './authorizer-outcomes';
import type { CompiledPolicyMemo, ResponseFormat } from './authorizer-response';
import { buildIdentityRule, type IdentityRule } from './identity-source';
import type { AuthorizerInvoker } from './invokers/authorizer-invoker';
import { BoundedInvoker } from './invokers/bounded-invoker';
import { HttpInvoker } from './invokers/http-invoker';
import { InProcessInvoker } from './invokers/in-process-invoker';
import { LambdaInvoker } from './invokers/lambda-invoker';
import type { PolicyScope } from './policy-result';

/** One configured Lambda authorizer, built once: everything a request through it reads. */
export interface AuthorizerDefinition {
  readonly name: string;
  /** REST or HTTP API: the wording of refusals, and whether the resource policy applies. */
  readonly flavour: ApiFlavour;
  readonly event: 'TOKEN' | 'REQUEST' | '1.0' | '2.0';
  readonly format: ResponseFormat;
  readonly identity: IdentityRule;
  /** 0: every request invokes the function. */
  readonly ttlSeconds: number;
  readonly invoker: BoundedInvoker;
  /** The decision cache's namespace: per API, stage and authorizer (Q-L-6). */
  readonly namespace: string;
  /** This authorizer's responses validated, and its distinct answers shared (issue 11). */
  readonly answers: AuthorizerAnswers;
  /** What returned policies are evaluated with (the resource policy on REST APIs). */
  readonly scope: PolicyScope;
  readonly denyBodyKey: 'Message' | 'message';
  /** What telemetry is told of this authorizer's invocations and cache lookups (built once). */
  readonly call: Extract<DependencyCall, { kind: 'authorizer' }>;
  readonly missLookup: CacheLookup;
  readonly hitLookup: CacheLookup;
  /** Outcomes of recent invocations, for health checks. */
  readonly health: AuthorizerHealthState;
}

/** What building the definitions takes besides the options. */
export interface DefinitionServices {
  shared: SharedServices;
  /** Which kind of store caches decisions (telemetry attribute). */
  store: CacheLookup['store'];
  /** The authenticator's compiled policies by JSON, shared by its authorizers. */
  compiledPolicies: CompiledPolicyMemo;
}

/**
 * Every authorizer of `authorizers`, by name.
 * @throws ConfigError listing every invalid field (`authorizers.<name>.<field>`).
 */
export function buildAuthorizerDefinitions(
  authorizers: Readonly<Record<string, AuthorizerOptions>>,
  services: DefinitionServices,
): Map<string, AuthorizerDefinition> {
  const definitions = new Map<string, AuthorizerDefinition>();
  const issues: ConfigIssue[] = [];
  for (const [name, options] of Object.entries(authorizers)) {
    const optionIssues = validateAuthorizerOptions(name, options);
    issues.push(...optionIssues);
    if (optionIssues.length === 0) {
      const built = buildDefinition(name, options, services, issues);
      if (built) definitions.set(name, built);
    }
  }
  if (issues.length > 0) throw new ConfigError('gateway-auth authorizers', issues);
  return definitions;
}

/** One authorizer's definition, or `undefined` with its problems added to `issues`. */
function buildDefinition(
  name: string,
  options: AuthorizerOptions,
  { shared, store, compiledPolicies }: DefinitionServices,
  issues: ConfigIssue[],
): AuthorizerDefinition | undefined {
  const identity = buildIdentityRule(name, options, issues);
  if (identity === undefined) return undefined;
  let target: AuthorizerInvoker;
  try {
    target = makeInvoker(name, options);
  } catch (error) {
    // A missing optional dependency (@aws-sdk/client-lambda), reported with the other issues.
    if (!(error instanceof ConfigError)) throw error;
    issues.push(
      ...error.issues.map((issue) => ({ ...issue, path: `authorizers.${name}.functionName` })),
    );
    return undefined;
  }
  const { api } = shared;
  const flavour: ApiFlavour = options.payloadFormatVersion === undefined ? 'rest' : 'http';
  const format: ResponseFormat =
    options.payloadFormatVersion === undefined
      ? 'rest'
      : options.payloadFormatVersion === '2.0' && options.enableSimpleResponses
        ? '2.0-simple'
        : options.payloadFormatVersion;
  // A resource policy applies to REST APIs only (RP-11).
  const scope: PolicyScope = {
    resourcePolicy: flavour === 'rest' ? shared.resourcePolicy : undefined,
    accountId: api.accountId,
  };
  return {
    name,
    flavour,
    event: options.payloadFormatVersion ?? options.type,
    format,
    identity,
    ttlSeconds: options.ttlSeconds ?? 300,
    invoker: new BoundedInvoker(target, options.timeoutMs ?? 10_000, options.maxConcurrency ?? 100),
    namespace: `${api.apiId}/${api.stage}/${name}`,
    answers: new AuthorizerAnswers({
      format,
      policyId: `authorizer:${name}`,
      compiledPolicies,
      scope,
    }),
    scope,
    denyBodyKey: options.denyBodyKey ?? 'Message',
    call: {
      kind: 'authorizer',
      authorizer: name,
      target: targetOf(options),
      ...(options.functionName === undefined ? {} : { functionName: options.functionName }),
    },
    missLookup: Object.freeze({ authorizer: name, store, hit: false }),
    hitLookup: Object.freeze({ authorizer: name, store, hit: true }),
    health: new AuthorizerHealthState(),
  };
}

/** Where the function runs, as telemetry and health reports name it. */
function targetOf(options: AuthorizerOptions): AuthorizerTarget {
  if (options.handler) return 'in-process';
  if (options.functionName) return 'lambda';
  return options.url ? 'http' : 'custom';
}

function makeInvoker(name: string, options: AuthorizerOptions): AuthorizerInvoker {
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
