import type { Request } from 'express';
import { Strategy as JwtStrategy, type JwtFromRequestFunction } from 'passport-jwt';
import { toHttpRequest } from '../adapter-request';
import { toAuthError } from '../core/errors';
import type { GatewayAuth } from '../core/gateway-auth';
import type { CognitoRouteOptions } from '../core/jwt/cognito-authenticator';

/** Options of {@link CognitoJwtStrategy}. */
export interface CognitoJwtStrategyOptions {
  /** Strategy name for `passport.authenticate(name)`; default `cognito-jwt`. */
  name?: string;
  /**
   * Where the token is, with passport-jwt's extractors (`ExtractJwt.fromAuthHeaderAsBearerToken()`,
   * `fromUrlQueryParameter('token')`, ...). Default: the `cognito.tokenSource` header of the options.
   */
  jwtFromRequest?: JwtFromRequestFunction<Request>;
  /** The header the core reads (`cognito.tokenSource.header`); default `authorization`. */
  tokenHeader?: string;
}

/**
 * A passport strategy with passport-jwt's face (it is a `passport-jwt` `Strategy`, so
 * `jwtFromRequest` extractors and the `jwt`-style setup carry over) whose verification is the core's:
 * API Gateway's Cognito/JWT rules, the fault-tolerant JWKS source and the verified-token cache.
 * passport-jwt's own path would verify with `jsonwebtoken` on every request (PEM parsed each time
 * when fed by jwks-rsa, about 0.13x of a bare RS256 verify — see docs/benchmarks.md). `req.user` is
 * the caller's context; refusals go to `next(err)` as `AuthError`s for `gatewayAuthErrorHandler`.
 * @example
 * passport.use(new CognitoJwtStrategy(gatewayAuth, { scopes: ['pets/read'] }));
 * app.get('/pets', passport.authenticate('cognito-jwt', { session: false }), handler);
 * app.use(gatewayAuthErrorHandler(gatewayAuth));
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html
 */
export class CognitoJwtStrategy extends JwtStrategy {
  private readonly extract: JwtFromRequestFunction<Request> | undefined;
  private readonly tokenHeader: string;

  constructor(
    private readonly gatewayAuth: GatewayAuth,
    private readonly route: CognitoRouteOptions = {},
    options: CognitoJwtStrategyOptions = {},
  ) {
    // passport-jwt requires a key and a verify callback; neither is used: authenticate() delegates.
    super(
      { jwtFromRequest: options.jwtFromRequest ?? (() => null), secretOrKey: 'unused' },
      (_payload: unknown, done: (error: Error) => void) => done(new Error('unused')),
    );
    this.name = options.name ?? 'cognito-jwt';
    this.extract = options.jwtFromRequest;
    this.tokenHeader = (options.tokenHeader ?? 'authorization').toLowerCase();
  }

  override authenticate(req: Request): void {
    let request = toHttpRequest(req, this.gatewayAuth.trustedProxies);
    if (this.extract) {
      const token = this.extract(req);
      const headers = { ...request.headers };
      if (typeof token === 'string' && token !== '') headers[this.tokenHeader] = token;
      else delete headers[this.tokenHeader];
      request = { ...request, headers };
    }
    this.gatewayAuth.authenticate(request, { model: 'cognito', options: this.route }).then(
      (context) => this.success(context),
      (error: unknown) => this.error(toAuthError(error, 'cognito-jwt strategy')),
    );
  }
}
