import type { Request } from 'express';
import { toHttpRequest } from '../adapter-request';
import { settle } from '../core/authenticator';
import { toAuthError } from '../core/errors';
import type { GatewayAuth } from '../core/gateway-auth';
import type { CognitoRouteOptions } from '../core/jwt/cognito-authenticator';
import { PassportStrategy } from './passport-strategy-base';

/**
 * Where a strategy finds the token: passport-jwt's `JwtFromRequestFunction`, so its `ExtractJwt`
 * extractors fit (`ExtractJwt.fromAuthHeaderAsBearerToken()`, ...).
 */
export type JwtFromRequestFunction = (req: Request) => string | null | undefined;

/** Options of {@link CognitoJwtStrategy}. */
export interface CognitoJwtStrategyOptions {
  /** Strategy name for `passport.authenticate(name)`; default `cognito-jwt`. */
  name?: string;
  /**
   * Where the token is, with passport-jwt's extractors (`ExtractJwt.fromAuthHeaderAsBearerToken()`,
   * `fromUrlQueryParameter('token')`, ...). Default: the `cognito.tokenSource` header of the options.
   */
  jwtFromRequest?: JwtFromRequestFunction;
  /** The header the core reads (`cognito.tokenSource.header`); default `authorization`. */
  tokenHeader?: string;
}

/**
 * A passport strategy with passport-jwt's face (its `jwtFromRequest` extractors and `jwt`-style
 * setup carry over, without passport-jwt being needed) whose verification is the core's:
 * API Gateway's Cognito/JWT rules, the fault-tolerant JWKS source and the verified-token cache.
 * passport-jwt's own path would verify with `jsonwebtoken` on every request (PEM parsed each time
 * when fed by jwks-rsa, about 0.13x of a bare RS256 verify — see docs/benchmarks.md). `req.user` is
 * the caller's context; refusals go to `next(err)` as `AuthError`s for `gatewayAuthErrorHandler`
 * (`api-gateway-auth/express`).
 * @example
 * passport.use(new CognitoJwtStrategy(gatewayAuth, { scopes: ['pets/read'] }));
 * app.get('/pets', passport.authenticate('cognito-jwt', { session: false }), handler);
 * app.use(gatewayAuthErrorHandler(gatewayAuth));
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */
export class CognitoJwtStrategy extends PassportStrategy {
  override name: string;
  private readonly extract: JwtFromRequestFunction | undefined;
  private readonly tokenHeader: string;

  constructor(
    private readonly gatewayAuth: GatewayAuth,
    private readonly route: CognitoRouteOptions = {},
    options: CognitoJwtStrategyOptions = {},
  ) {
    super();
    this.name = options.name ?? 'cognito-jwt';
    this.extract = options.jwtFromRequest;
    this.tokenHeader = (options.tokenHeader ?? 'authorization').toLowerCase();
  }

  override authenticate(req: Request): void {
    const request = toHttpRequest(req, this.gatewayAuth.trustedProxies);
    if (this.extract) {
      const token = this.extract(req);
      const headers = { ...request.headers };
      if (typeof token === 'string' && token !== '') headers[this.tokenHeader] = token;
      else delete headers[this.tokenHeader];
      // Assigned, not spread into a new object: the request's other fields (source IP, TLS, raw
      // headers, body) are getters, which a spread would drop, and aws:SourceIp with them.
      request.headers = headers;
    }
    settle(
      () => this.gatewayAuth.authorize(request, { model: 'cognito', options: this.route }),
      (context) => this.success(context),
      (error: unknown) => this.error(toAuthError(error, 'cognito-jwt strategy')),
    );
  }
}
