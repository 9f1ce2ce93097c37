import type { ErrorRequestHandler, Request } from 'express';
import { Strategy } from 'passport-strategy';
import { removeIdentityHeaders, toHttpRequest } from '../adapter-request';
import { AuthError, toAuthError } from '../core/errors';
import type { GatewayAuth, RouteRequirement } from '../core/gateway-auth';
import { writeRendered } from './gateway-auth.middleware';

/**
 * A passport strategy for one requirement; `req.user` becomes the caller's context. Refusals are
 * passed to `next(err)` as {@link AuthError}s so {@link gatewayAuthErrorHandler} can write API
 * Gateway's exact response (passport's own failure path cannot set a body).
 * @example
 * passport.use('gateway-iam', new GatewayAuthStrategy(gatewayAuth, { model: 'iam', options: {} }));
 * app.get('/admin', passport.authenticate('gateway-iam', { session: false }), handler);
 * app.use(gatewayAuthErrorHandler(gatewayAuth));
 */
export class GatewayAuthStrategy extends Strategy {
  name: string;

  constructor(
    private readonly gatewayAuth: GatewayAuth,
    private readonly requirement: RouteRequirement,
    name = `gateway-auth-${requirement.model}`,
  ) {
    super();
    this.name = name;
  }

  override authenticate(req: Request): void {
    const httpRequest = toHttpRequest(req, this.gatewayAuth.trustedProxies);
    this.gatewayAuth.authenticate(httpRequest, this.requirement).then(
      (context) => {
        removeIdentityHeaders(req, context);
        this.success(context);
      },
      (error: unknown) => this.error(toAuthError(error, 'passport strategy')),
    );
  }
}

/** Express error handler rendering {@link AuthError}s as API Gateway responses; passes others on. */
export function gatewayAuthErrorHandler(gatewayAuth: GatewayAuth): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (!(error instanceof AuthError)) {
      next(error);
      return;
    }
    writeRendered(res, gatewayAuth.render(error));
  };
}
