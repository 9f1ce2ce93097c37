import type { ErrorRequestHandler } from 'express';
import { AuthError } from '../core/errors';
import type { GatewayAuth } from '../core/gateway-auth';
import { writeRendered } from './gateway-auth.middleware';

/**
 * Express error handler rendering {@link AuthError}s (from the passport strategies of
 * `api-gateway-auth/passport`) as API Gateway responses; passes other errors on.
 * @example app.use(gatewayAuthErrorHandler(gatewayAuth));
 */
export function gatewayAuthErrorHandler(gatewayAuth: GatewayAuth): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (!(error instanceof AuthError)) {
      next(error);
      return;
    }
    writeRendered(res, gatewayAuth.render(error));
  };
}
