import type { Request } from 'express';
import { removeIdentityHeaders, toHttpRequest } from '../adapter-request';
import { settle } from '../core/authenticator';
import { toAuthError } from '../core/errors';
import type { GatewayAuth, RouteRequirement } from '../core/gateway-auth';
import { PassportStrategy } from './passport-strategy-base';

/**
 * A passport strategy for one requirement; `req.user` becomes the caller's context. Refusals are
 * passed to `next(err)` as `AuthError`s so `gatewayAuthErrorHandler` (`api-gateway-auth/express`)
 * can write API Gateway's exact response (passport's own failure path cannot set a body).
 * @example
 * passport.use('gateway-iam', new GatewayAuthStrategy(gatewayAuth, { model: 'iam', options: {} }));
 * app.get('/admin', passport.authenticate('gateway-iam', { session: false }), handler);
 * app.use(gatewayAuthErrorHandler(gatewayAuth));
 */
export class GatewayAuthStrategy extends PassportStrategy {
  override name: string;

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
    settle(
      () => this.gatewayAuth.authorize(httpRequest, this.requirement),
      (context) => {
        removeIdentityHeaders(req, context);
        this.success(context);
      },
      (error: unknown) => this.error(toAuthError(error, 'passport strategy')),
    );
  }
}
