import type { ConfigIssue } from '../errors';
import {
  displayString,
  type ApiDefinition,
  type DefinitionAuthType,
  type DefinitionAuthorizerType,
} from './api-definition';

/** One route of the stable JSON route table (`gateway-auth import --output json`). */
export interface RouteTableRoute {
  method: string;
  path: string;
  auth: DefinitionAuthType;
  authorizer: string | null;
  scopes: string[];
  apiKeyRequired: boolean;
}

/** One authorizer of the stable JSON route table. */
export interface RouteTableAuthorizer {
  name: string;
  type: DefinitionAuthorizerType;
  identitySource: string[];
  ttlSeconds: number | null;
}

/**
 * The route table as scripts read it (documented in docs/cli.md; the keys here are stable): one
 * entry per method and path as API Gateway creates them (`ANY` kept, SAM's implicit APIs and CORS
 * preflights included), the authorizers, and the parameters the user must still supply. Values a
 * parameter would resolve read `${Name}`.
 */
export interface RouteTable {
  routes: RouteTableRoute[];
  authorizers: RouteTableAuthorizer[];
  unresolved: string[];
  /** Which API was read (name, REST/HTTP, format). */
  api?: { name: string | null; kind: 'REST' | 'HTTP'; format: string };
  /** Problems that stop the definition being enforced, with JSON paths. */
  issues?: ConfigIssue[];
  /** Caveats that do not stop it. */
  warnings?: string[];
}

/** A definition as the stable route table. */
export function toRouteTable(
  definition: ApiDefinition,
  unresolved: readonly string[],
  issues: readonly ConfigIssue[] = [],
): RouteTable {
  return {
    routes: definition.routes.map((r) => ({
      method: r.method,
      path: r.path,
      auth: r.auth,
      authorizer: r.authorizer,
      scopes: r.scopes.map(displayString),
      apiKeyRequired: r.apiKeyRequired,
    })),
    authorizers: definition.authorizers.map((a) => ({
      name: a.name,
      type: a.type,
      identitySource: a.identitySource.map(displayString),
      ttlSeconds: a.ttlSeconds,
    })),
    unresolved: [...unresolved],
    api: { name: definition.name ?? null, kind: definition.kind, format: definition.format },
    issues: [...issues],
    warnings: [...definition.warnings],
  };
}
