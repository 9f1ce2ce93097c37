import type { Application, NextFunction, Request, RequestHandler, Response } from 'express';
import { toHttpRequest } from '../adapter-request';
import { ExpressBodyCapture } from '../body/express-body-capture';
import { compareRoutes, type DriftReport } from '../core/definition/drift-report';
import type { GatewayAuth, RouteRequirement } from '../core/gateway-auth';
import { expressRoutes } from './express-routes';
import { continueOrRefuse } from './gateway-auth.middleware';

/** Options of {@link apiDefinitionMiddleware}. */
export interface ApiDefinitionMiddlewareOptions {
  /**
   * Requirements replacing the definition's for some of its routes, keyed `METHOD /path/{template}`
   * as the definition writes them (`null`: no authorization) — the Express twin of a decorator.
   * @example { 'GET /health': null, 'POST /pets': { model: 'iam', options: {} } }
   */
  overrides?: Readonly<Record<string, RouteRequirement | null>>;
}

/**
 * Express middleware putting the gateway's API definition (`apiDefinition`) in force on every
 * request: the route API Gateway would match by method and path, its requirement and API key; a
 * request no definition route covers is refused 403 Missing Authentication Token (PIPE-02) unless
 * `uncoveredRoutes: 'allow'`. Mount it before the routes (`app.use(apiDefinitionMiddleware(g))`)
 * and turn on Express's `case sensitive routing` and `strict routing`, so a path Express would hand
 * to a route is the path API Gateway would match. Like {@link gatewayAuthMiddleware} it reads the
 * body first (JSON and forms parsed, SigV4-signed bodies kept raw, bounded, parse errors answered
 * only once allowed): mount body parsers after it.
 */
export function apiDefinitionMiddleware(
  gatewayAuth: GatewayAuth,
  options: ApiDefinitionMiddlewareOptions = {},
): RequestHandler {
  if (!gatewayAuth.definition) {
    throw new Error('apiDefinitionMiddleware needs a GatewayAuth built with apiDefinition');
  }
  const overrides = new Map(Object.entries(options.overrides ?? {}));
  for (const key of overrides.keys()) {
    const [method, path] = key.split(' ');
    if (
      !gatewayAuth.definition.definition.routes.some((r) => r.method === method && r.path === path)
    ) {
      throw new Error(
        `apiDefinitionMiddleware overrides: ${key} is not a route of the API definition`,
      );
    }
  }
  const body = new ExpressBodyCapture(gatewayAuth);
  return (req: Request, res: Response, next: NextFunction) => {
    body.capture(req, res, () => {
      const httpRequest = toHttpRequest(req, gatewayAuth.trustedProxies);
      continueOrRefuse(gatewayAuth, req, res, next, httpRequest, 'apiDefinition middleware', () =>
        gatewayAuth.authorizeByDefinition(httpRequest, overrides),
      );
    });
  };
}

/**
 * The drift between an Express app's routes (its own router's, not nested routers') and the API
 * definition; logs it as `api_definition.drift`. Call once the routes are registered.
 */
export function apiDefinitionDrift(app: Application, gatewayAuth: GatewayAuth): DriftReport {
  const definition = gatewayAuth.definition;
  if (!definition)
    throw new Error('apiDefinitionDrift needs a GatewayAuth built with apiDefinition');
  const served = expressRoutes(app);
  const report = compareRoutes(definition, served);
  const clean = report.notServed.length + report.uncovered.length + report.unmodelled.length === 0;
  gatewayAuth.logger.log(clean ? 'info' : 'warn', 'api_definition.drift', { ...report });
  return report;
}
