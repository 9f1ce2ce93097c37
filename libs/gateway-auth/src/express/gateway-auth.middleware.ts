import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { removeIdentityHeaders, toHttpRequest } from '../adapter-request';
import { ExpressBodyCapture } from '../body/express-body-capture';
import { takeHeldBodyError } from '../body/held-body-error';
import type { AuthContext } from '../core/auth-context';
import { settle, type Authorization } from '../core/authenticator';
import { toAuthError } from '../core/errors';
import type { GatewayAuth, RouteRequirement } from '../core/gateway-auth';
import type { RenderedResponse } from '../core/gateway-responses';
import type { HttpRequest } from '../core/http-request';
import type { CognitoRouteOptions } from '../core/jwt/cognito-authenticator';

/** Where the middleware attaches the caller's context: `req.gatewayAuth`. */
export const AUTH_CONTEXT_PROPERTY = 'gatewayAuth';

/**
 * Express middleware enforcing one requirement; on refusal it writes API Gateway's response.
 * Mount it on routes (`app.get('/admin', iamAuth(g), handler)`) so the matched route is known and
 * `/ADMIN` cannot reach `/admin` past a path Deny; mounted app-wide, enable Express's
 * `case sensitive routing` and `strict routing` (docs/migration.md).
 *
 * It reads the request body itself, before authorizing, as API Gateway does: JSON and form bodies
 * are parsed into `req.body` (as `express.json()` and `express.urlencoded({ extended: true })` would
 * parse them), a SigV4-signed body of any type is kept byte for byte in `req.rawBody`, a body over
 * `bodyLimitBytes` is refused 413, and a parse error is answered only once the request is allowed.
 * Body parsers mounted before it read the body first: mount them after it, or on the routes without
 * it (a body already read is used as found: its raw bytes are needed for SigV4, see docs/iam-auth.md).
 */
export function gatewayAuthMiddleware(
  gatewayAuth: GatewayAuth,
  requirement: RouteRequirement,
): RequestHandler {
  const body = new ExpressBodyCapture(gatewayAuth);
  return (req: Request, res: Response, next: NextFunction) => {
    body.capture(req, res, () => {
      const httpRequest = toHttpRequest(req, gatewayAuth.trustedProxies);
      continueOrRefuse(gatewayAuth, req, res, next, httpRequest, 'middleware', () =>
        gatewayAuth.authorize(httpRequest, requirement),
      );
    });
  };
}

/**
 * Runs `decide` (a decision made now or a promise of one), then attaches the caller's context and
 * continues, or writes API Gateway's refusal. A `null` context (a route without authorization)
 * continues without one. An allowed request whose body could not be parsed continues with the
 * parser's error (`next(error)`), as if the parser had run after authorization.
 */
export function continueOrRefuse(
  gatewayAuth: GatewayAuth,
  req: Request,
  res: Response,
  next: NextFunction,
  httpRequest: HttpRequest,
  where: string,
  decide: () => Authorization<AuthContext | null>,
): void {
  const allow = (context: AuthContext | null): void => {
    if (context) {
      (req as unknown as Record<string, unknown>)[AUTH_CONTEXT_PROPERTY] = context;
      removeIdentityHeaders(req, context);
    }
    next(takeHeldBodyError(req));
  };
  const refuse = (error: unknown): void => {
    writeRendered(
      res,
      gatewayAuth.render(toAuthError(error, where), { requestId: httpRequest.requestId }),
    );
  };
  // A cached decision continues synchronously; anything else once it settles.
  settle(decide, allow, refuse);
}

/** `iamAuth(gatewayAuth)`: Express twin of `@IamAuth()`. */
export function iamAuth(gatewayAuth: GatewayAuth): RequestHandler {
  return gatewayAuthMiddleware(gatewayAuth, { model: 'iam', options: {} });
}

/** `cognitoAuth(gatewayAuth, { scopes })`: Express twin of `@CognitoAuth()`. */
export function cognitoAuth(
  gatewayAuth: GatewayAuth,
  options: CognitoRouteOptions = {},
): RequestHandler {
  return gatewayAuthMiddleware(gatewayAuth, { model: 'cognito', options });
}

/** `customAuthorizer(gatewayAuth, 'orders')`: Express twin of `@CustomAuthorizer()`. */
export function customAuthorizer(gatewayAuth: GatewayAuth, name: string): RequestHandler {
  return gatewayAuthMiddleware(gatewayAuth, { model: 'custom', options: { name } });
}

/** Writes a rendered gateway response on an Express response. */
export function writeRendered(res: Response, rendered: RenderedResponse): void {
  res.status(rendered.statusCode);
  for (const [name, value] of Object.entries(rendered.headers)) res.setHeader(name, value);
  res.end(rendered.body);
}
