/**
 * Identity sources → the cache key: the configured sources parsed into an authorizer's rule (REST
 * or HTTP API syntax, TOKEN's one header), a request's values read by it (missing, empty or not
 * matching the validation expression: 401 without invoking) and the key its decision is cached
 * under (every value, LR-04).
 */
import type { ConfigIssue } from '../errors';
import type { HttpRequest } from '../http-request';
import { CONTEXT_VARIABLES, type AuthorizerOptions } from './authorizer-options';
import { unauthorized } from './authorizer-outcomes';
import type { RequestView } from './request-view';

/** One parsed identity source (LR-02, HL-04). */
export interface IdentitySource {
  kind: 'header' | 'querystring' | 'stageVariable' | 'context';
  name: string;
  /** `name` lowercased, for header lookups (computed once at parse time). */
  key: string;
  /** As configured, for messages. */
  expression: string;
}

const REST =
  /^(?:method\.request\.(header|querystring)\.(.+)|(stageVariables)\.(.+)|(context)\.(.+))$/;
const HTTP =
  /^(?:\$request\.(header|querystring)\.(.+)|\$(stageVariables)\.(.+)|\$(context)\.(.+))$/;

/**
 * Parses identity-source expressions (a comma-separated string or a list) in the REST
 * (`method.request.header.X`) or HTTP API (`$request.header.X`) syntax.
 */
export function parseIdentitySources(
  value: string | readonly string[] | undefined,
  syntax: 'rest' | 'http',
  path: string,
): { sources: IdentitySource[]; issues: ConfigIssue[] } {
  const list = (typeof value === 'string' ? value.split(',') : (value ?? []))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const sources: IdentitySource[] = [];
  const issues: ConfigIssue[] = [];
  for (const expression of list) {
    const match = (syntax === 'rest' ? REST : HTTP).exec(expression);
    const kind = match?.[1] ?? match?.[3] ?? match?.[5];
    const name = match?.[2] ?? match?.[4] ?? match?.[6];
    if (!kind || !name) {
      issues.push({
        path,
        message:
          syntax === 'rest'
            ? `"${expression}" is not method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<variable>`
            : `"${expression}" is not $request.header.<name>, $request.querystring.<name>, $stageVariables.<name> or $context.<variable>`,
      });
      continue;
    }
    if (kind === 'context' && !(CONTEXT_VARIABLES as readonly string[]).includes(name)) {
      issues.push({
        path,
        message: `context variable "${name}" is not supported as an identity source; use one of ${CONTEXT_VARIABLES.join(', ')}`,
      });
      continue;
    }
    sources.push({
      kind: kind === 'stageVariables' ? 'stageVariable' : (kind as IdentitySource['kind']),
      name,
      key: name.toLowerCase(),
      expression,
    });
  }
  return { sources, issues };
}

/**
 * The value of each source, in order, or `undefined` when any is missing, null or empty (LR-03,
 * HL-04: 401 without invoking). Repeated headers and query parameters are joined with `,`.
 */
export function resolveIdentitySources(
  sources: readonly IdentitySource[],
  view: RequestView,
  stageVariables: Readonly<Record<string, string>>,
): string[] | undefined {
  const values: string[] = [];
  for (const source of sources) {
    let value: string | undefined;
    switch (source.kind) {
      case 'header':
        value = headerSourceValue(view.request, source.key);
        break;
      case 'querystring':
        value = view.queryValues(source.name).join(',');
        break;
      case 'stageVariable':
        value = stageVariables[source.name];
        break;
      case 'context':
        value = view.contextVariable(source.name);
        break;
    }
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  return values;
}

/** A header identity source's value (`key` lowercase): repeated headers joined with `,`. */
export function headerSourceValue(request: HttpRequest, key: string): string | undefined {
  const raw = request.headers[key];
  return typeof raw === 'string' || raw === undefined ? raw : raw.join(',');
}

/** How one authorizer reads its caller's identity from a request, built once from its options. */
export interface IdentityRule {
  readonly sources: readonly IdentitySource[];
  /**
   * The lowercase header name when the only source is one header (every TOKEN authorizer): read
   * without the general resolution's list (a cached hit went from ~230 to ~200 ns with it).
   */
  readonly singleHeader: string | undefined;
  /** `identityValidationExpression` (TOKEN), tested on the first value before invoking (LT-03). */
  readonly validation: RegExp | undefined;
}

/**
 * The identity rule of the authorizer `name`, or `undefined` with its problems added to `issues`
 * (each naming `authorizers.<name>.identitySource`).
 */
export function buildIdentityRule(
  name: string,
  options: AuthorizerOptions,
  issues: ConfigIssue[],
): IdentityRule | undefined {
  const path = `authorizers.${name}.identitySource`;
  const { sources, issues: sourceIssues } = parseIdentitySources(
    options.identitySource ??
      (options.type === 'TOKEN' ? 'method.request.header.Authorization' : undefined),
    options.payloadFormatVersion === undefined ? 'rest' : 'http',
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
  return {
    sources,
    singleHeader:
      sources.length === 1 && sources[0]?.kind === 'header' ? sources[0].key : undefined,
    validation:
      options.identityValidationExpression === undefined
        ? undefined
        : new RegExp(options.identityValidationExpression),
  };
}

/**
 * A request's identity-source values: the one value itself when the rule is a single header (no
 * list is built on the hit path), else every value in configured order.
 */
export type IdentityValues = string | readonly string[];

/**
 * The request's identity-source values under `rule`.
 * @throws AuthError 401 when a value is missing or empty (LT-02, LR-03, HL-04) or the first does
 * not match the validation expression (LT-03): the authorizer is not invoked.
 */
export function readIdentity(
  rule: IdentityRule,
  view: RequestView,
  stageVariables: Readonly<Record<string, string>>,
): IdentityValues {
  const values =
    rule.singleHeader === undefined
      ? resolveIdentitySources(rule.sources, view, stageVariables)
      : headerSourceValue(view.request, rule.singleHeader);
  if (values === undefined || values === '') {
    throw unauthorized('an identity source is missing or empty; the authorizer was not invoked');
  }
  const first = typeof values === 'string' ? values : values[0];
  if (rule.validation && !rule.validation.test(first ?? '')) {
    throw unauthorized('the token does not match identityValidationExpression; not invoked');
  }
  return values;
}

/**
 * The key a decision for these values is cached under: the one value itself, else the list as
 * JSON (unambiguous whatever the values hold). `undefined` when there is no value at all (REQUEST
 * without sources, TTL 0 only): such a request is never cached, since one key would serve everyone.
 */
export function identityCacheKey(values: IdentityValues): string | undefined {
  if (typeof values === 'string') return values;
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : JSON.stringify(values);
}

/** The values as a list, in configured order (what events and `invalidate()` take). */
export function identityList(values: IdentityValues): readonly string[] {
  return typeof values === 'string' ? [values] : values;
}
