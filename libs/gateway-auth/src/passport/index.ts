// `api-gateway-auth/passport`: passport strategies (needs the `passport` package). Refusals reach
// `gatewayAuthErrorHandler` of `api-gateway-auth/express`. Explicit named exports only.
export { GatewayAuthStrategy } from './gateway-auth.strategy';
export {
  CognitoJwtStrategy,
  type CognitoJwtStrategyOptions,
  type JwtFromRequestFunction,
} from './cognito-jwt.strategy';
