import { parseApiGatewayPath, frameworkRouteShape, templateShape } from './route-template';
import type { ApiDefinition } from './api-definition';
import type { DefinitionRouter } from './definition-router';

/** A route the service serves: its method (`ALL` for every method) and framework route path. */
export interface ServedRoute {
  method: string;
  /** Express/Fastify route path (`/pets/:id`, `/files/*`) or an API Gateway template. */
  path: string;
}

/** Where the service and its definition disagree, found at start-up. */
export interface DriftReport {
  /** Definition routes (`METHOD /path`) no served route has the template of. */
  notServed: string[];
  /** Of {@link notServed}, the CORS preflights SAM generated (a CORS middleware answers them). */
  preflightsNotServed: string[];
  /** Served routes no definition route covers: refused unless `uncoveredRoutes: 'allow'`. */
  uncovered: string[];
  /** Served routes whose path syntax has no API Gateway equivalent (checked per request only). */
  unmodelled: string[];
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/**
 * Compares what the service serves with the definition: definition routes without a served route of
 * the same method and template, and served routes that no definition route would match — each
 * served route is probed through the definition's own router with a path of its shape.
 */
export function compareRoutes(
  applied: { definition: ApiDefinition; router: DefinitionRouter<unknown>; basePath: string },
  served: readonly ServedRoute[],
): DriftReport {
  const report: DriftReport = {
    notServed: [],
    preflightsNotServed: [],
    uncovered: [],
    unmodelled: [],
  };
  const servedShapes = new Map<string, Set<string>>();
  for (const route of served) {
    const method = route.method.toUpperCase();
    let path = route.path;
    if (applied.basePath !== '') {
      if (path !== applied.basePath && !path.startsWith(`${applied.basePath}/`)) {
        report.uncovered.push(`${method} ${route.path}`);
        continue;
      }
      path = path.slice(applied.basePath.length) || '/';
    }
    // `{id}` is API Gateway's syntax, `:id` and `*` the frameworks'.
    const parsed = path.includes('{') ? parseApiGatewayPath(path) : undefined;
    const shape =
      parsed === undefined || typeof parsed === 'string'
        ? frameworkRouteShape(path)
        : templateShape(parsed);
    if (shape === undefined) {
      report.unmodelled.push(`${method} ${route.path}`);
      continue;
    }
    const methods = servedShapes.get(shape) ?? new Set<string>();
    methods.add(method);
    servedShapes.set(shape, methods);
    const probe = samplePath(shape);
    const wanted = method === 'ALL' || method === 'ANY' ? METHODS : [method];
    const missing = wanted.filter((m) => applied.router.match(m, probe) === undefined);
    if (missing.length === wanted.length) report.uncovered.push(`${method} ${route.path}`);
    else if (missing.length > 0)
      report.uncovered.push(`${missing.join(',')} ${route.path} (served by ${method})`);
  }
  for (const route of applied.definition.routes) {
    if (route.path === '$default') continue;
    const parsed = parseApiGatewayPath(route.path);
    if (typeof parsed === 'string') continue;
    const methods = servedShapes.get(templateShape(parsed));
    const served =
      methods !== undefined &&
      (methods.has('ALL') ||
        methods.has('ANY') ||
        route.method === 'ANY' ||
        methods.has(route.method));
    if (served) continue;
    const name = `${route.method} ${route.path}`;
    if (route.corsPreflight) report.preflightsNotServed.push(name);
    else report.notServed.push(name);
  }
  return report;
}

/** A request path of `shape` whose parameters cannot equal a literal segment (braces never do). */
function samplePath(shape: string): string {
  return shape.replace(/\{\+?\}/g, '%7Bparam%7D');
}
