import type { AuthContext } from '../auth-context';
import { isPending, type Authorization } from '../authenticator';
import { AuthError } from '../errors';
import type { RouteRequirement } from '../gateway-auth';
import { getHeader, type HttpRequest } from '../http-request';
import type { DefinitionRoute } from './api-definition';
import type { AppliedDefinition } from './apply-definition';

/** The caller's context, `null` for a route without authorization, or the promise of either. */
export type DefinitionOutcome = Authorization<AuthContext | null>;

/** What enforcement borrows from the gateway: route checks, the models, refusal logging. */
export interface EnforcementHooks {
  /** Canonical path and exact-route checks (throws the logged refusal). */
  prepare(request: HttpRequest): void;
  authorize(
    request: HttpRequest,
    requirement: RouteRequirement,
  ): AuthContext | Promise<AuthContext>;
  /** Logs a refusal and returns it to throw. */
  refuse(error: AuthError, request: HttpRequest): AuthError;
}

/**
 * One request against an applied API definition: the route API Gateway would match, then its
 * requirement (or an override), then its API key (PIPE-06: after authorization). A request the
 * definition does not cover is refused like an unknown route (PIPE-02) unless
 * `uncoveredRoutes: 'allow'`.
 */
export function enforceDefinition(
  applied: AppliedDefinition,
  request: HttpRequest,
  overrides: ReadonlyMap<string, RouteRequirement | null> | undefined,
  hooks: EnforcementHooks,
): DefinitionOutcome {
  if (!stripBasePath(request, applied.basePath))
    return uncovered(applied, request, hooks, 'outside apiDefinition.basePath');
  hooks.prepare(request);
  const hit = applied.router.match(request.method, request.path);
  if (!hit) return uncovered(applied, request, hooks, 'no route of the API definition matches');
  const { route } = hit;
  const key = `${route.method} ${route.path}`;
  const requirement = overrides?.has(key)
    ? (overrides.get(key) as RouteRequirement | null)
    : hit.value;
  if (requirement === null) {
    checkApiKey(applied, route, request, null, hooks);
    return null;
  }
  const outcome = hooks.authorize(request, requirement);
  if (!isPending(outcome)) {
    checkApiKey(applied, route, request, outcome, hooks);
    return outcome;
  }
  return outcome.then((context) => {
    checkApiKey(applied, route, request, context, hooks);
    return context;
  });
}

function uncovered(
  applied: AppliedDefinition,
  request: HttpRequest,
  hooks: EnforcementHooks,
  why: string,
): null {
  if (applied.uncoveredRoutes === 'allow') return null;
  throw hooks.refuse(
    new AuthError('ROUTE_NOT_IN_DEFINITION', {
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      message: 'Missing Authentication Token',
      reason: `${request.method} ${request.path.slice(0, 256)}: ${why}, refused as an unknown route (PIPE-02)`,
    }),
    request,
  );
}

/**
 * Serves the API under `basePath`: the request path (and the framework's route) lose the prefix.
 * @returns false when the path is outside it.
 */
function stripBasePath(request: HttpRequest, basePath: string): boolean {
  if (basePath === '') return true;
  const path = request.path;
  if (path !== basePath && !path.startsWith(`${basePath}/`)) return false;
  request.path = path.slice(basePath.length) || '/';
  const routePath = request.routePath;
  if (routePath !== undefined && (routePath === basePath || routePath.startsWith(`${basePath}/`))) {
    request.routePath = routePath.slice(basePath.length) || '/';
  }
  return true;
}

/** KEY-01/02: a method requiring an API key gets one the user listed, else 403 Forbidden. */
function checkApiKey(
  applied: AppliedDefinition,
  route: DefinitionRoute,
  request: HttpRequest,
  context: AuthContext | null,
  hooks: EnforcementHooks,
): void {
  if (!route.apiKeyRequired || applied.apiKeys === null) return;
  const fromAuthorizer = applied.definition.apiKeySource === 'AUTHORIZER';
  const key = fromAuthorizer
    ? context?.type === 'CUSTOM'
      ? context.usageIdentifierKey
      : undefined
    : getHeader(request, 'x-api-key');
  if (key !== undefined && applied.apiKeys.has(key)) return;
  throw hooks.refuse(
    new AuthError('INVALID_API_KEY', {
      responseType: 'INVALID_API_KEY',
      message: 'Forbidden',
      reason: `${route.method} ${route.path} requires an API key (${fromAuthorizer ? "the authorizer's usageIdentifierKey" : 'x-api-key'}): ${key === undefined ? 'none given' : 'not an accepted key'} (KEY-02)`,
    }),
    request,
  );
}
